using System.Runtime.CompilerServices;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.Search;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// Search on PostgreSQL: the table <c>"SearchIndex"</c> (<see cref="PostgreSqlSearchSql"/>) with its weighted
/// <c>tsvector</c>, ranked by <c>ts_rank</c> and marked by <c>ts_headline</c>. The query is built from the groups
/// of words, each word or phrase a parameter read by <c>phraseto_tsquery</c> (which treats it as plain text), the
/// alternatives joined by <c>||</c> and the groups by <c>&amp;&amp;</c> or <c>||</c>: no reader's text is ever parsed
/// as <c>tsquery</c> syntax, so <c>&amp; | ! &lt;-&gt; :*</c> in it are only punctuation. (<c>websearch_to_tsquery</c>
/// would be safe too, but it reads "or" and a leading "-" as operators, and our query is already structured.) Id
/// lists reach PostgreSQL as one <c>integer[]</c> parameter (<c>= ANY</c>).
/// </summary>
public sealed class PostgreSqlSearchIndex(IbmInfoDb db) : ISearchIndex
{
    private const string Config = PostgreSqlSearchSql.Config;

    /// <summary>
    /// <c>ts_rank</c>'s weights for D, C, B, A (text, unused, summary, title): the same 1 : 5 : 10 as FTS5's bm25;
    /// normalisation 1 divides by the log of the text's length, so a long article does not win by length alone.
    /// </summary>
    private const string Rank = "ts_rank(ARRAY[0.1, 0, 0.5, 1.0]::real[], s.\"Document\", q.query, 1)";

    /// <summary>Whole title or summary, every match marked.</summary>
    private static readonly string Whole = $"HighlightAll=true, StartSel={SearchQuery.Open}, StopSel={SearchQuery.Close}";

    /// <summary>One passage of about 28 words around the best match, as FTS5's <c>snippet(…, 28)</c>.</summary>
    private static readonly string Passage = $"MaxFragments=1, MaxWords=28, MinWords=12, StartSel={SearchQuery.Open}, StopSel={SearchQuery.Close}";

    public async Task ReindexArticlesAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken)
    {
        var ids = articleIds.Distinct().ToArray();
        if (ids.Length == 0) return;
        var current = (await CurrentRenderings.CurrentVersionIdsAsync(db, ids, cancellationToken)).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "SearchIndex" WHERE "RenderingId" IN (
                SELECT r."Id" FROM "Renderings" r JOIN "Versions" v ON v."Id" = r."VersionId" WHERE v."ArticleId" = ANY({ids}))
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create($$"""
            INSERT INTO "SearchIndex"("RenderingId", "Title", "Summary", "Body", "Document")
            SELECT r."Id", v."Title", v."Summary", r."PlainText", {{PostgreSqlSearchSql.Document}}
            FROM "Renderings" r JOIN "Versions" v ON v."Id" = r."VersionId"
            WHERE v."Id" = ANY({0})
            """, current), cancellationToken);
    }

    /// <summary>Ranked by <c>ts_rank</c>, the id breaking ties so pages never overlap; the total from the same pass.</summary>
    public async Task<SearchRanking> RankAsync(SearchMatch match, IReadOnlyList<int> ids, int skip, int take, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var query = Query(match, args);
        var sql = $"""
            SELECT s."RenderingId" AS "Id", (count(*) OVER ())::integer AS "Total"
            FROM "SearchIndex" s CROSS JOIN (SELECT {query} AS query) q
            WHERE s."Document" @@ q.query AND s."RenderingId" = ANY({Arg(args, ids.ToArray())})
            ORDER BY {Rank} DESC, s."RenderingId"
            LIMIT {Arg(args, take)} OFFSET {Arg(args, skip)}
            """;
        var rows = await db.Database.SqlQuery<RankedRow>(FormattableStringFactory.Create(sql, [.. args])).ToListAsync(cancellationToken);
        return new SearchRanking(rows.Select(r => r.Id).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>
    /// <c>ts_headline</c> marks the whole title and summary, and picks the text's passage; "…" is added where the
    /// passage does not reach the start or end of the text, as FTS5's snippet does.
    /// </summary>
    public async Task<IReadOnlyList<SearchHighlight>> HighlightAsync(SearchMatch match, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var query = Query(match, args);
        var whole = Arg(args, Whole);
        var sql = $"""
            SELECT s."RenderingId" AS "Id",
                   ts_headline('{Config}', s."Title", q.query, {whole}) AS "Title",
                   ts_headline('{Config}', s."Summary", q.query, {whole}) AS "Summary",
                   CASE WHEN strpos(s."Body", p.plain) > 1 THEN '…' ELSE '' END || m.marked ||
                   CASE WHEN strpos(s."Body", p.plain) + length(p.plain) <= length(rtrim(s."Body", E' \n')) THEN '…' ELSE '' END AS "Snippet"
            FROM "SearchIndex" s CROSS JOIN (SELECT {query} AS query) q
            CROSS JOIN LATERAL (SELECT ts_headline('{Config}', s."Body", q.query, {Arg(args, Passage)}) AS marked) m
            CROSS JOIN LATERAL (SELECT replace(replace(m.marked, chr(2), ''), chr(3), '') AS plain) p
            WHERE s."RenderingId" = ANY({Arg(args, ids.ToArray())})
            """;
        return await db.Database.SqlQuery<SearchHighlight>(FormattableStringFactory.Create(sql, [.. args])).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Spelling tolerance with <c>pg_trgm</c>: the title word sharing the most trigrams with the misspelt
    /// <paramref name="term"/> (<c>similarity</c> at least 0.3, pg_trgm's own threshold for <c>%</c>), so a word
    /// three or more edits from the right one still finds it: "mytosis" → "myositis". Titles only, since they name
    /// the topics readers look for, and they are few: the current renderings' titles are read by primary key, with
    /// no trigram index to keep. The vocabulary's rule comes first and stays the only one on SQLite.
    /// </summary>
    public async Task<string?> NearestTitleWordAsync(string term, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        // Short words and numbers share too few trigrams to tell a misspelling from another word.
        if (term.Length < 4 || term.All(char.IsDigit)) return null;
        var words = await db.Database.SqlQuery<string>($"""
            SELECT w.word AS "Value"
            FROM "SearchIndex" s CROSS JOIN LATERAL regexp_split_to_table(lower(s."Title"), '[^[:alnum:]]+') AS w(word)
            WHERE s."RenderingId" = ANY({ids.ToArray()}) AND length(w.word) >= 3 AND similarity(w.word, {term}) >= 0.3
            ORDER BY similarity(w.word, {term}) DESC, w.word
            LIMIT 1
            """).ToListAsync(cancellationToken);
        return words.FirstOrDefault();
    }

    /// <summary>
    /// The <c>tsquery</c> expression for <paramref name="match"/>: every alternative a parameter of
    /// <c>phraseto_tsquery</c> (a single word gives the same as <c>plainto_tsquery</c>; a phrase keeps its order).
    /// A word that is only an English stop word gives an empty query, which matches nothing.
    /// </summary>
    internal static string Query(SearchMatch match, List<object> args) =>
        string.Join(match.All ? " && " : " || ", match.Groups.Select(group =>
            "(" + string.Join(" || ", group.Select(alternative => $"phraseto_tsquery('{Config}', {Arg(args, alternative)})")) + ")"));

    /// <summary>Adds a parameter and gives its placeholder.</summary>
    private static string Arg(List<object> args, object value)
    {
        args.Add(value);
        return "{" + (args.Count - 1) + "}";
    }

    private sealed record RankedRow(int Id, int Total);
}
