namespace IbmInfo.Web.Data;

/// <summary>
/// The PostgreSQL search table, outside the EF model as SQLite's FTS5 table is: one row per indexed rendering, a
/// <c>tsvector</c> weighted title A, summary B, text D (<see cref="Document"/>), and a GIN index on it;
/// <c>pg_trgm</c> for the spelling tolerance of <see cref="Publishing.PostgreSqlSearchIndex.NearestTitleWordAsync"/>.
/// The text search configuration <see cref="Config"/> is PostgreSQL's <c>english</c> (Snowball stemming, as FTS5's
/// Porter: "swallowing" finds "swallow") with <c>unaccent</c> before the stemmer, so "sjogren" finds "Sjögren" as
/// FTS5's <c>remove_diacritics</c> does. Both extensions are "trusted" in PostgreSQL 13 and later: the database's
/// owner may create them.
/// </summary>
public static class PostgreSqlSearchSql
{
    /// <summary>The text search configuration that indexing and every query use.</summary>
    public const string Config = "ibminfo_english";

    public const string Create = $"""
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE TEXT SEARCH CONFIGURATION {Config} (COPY = pg_catalog.english);
        ALTER TEXT SEARCH CONFIGURATION {Config} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        CREATE TABLE "SearchIndex" (
            "RenderingId" integer PRIMARY KEY,
            "Title" text NOT NULL,
            "Summary" text NOT NULL,
            "Body" text NOT NULL,
            "Document" tsvector NOT NULL
        );
        CREATE INDEX "IX_SearchIndex_Document" ON "SearchIndex" USING GIN ("Document");
        """;

    /// <summary>
    /// The weighted document of a row, over a version <c>v</c> and its rendering <c>r</c>, written with the row by the
    /// re-index. A plain column rather than a generated one,
    /// so that a copy of the table (a restore, the tests' reset) can carry it over as it is.
    /// </summary>
    public const string Document = $"""
        setweight(to_tsvector('{Config}', v."Title"), 'A') ||
        setweight(to_tsvector('{Config}', v."Summary"), 'B') ||
        setweight(to_tsvector('{Config}', r."PlainText"), 'D')
        """;

    /// <summary>The extensions stay: other objects in the database may use them.</summary>
    public const string Drop = $"""
        DROP TABLE "SearchIndex";
        DROP TEXT SEARCH CONFIGURATION {Config};
        """;
}
