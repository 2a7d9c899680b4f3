using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IbmInfo.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TamperEvidentReviewTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ById",
                table: "Transitions",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContentHash",
                table: "Transitions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "Transitions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "Transitions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // The entries stored before this migration get their chain first, so the unique indexes can hold.
            migrationBuilder.Sql(ReviewTrailSql.Backfill);

            migrationBuilder.CreateIndex(
                name: "IX_Transitions_Hash",
                table: "Transitions",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Transitions_PreviousHash",
                table: "Transitions",
                column: "PreviousHash",
                unique: true);

            migrationBuilder.Sql(ReviewTrailSql.CreateTriggers);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ReviewTrailSql.DropTriggers);

            migrationBuilder.DropIndex(
                name: "IX_Transitions_Hash",
                table: "Transitions");

            migrationBuilder.DropIndex(
                name: "IX_Transitions_PreviousHash",
                table: "Transitions");

            migrationBuilder.DropColumn(
                name: "ById",
                table: "Transitions");

            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "Transitions");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "Transitions");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "Transitions");
        }
    }
}
