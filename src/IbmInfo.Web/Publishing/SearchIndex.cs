using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// The SQLite FTS5 table <c>SearchIndex</c> (created by a migration): one row per rendering, its rowid the
/// rendering's id, so a query can be narrowed to the versions readers currently see and to their audience.
/// </summary>
public static class SearchIndex
{
    /// <summary>Re-indexes the renderings of the given versions; called inside the sync's transaction.</summary>
    public static async Task ReindexAsync(IbmInfoDb db, IEnumerable<int> versionIds, CancellationToken cancellationToken)
    {
        foreach (var id in versionIds)
        {
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM SearchIndex WHERE rowid IN (SELECT Id FROM Renderings WHERE VersionId = {id})
                """, cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO SearchIndex(rowid, Title, Summary, Body)
                SELECT r.Id, v.Title, v.Summary, r.PlainText
                FROM Renderings r JOIN Versions v ON v.Id = r.VersionId
                WHERE r.VersionId = {id}
                """, cancellationToken);
        }
    }
}
