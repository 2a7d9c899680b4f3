using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>Which current pages cite each reference (only the version readers see counts, not old ones).</summary>
public static class CitingVersions
{
    public static async Task<Dictionary<string, List<(Article Article, ArticleVersion Version)>>> CurrentByReferenceAsync(
        IbmInfoDb db, CancellationToken cancellationToken)
    {
        var articles = await db.Articles.AsNoTracking().Include(a => a.Versions).ThenInclude(v => v.Citations).ToListAsync(cancellationToken);
        return articles
            .Select(a => (Article: a, Version: PublishedContent.Current(a.Versions)))
            .Where(x => x.Version is not null)
            .SelectMany(x => x.Version!.Citations.Select(c => (c.ReferenceKey, x.Article, Version: x.Version!)))
            .GroupBy(x => x.ReferenceKey)
            .ToDictionary(g => g.Key, g => g.Select(x => (x.Article, x.Version)).OrderBy(x => x.Version.Title).ToList());
    }
}
