using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IbmInfo.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// The search index keeps a rendering's text in up to eight parts (SqliteSearchIndex says why). Rows already
    /// indexed move over with their whole text in the first part: their results and ranking are the same, and the
    /// next re-indexing of the article cuts the text.
    /// </summary>
    public partial class SearchTextInParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE SearchIndex RENAME TO SearchIndexWhole;");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE SearchIndex USING fts5(Title, Summary, Body1, Body2, Body3, Body4, Body5, Body6, Body7, Body8, tokenize = 'porter unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("INSERT INTO SearchIndex(rowid, Title, Summary, Body1, Body2, Body3, Body4, Body5, Body6, Body7, Body8) SELECT rowid, Title, Summary, Body, '', '', '', '', '', '', '' FROM SearchIndexWhole;");
            migrationBuilder.Sql("DROP TABLE SearchIndexWhole;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE SearchIndex RENAME TO SearchIndexParts;");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE SearchIndex USING fts5(Title, Summary, Body, tokenize = 'porter unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("INSERT INTO SearchIndex(rowid, Title, Summary, Body) SELECT rowid, Title, Summary, Body1 || Body2 || Body3 || Body4 || Body5 || Body6 || Body7 || Body8 FROM SearchIndexParts;");
            migrationBuilder.Sql("DROP TABLE SearchIndexParts;");
        }
    }
}
