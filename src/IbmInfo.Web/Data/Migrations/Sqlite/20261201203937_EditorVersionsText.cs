using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IbmInfo.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EditorVersionsText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Markdown",
                table: "Versions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "Versions",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Every version stored before this migration was imported from the content folder.
                defaultValue: "ContentFolder");

            migrationBuilder.AddColumn<string>(
                name: "SubmittedById",
                table: "Versions",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportedFields",
                table: "References",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Drafts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BaseNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangeNote = table.Column<string>(type: "TEXT", nullable: false),
                    OtherFrontMatter = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Drafts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    AddedFiles = table.Column<string>(type: "TEXT", nullable: false),
                    Problems = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReferenceChanges",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReferenceKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Change = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferenceChanges", x => x.Id);
                });

            // Backfill: the submitter becomes the account whose e-mail the version's author line named, where one
            // exists. The text itself cannot be recovered here: the next import stores it for every version whose
            // file is still byte for byte what was submitted (same hash); the others keep their renderings only.
            migrationBuilder.Sql("""
                UPDATE "Versions" SET "SubmittedById" =
                    (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = upper(trim("Versions"."SubmittedBy")))
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_AuthorId_Slug",
                table: "Drafts",
                columns: new[] { "AuthorId", "Slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReferenceChanges_ReferenceKey_At",
                table: "ReferenceChanges",
                columns: new[] { "ReferenceKey", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Drafts");

            migrationBuilder.DropTable(
                name: "ImportRuns");

            migrationBuilder.DropTable(
                name: "ReferenceChanges");

            migrationBuilder.DropColumn(
                name: "Markdown",
                table: "Versions");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "Versions");

            migrationBuilder.DropColumn(
                name: "SubmittedById",
                table: "Versions");

            migrationBuilder.DropColumn(
                name: "ImportedFields",
                table: "References");
        }
    }
}
