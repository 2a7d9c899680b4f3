using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// The renderings readers currently see (those of each article's current version), by audience, kept in memory
/// for search. Worked out again only when <see cref="ContentStatus.Generation"/> moves, which
/// <see cref="SiteChanges"/> does after every content sync and review step; otherwise each search would load every
/// version of every article to find the current ones. The search index itself now holds current versions only, but
/// an index written before that rule (by an older release) can still hold others, which this keeps out of results.
/// </summary>
public sealed class CurrentRenderings(ContentStatus status)
{
    private sealed record VersionRow(int Id, int ArticleId, int Number, ReviewStatus Status);
    private sealed record Snapshot(long Generation, IReadOnlyDictionary<Audience, IReadOnlyList<int>> IdsByAudience, IReadOnlyList<int> VersionIds);
    private sealed record Words(long Generation, IReadOnlyDictionary<string, int> Counts);

    private volatile Snapshot? _snapshot;
    private volatile Words? _words;
    private readonly SemaphoreSlim _rebuild = new(1, 1);

    /// <summary>
    /// Every word readers can find now (titles, summaries and text of the current versions, both audiences) with how
    /// often it occurs: what "Did you mean …" chooses from. Plain words rather than the index's stemmed terms, so a
    /// suggestion is always a real word, and the same on any database. Built when first asked for after a change.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> VocabularyAsync(IbmInfoDb db, CancellationToken cancellationToken)
    {
        var generation = status.Generation;
        if (_words is { } words && words.Generation == generation) return words.Counts;
        await IdsAsync(db, Audience.All, cancellationToken);
        var versionIds = _snapshot!.VersionIds;
        var texts = await db.Renderings.AsNoTracking()
            .Where(r => r.Audience == Audience.All && versionIds.Contains(r.VersionId))
            .Select(r => r.PlainText)
            .ToListAsync(cancellationToken);
        var titles = await db.Versions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => v.Title + "\n" + v.Summary)
            .ToListAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in texts.Concat(titles).SelectMany(Pages.Search.SearchQuery.WordsOf))
            counts[word] = counts.GetValueOrDefault(word) + 1;
        _words = new Words(generation, counts);
        return counts;
    }

    /// <summary>
    /// The ids of the current renderings for <paramref name="audience"/>, in order: what <see cref="ISearchIndex"/>
    /// narrows a search to.
    /// </summary>
    public async Task<IReadOnlyList<int>> IdsAsync(IbmInfoDb db, Audience audience, CancellationToken cancellationToken)
    {
        // The generation is read before the database: a change committed meanwhile bumps it afterwards, so a
        // snapshot can only be stored under a generation older than what it saw, never newer.
        var generation = status.Generation;
        var snapshot = _snapshot;
        if (snapshot?.Generation != generation)
        {
            await _rebuild.WaitAsync(cancellationToken);
            try
            {
                snapshot = _snapshot;
                if (snapshot?.Generation != generation)
                {
                    var (ids, versionIds) = await LoadAsync(db, cancellationToken);
                    snapshot = new Snapshot(generation, ids, versionIds);
                    _snapshot = snapshot;
                }
            }
            finally
            {
                _rebuild.Release();
            }
        }
        return snapshot.IdsByAudience.GetValueOrDefault(audience) ?? [];
    }

    /// <summary>The id of the current version of each of <paramref name="articleIds"/> that has one: what the search index holds.</summary>
    public static async Task<List<int>> CurrentVersionIdsAsync(IbmInfoDb db, IReadOnlyList<int> articleIds, CancellationToken cancellationToken)
    {
        var versions = await db.Versions.AsNoTracking()
            .Where(v => articleIds.Contains(v.ArticleId))
            .Select(v => new VersionRow(v.Id, v.ArticleId, v.Number, v.Status))
            .ToListAsync(cancellationToken);
        return versions.GroupBy(v => v.ArticleId)
            .Select(g => PublishedContent.Current(g, v => v.Status, v => v.Number)?.Id)
            .OfType<int>()
            .ToList();
    }

    private static async Task<(IReadOnlyDictionary<Audience, IReadOnlyList<int>>, IReadOnlyList<int>)> LoadAsync(IbmInfoDb db, CancellationToken cancellationToken)
    {
        // Only the four columns the rule needs, not whole versions with their text.
        var versions = await db.Versions.AsNoTracking()
            .Select(v => new VersionRow(v.Id, v.ArticleId, v.Number, v.Status))
            .ToListAsync(cancellationToken);
        var current = versions.GroupBy(v => v.ArticleId)
            .Select(g => PublishedContent.Current(g, v => v.Status, v => v.Number))
            .OfType<VersionRow>()
            .Select(v => v.Id)
            .ToHashSet();
        var renderings = await db.Renderings.AsNoTracking()
            .Select(r => new { r.Id, r.VersionId, r.Audience })
            .ToListAsync(cancellationToken);
        var byAudience = renderings.Where(r => current.Contains(r.VersionId))
            .GroupBy(r => r.Audience)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.Select(r => r.Id).Order().ToList());
        return (byAudience, current.Order().ToList());
    }
}
