using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IbmInfo.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReferenceAccessedAndNote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "Year",
                table: "References",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<DateOnly>(
                name: "Accessed",
                table: "References",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "References",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Accessed",
                table: "References");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "References");

            migrationBuilder.AlterColumn<int>(
                name: "Year",
                table: "References",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
