using System.Text.Json;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// The SQLite FTS5 table <c>SearchIndex</c> (created by a migration): one row per rendering of each article's current
/// version — search covers only what readers see — its rowid the rendering's id, so a query can be narrowed to the
/// reader's audience. Older and newer versions are not indexed: that keeps a large first sync and the database
/// small. Whatever changes which version is current (a content sync, a review step) re-indexes the article in the
/// same transaction.
/// </summary>
public static class SearchIndex
{
    /// <summary>Indexes the current version of each given article and drops its other versions from the index.</summary>
    public static async Task ReindexArticlesAsync(IbmInfoDb db, IEnumerable<int> articleIds, CancellationToken cancellationToken)
    {
        var ids = articleIds.Distinct().ToList();
        if (ids.Count == 0) return;
        if (db is PostgreSqlIbmInfoDb) return; // PostgreSQL's full-text index comes with its search implementation
        var versions = await db.Versions.AsNoTracking()
            .Where(v => ids.Contains(v.ArticleId))
            .Select(v => new { v.Id, v.ArticleId, v.Number, v.Status })
            .ToListAsync(cancellationToken);
        var current = versions.GroupBy(v => v.ArticleId)
            .Select(g => PublishedContent.Current(g, v => v.Status, v => v.Number)?.Id)
            .OfType<int>();
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
}
