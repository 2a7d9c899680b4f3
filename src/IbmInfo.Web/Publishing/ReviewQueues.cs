using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>A reviewer's "Changes requested" step, as the editor writing the next version needs it.</summary>
public sealed record ChangeRequest(int VersionNumber, int StepId, string By, DateTime At, string Note)
{
    /// <summary>The anchor of the step in the sent-back version's audit trail.</summary>
    public static string Anchor(int stepId) => $"trail-entry-{stepId}";
}

/// <summary>
/// What waits for someone, in one place: the dashboard's queues and counts, and anything else that lists work,
/// ask here rather than filter statuses themselves.
/// </summary>
public static class ReviewQueues
{
    /// <summary>The statuses that can wait for someone, in the order work flows.</summary>
    public static readonly IReadOnlyList<ReviewStatus> Statuses = [ReviewStatus.Submitted, ReviewStatus.UnderReview, ReviewStatus.ChangesRequested];

    /// <summary>
    /// Whether <paramref name="version"/> waits for someone, given every version of its article: a Submitted or Under
    /// review version waits for a reviewer until a newer version is approved (approving one closes the older ones as
    /// Superseded); a Changes requested version waits for its editor only until a newer version exists.
    /// </summary>
    public static bool IsWaiting(ArticleVersion version, IEnumerable<ArticleVersion> articleVersions) => version.Status switch
    {
        ReviewStatus.Submitted or ReviewStatus.UnderReview =>
            !articleVersions.Any(v => v.Number > version.Number && v.Status == ReviewStatus.Approved),
        ReviewStatus.ChangesRequested => !articleVersions.Any(v => v.Number > version.Number),
        _ => false,
    };

    /// <summary>The versions of <paramref name="article"/> (its versions loaded) that wait for someone.</summary>
    public static IEnumerable<ArticleVersion> Waiting(Article article) => article.Versions.Where(v => IsWaiting(v, article.Versions));

    /// <summary>The "Changes requested" step of each of these versions (the last one, should there be several), by version id.</summary>
    public static async Task<Dictionary<int, ChangeRequest>> RequestsAsync(IbmInfoDb db, IReadOnlyCollection<ArticleVersion> versions, CancellationToken cancellationToken)
    {
        var ids = versions.Where(v => v.Status == ReviewStatus.ChangesRequested).Select(v => v.Id).ToList();
        if (ids.Count == 0) return [];
        var steps = await db.Transitions.AsNoTracking()
            .Where(t => ids.Contains(t.VersionId) && t.To == ReviewStatus.ChangesRequested)
            .ToListAsync(cancellationToken);
        var numbers = versions.ToDictionary(v => v.Id, v => v.Number);
        return steps.GroupBy(t => t.VersionId)
            .Select(g => g.OrderBy(t => t.At).ThenBy(t => t.Id).Last())
            .ToDictionary(t => t.VersionId, t => new ChangeRequest(numbers[t.VersionId], t.Id, t.By, t.At, t.Note));
    }

    /// <summary>
    /// The request a version numbered <paramref name="number"/> answers: the changes requested on the version just before
    /// it, when that one was sent back; null otherwise. For the next version still being written, pass the newest number + 1.
    /// </summary>
    public static async Task<ChangeRequest?> AnsweredByAsync(IbmInfoDb db, Article article, int number, CancellationToken cancellationToken)
    {
        var previous = article.Versions.Where(v => v.Number < number).MaxBy(v => v.Number);
        if (previous is not { Status: ReviewStatus.ChangesRequested }) return null;
        return (await RequestsAsync(db, [previous], cancellationToken)).GetValueOrDefault(previous.Id);
    }
}
