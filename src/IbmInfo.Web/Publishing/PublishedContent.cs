using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>A version as one reader sees it: its rendering for their audience and its reference list.</summary>
public sealed record VersionView(
    Article Article,
    ArticleVersion Version,
    VersionRendering Rendering,
    IReadOnlyList<Reference> References,
    IReadOnlyList<Heading> Headings,
    ArticleVersion? Current)
{
    /// <summary>Shown under the "pending review" caution: still waiting for review (not approved, not closed).</summary>
    public bool IsPending => Version.Status is ReviewStatus.Submitted or ReviewStatus.UnderReview;

    /// <summary>A newer approved version exists than the one shown.</summary>
    public bool HasNewerApproved => Current is { Status: ReviewStatus.Approved } c && c.Number > Version.Number;
}

/// <summary>
/// An article with no version to show. <paramref name="BeingRevised"/>: its newest version was sent back for changes,
/// so a new one is on its way. Otherwise it was withdrawn; <paramref name="Withdrawal"/> is the last Retired or
/// Withdrawn step (its date and reason), null if there is none to show.
/// </summary>
public sealed record AbsentArticle(Article Article, ArticleVersion Newest, bool BeingRevised, ReviewTransition? Withdrawal)
{
    /// <summary>The page's title: the newest version's, with what has become of it.</summary>
    public string PageTitle => BeingRevised ? $"{Newest.Title}: being revised" : $"{Newest.Title}: withdrawn";

    /// <summary>Its address: <c>/articles/{slug}</c>, or <c>/{slug}</c> for a standalone page.</summary>
    public string Path => Article.Kind == ContentKind.Article ? $"/articles/{Article.Slug}" : $"/{Article.Slug}";
}

/// <summary>What the public sees: which version of an article is current, and each version as rendered.</summary>
public sealed class PublishedContent(IbmInfoDb db)
{
    /// <summary>
    /// The version readers get at an article's address: the latest approved one; where none is approved, the
    /// latest one still waiting for review (shown under the pending-review caution). A version sent back, retired,
    /// withdrawn or superseded is never it. Null when there is none of those: the article is being revised or gone.
    /// </summary>
    public static ArticleVersion? Current(IEnumerable<ArticleVersion> versions) => Current(versions, v => v.Status, v => v.Number);

    /// <summary>The same rule over any shape of version row (search keeps only the columns it needs).</summary>
    public static T? Current<T>(IEnumerable<T> versions, Func<T, ReviewStatus> status, Func<T, int> number) where T : class
    {
        var list = versions.ToList();
        return list.Where(v => status(v) == ReviewStatus.Approved).MaxBy(number)
            ?? list.Where(v => status(v) is ReviewStatus.Submitted or ReviewStatus.UnderReview).MaxBy(number);
    }

    /// <summary>Why an article that exists has no current version, or null when it has one (or does not exist).</summary>
    public async Task<AbsentArticle?> GetAbsentAsync(string slug, ContentKind kind, CancellationToken cancellationToken = default)
    {
        var article = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .SingleOrDefaultAsync(a => a.Slug == slug && a.Kind == kind, cancellationToken);
        if (article is null || article.Versions.Count == 0 || Current(article.Versions) is not null) return null;
        var newest = article.Versions.MaxBy(v => v.Number)!;
        var withdrawal = await LastWithdrawalAsync(article.Versions.Select(v => v.Id).ToList(), cancellationToken);
        return new AbsentArticle(article, newest, newest.Status == ReviewStatus.ChangesRequested, withdrawal);
    }

    /// <summary>The step that retired or withdrew a version (its date and reason), or null when it was not withdrawn.</summary>
    public Task<ReviewTransition?> GetWithdrawalAsync(ArticleVersion version, CancellationToken cancellationToken = default) =>
        LastWithdrawalAsync([version.Id], cancellationToken);

    /// <summary>The newest Retired or Withdrawn step of any of these versions.</summary>
    private Task<ReviewTransition?> LastWithdrawalAsync(List<int> versionIds, CancellationToken cancellationToken) =>
        db.Transitions.AsNoTracking()
            .Where(t => versionIds.Contains(t.VersionId) && (t.To == ReviewStatus.Retired || t.To == ReviewStatus.Withdrawn))
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every article or page of a kind with its current version, for lists.</summary>
    public async Task<List<(Article Article, ArticleVersion Version)>> ListCurrentAsync(ContentKind kind, CancellationToken cancellationToken = default)
    {
        var articles = await db.Articles.AsNoTracking().Where(a => a.Kind == kind).Include(a => a.Versions)
            .ToListAsync(cancellationToken);
        return articles
            .Select(a => (Article: a, Version: Current(a.Versions)))
            .Where(x => x.Version is not null)
            .Select(x => (x.Article, x.Version!))
            .OrderBy(x => x.Article.Order).ThenBy(x => x.Item2.Title, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The current version of an article or page, or null when there is none to show.</summary>
    public Task<VersionView?> GetCurrentAsync(string slug, ContentKind kind, Audience audience, CancellationToken cancellationToken = default) =>
        GetAsync(slug, kind, number: null, audience, cancellationToken);

    /// <summary>One exact version, whatever its status, or null when it does not exist.</summary>
    public Task<VersionView?> GetVersionAsync(string slug, int number, Audience audience, CancellationToken cancellationToken = default) =>
        GetAsync(slug, ContentKind.Article, number, audience, cancellationToken);

    /// <summary>One exact version of an article or a standalone page, for the editors' review.</summary>
    public Task<VersionView?> GetForReviewAsync(string slug, int number, Audience audience, CancellationToken cancellationToken = default) =>
        GetAsync(slug, kind: null, number, audience, cancellationToken);

    private async Task<VersionView?> GetAsync(string slug, ContentKind? kind, int? number, Audience audience, CancellationToken cancellationToken)
    {
        var article = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .SingleOrDefaultAsync(a => a.Slug == slug && (kind == null || a.Kind == kind), cancellationToken);
        if (article is null) return null;
        var current = Current(article.Versions);
        var version = number is null ? current : article.Versions.SingleOrDefault(v => v.Number == number);
        if (version is null) return null;

        var rendering = await db.Renderings.AsNoTracking()
            .SingleAsync(r => r.VersionId == version.Id && r.Audience == audience, cancellationToken);
        var keys = rendering.CitedKeys.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var records = await db.References.AsNoTracking().Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, cancellationToken);
        var references = keys.Where(records.ContainsKey).Select(k => records[k].ToReference()).ToList();
        var headings = JsonSerializer.Deserialize<List<Heading>>(rendering.HeadingsJson) ?? [];
        return new VersionView(article, version, rendering, references, headings, current);
    }
}
