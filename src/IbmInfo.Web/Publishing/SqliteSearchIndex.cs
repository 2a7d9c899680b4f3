using System.Text.Json;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// Search on SQLite: the FTS5 table <c>SearchIndex</c> (created by the first migration, outside the EF model;
/// Porter stemming, diacritics folded), its rowid the rendering's id. Id lists reach SQLite as one JSON array
/// parameter read with <c>json_each</c>.
/// </summary>
public sealed class SqliteSearchIndex(IbmInfoDb db) : ISearchIndex
{
    public async Task ReindexArticlesAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken)
    {
        var ids = articleIds.Distinct().ToList();
        if (ids.Count == 0) return;
        var current = await CurrentRenderings.CurrentVersionIdsAsync(db, ids, cancellationToken);
        var articles = JsonSerializer.Serialize(ids);
        var currentVersions = JsonSerializer.Serialize(current);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM SearchIndex WHERE rowid IN (
                SELECT r.Id FROM Renderings r JOIN Versions v ON v.Id = r.VersionId
                WHERE v.ArticleId IN (SELECT value FROM json_each({articles})))
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO SearchIndex(rowid, Title, Summary, Body)
            SELECT r.Id, v.Title, v.Summary, r.PlainText
            FROM Renderings r JOIN Versions v ON v.Id = r.VersionId
            WHERE v.Id IN (SELECT value FROM json_each({currentVersions}))
            """, cancellationToken);
    }

    /// <summary>
    /// One pass over the matches. Ranking comes alone, before any snippet: SQLite computes every result column of
    /// every matching row before sorting, and a snippet means reading the whole body. bm25 weights by column: Title
    /// 10, Summary 5, Body 1 (lower scores rank first). "+rowid" keeps SQLite from handing the id list to FTS5 as a
    /// rowid constraint: FTS5 would then look each id up in the index (hundreds of seeks) instead of walking the
    /// word's few doclists and checking each row against a list. (bm25 sits in a subquery: FTS5 refuses it beside a
    /// window function.)
    /// </summary>
    public async Task<SearchRanking> RankAsync(SearchMatch match, IReadOnlyList<int> ids, int skip, int take, CancellationToken cancellationToken)
    {
        var expression = Expression(match);
        var idList = JsonSerializer.Serialize(ids);
        var rows = await db.Database.SqlQuery<RankedRow>($"""
            SELECT Id, count(*) OVER () AS Total FROM (
                SELECT SearchIndex.rowid AS Id, bm25(SearchIndex, 10.0, 5.0, 1.0) AS Rank FROM SearchIndex
                WHERE SearchIndex MATCH {expression} AND +SearchIndex.rowid IN (SELECT value FROM json_each({idList})))
            ORDER BY Rank, Id
            LIMIT {take} OFFSET {skip}
            """).ToListAsync(cancellationToken);
        return new SearchRanking(rows.Select(r => r.Id).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    public async Task<IReadOnlyList<SearchHighlight>> HighlightAsync(SearchMatch match, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        var expression = Expression(match);
        var idList = JsonSerializer.Serialize(ids);
        return await db.Database.SqlQuery<SearchHighlight>($"""
            SELECT rowid AS Id,
                   highlight(SearchIndex, 0, char(2), char(3)) AS Title,
                   highlight(SearchIndex, 1, char(2), char(3)) AS Summary,
                   snippet(SearchIndex, 2, char(2), char(3), '…', 28) AS Snippet
            FROM SearchIndex
            WHERE SearchIndex MATCH {expression} AND rowid IN (SELECT value FROM json_each({idList}))
            """).ToListAsync(cancellationToken);
    }

    /// <summary>SQLite has no measure of how alike two words are beyond the vocabulary's edit distance.</summary>
    public Task<string?> NearestTitleWordAsync(string term, IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>
    /// The FTS5 MATCH expression: every alternative quoted as a string (a phrase stays a phrase), so no FTS syntax a
    /// reader types (quotes, <c>*</c>, <c>NEAR(</c>, <c>-</c>, <c>:</c>, column filters) can change the query or
    /// fail it; the alternatives of a group joined by OR, the groups by AND or OR.
    /// </summary>
    internal static string Expression(SearchMatch match) =>
        string.Join(match.All ? " AND " : " OR ", match.Groups.Select(g => g.Count == 1 ? Quote(g[0]) : "(" + string.Join(" OR ", g.Select(Quote)) + ")"));

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record RankedRow(int Id, int Total);
}
