using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IbmInfo.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PostgreSqlFullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Outside the EF model, as SQLite's FTS5 table is. It came out with the PostgreSQL provider itself, so every
            // version is imported (and indexed) after it.
            migrationBuilder.Sql(PostgreSqlSearchSql.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlSearchSql.Drop);
        }
    }
}
