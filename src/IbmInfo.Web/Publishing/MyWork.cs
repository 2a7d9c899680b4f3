using System.Linq.Expressions;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// What waits for one signed-in person: versions waiting for their review (reviewers; never their own), their own
/// versions sent back with the reviewer's note (until a newer version of that article exists), and articles whose
/// current approved version is due for re-review within 30 days or overdue (reviewers). "My work", its count in the
/// editor's navigation and the reminder e-mails all ask here, so they always agree.
/// </summary>
public sealed class MyWork(IbmInfoDb db, TimeProvider clock)
{
    public sealed record ToReviewItem(ArticleVersion Version, string? StartedBy);
    public sealed record SentBackItem(ArticleVersion Version, ReviewTransition Request);
    public sealed record DueItem(ArticleVersion Version, DateOnly Due, bool Overdue);

    public sealed record Lists(IReadOnlyList<ToReviewItem> ToReview, IReadOnlyList<SentBackItem> SentBack, IReadOnlyList<DueItem> Due, DateOnly Today)
    {
        public int Count => ToReview.Count + SentBack.Count + Due.Count;
    }

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<Lists> LoadAsync(ReviewActor actor, CancellationToken cancellationToken)
    {
        var today = Today;
        List<ToReviewItem> toReview = [];
        List<DueItem> due = [];
        if (actor.IsReviewer)
        {
            var waiting = await WaitingForReview(actor).Include(v => v.Article).Include(v => v.Transitions)
                .OrderBy(v => v.Status).ThenBy(v => v.StatusChangedAt).ToListAsync(cancellationToken);
            toReview = waiting.Select(v => new ToReviewItem(v, v.Status == ReviewStatus.UnderReview
                ? v.Transitions.Where(t => t.To == ReviewStatus.UnderReview).MaxBy(t => t.At)?.By
                : null)).ToList();
            var approved = await DueForReview(db, today.AddDays(ReviewNotifications.DueWithinDays)).Include(v => v.Article)
                .OrderBy(v => v.NextReviewDue).ToListAsync(cancellationToken);
            due = approved.Select(v => new DueItem(v, v.NextReviewDue!.Value, v.NextReviewDue < today)).ToList();
        }
        var sentBack = (await SentBack(actor).Include(v => v.Article).Include(v => v.Transitions)
                .OrderByDescending(v => v.StatusChangedAt).ToListAsync(cancellationToken))
            .Select(v => new SentBackItem(v, v.Transitions.Where(t => t.To == ReviewStatus.ChangesRequested).MaxBy(t => t.At)!))
            .Where(x => x.Request is not null).ToList();
        return new Lists(toReview, sentBack, due, today);
    }

    /// <summary>The number My work's heading shows, counted in the database (the navigation shows it on every editor page).</summary>
    public async Task<int> CountAsync(ReviewActor actor, CancellationToken cancellationToken)
    {
        var count = await SentBack(actor).CountAsync(cancellationToken);
        if (actor.IsReviewer)
        {
            count += await WaitingForReview(actor).CountAsync(cancellationToken);
            count += await DueForReview(db, Today.AddDays(ReviewNotifications.DueWithinDays)).CountAsync(cancellationToken);
        }
        return count;
    }

    /// <summary>
    /// Submitted or under review with no newer approved version (<see cref="ReviewQueues.IsWaiting"/>'s rule, asked of
    /// the database), and not submitted by <paramref name="actor"/> (who may not approve it).
    /// </summary>
    private IQueryable<ArticleVersion> WaitingForReview(ReviewActor actor) =>
        db.Versions.AsNoTracking()
            .Where(v => v.Status == ReviewStatus.Submitted || v.Status == ReviewStatus.UnderReview)
            .Where(v => !db.Versions.Any(n => n.ArticleId == v.ArticleId && n.Number > v.Number && n.Status == ReviewStatus.Approved))
            .Where(Not(SubmittedBy(actor)));

    /// <summary><paramref name="actor"/>'s versions sent back with Changes requested, while no newer version of the article exists (<see cref="ReviewQueues.IsWaiting"/>'s rule).</summary>
    private IQueryable<ArticleVersion> SentBack(ReviewActor actor) =>
        db.Versions.AsNoTracking()
            .Where(v => v.Status == ReviewStatus.ChangesRequested)
            .Where(SubmittedBy(actor))
            .Where(v => !db.Versions.Any(n => n.ArticleId == v.ArticleId && n.Number > v.Number));

    /// <summary>Each article's current approved version (its newest approved one) whose review is due on or before <paramref name="limit"/>.</summary>
    internal static IQueryable<ArticleVersion> DueForReview(IbmInfoDb db, DateOnly limit) =>
        db.Versions.AsNoTracking()
            .Where(v => v.Status == ReviewStatus.Approved && v.NextReviewDue != null && v.NextReviewDue <= limit)
            .Where(v => !db.Versions.Any(n => n.ArticleId == v.ArticleId && n.Status == ReviewStatus.Approved && n.Number > v.Number));

    /// <summary>The same account, or (for versions stored before submitters were accounts) the same e-mail address.</summary>
    private static Expression<Func<ArticleVersion, bool>> SubmittedBy(ReviewActor actor)
    {
        var email = actor.Email.Trim().ToLowerInvariant();
        var id = actor.UserId;
        return id is null
            ? v => v.SubmittedBy.ToLower() == email
            : v => v.SubmittedById == id || v.SubmittedBy.ToLower() == email;
    }

    private static Expression<Func<ArticleVersion, bool>> Not(Expression<Func<ArticleVersion, bool>> predicate) =>
        Expression.Lambda<Func<ArticleVersion, bool>>(Expression.Not(predicate.Body), predicate.Parameters);
}
