using System.Globalization;
using System.Security.Claims;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Publishing;

/// <summary>The two roles of the editorial team; one person may hold both.</summary>
public static class Roles
{
    public const string Editor = "Editor";
    public const string Reviewer = "Reviewer";
    public static readonly IReadOnlyList<string> All = [Editor, Reviewer];

    /// <summary>The claim holding the name readers see ("Last reviewed by Dr …").</summary>
    public const string DisplayNameClaim = "name";
}

/// <summary><c>Review:*</c> configuration.</summary>
public sealed class ReviewOptions
{
    /// <summary>Months from an approval to the next review due.</summary>
    public int IntervalMonths { get; set; } = 12;
}

/// <summary>The signed-in person asking for a transition, as the rules need them; <paramref name="UserId"/> is their account's id.</summary>
public sealed record ReviewActor(string Email, string Name, bool IsEditor, bool IsReviewer, string? UserId = null)
{
    public static ReviewActor From(ClaimsPrincipal user)
    {
        var email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "";
        var name = user.FindFirstValue(Roles.DisplayNameClaim) ?? DefaultName(email);
        return new ReviewActor(email, name, user.IsInRole(Roles.Editor), user.IsInRole(Roles.Reviewer), user.FindFirstValue(ClaimTypes.NameIdentifier));
    }

    /// <summary>The e-mail's local part, when an account was made without a name.</summary>
    public static string DefaultName(string email) => email.Split('@')[0];
}

public enum TransitionOutcome
{
    Done,
    /// <summary>Not a step allowed from the version's status, or a required note missing: nothing changed.</summary>
    Refused,
    /// <summary>A step this person may not take (wrong role, or approving their own version): nothing changed.</summary>
    Forbidden,
    /// <summary>Someone else moved the version since the form was shown: nothing changed.</summary>
    Conflict,
    NotFound,
}

public sealed record TransitionResult(TransitionOutcome Outcome, string Message)
{
    public bool Succeeded => Outcome == TransitionOutcome.Done;
}

/// <summary>
/// The review rules, in one place: which steps are allowed from each status, who may take them, and the one
/// method that applies a step (status, reviewer fields, audit trail) so that two reviewers acting at once cannot
/// both win. Pages only ask and show the answer.
/// </summary>
public sealed class ReviewWorkflow(IbmInfoDb db, SiteChanges changes, TimeProvider clock, IOptions<ReviewOptions> options, ReviewNotifications notifications, ISearchIndex searchIndex)
{
    public const int MaxNoteLength = 2000;

    private static readonly Dictionary<ReviewStatus, ReviewStatus[]> Allowed = new()
    {
        [ReviewStatus.Submitted] = [ReviewStatus.UnderReview, ReviewStatus.ChangesRequested, ReviewStatus.Withdrawn],
        [ReviewStatus.UnderReview] = [ReviewStatus.Approved, ReviewStatus.ChangesRequested],
        // Approved → Approved is a re-review that confirms the same text for another interval.
        [ReviewStatus.Approved] = [ReviewStatus.Approved, ReviewStatus.Retired],
        // A version sent back, retired or withdrawn is final: its text is fixed, so the fix is a new version.
        [ReviewStatus.ChangesRequested] = [],
        [ReviewStatus.Retired] = [],
        [ReviewStatus.Withdrawn] = [],
        // Superseded is never asked for: ApplyAsync closes older waiting versions with it when a newer one is approved.
        [ReviewStatus.Superseded] = [],
    };

    /// <summary>The steps allowed from <paramref name="from"/>, whoever asks.</summary>
    public static IReadOnlyList<ReviewStatus> NextSteps(ReviewStatus from) => Allowed[from];

    /// <summary>A note is required where the author or readers need to know why, and to confirm a version unchanged (checked against what).</summary>
    public static bool NeedsNote(ReviewStatus from, ReviewStatus to) =>
        to is ReviewStatus.ChangesRequested or ReviewStatus.Retired || IsConfirmation(from, to);

    /// <summary>A re-review that keeps an approved version's text for another interval: no new version.</summary>
    public static bool IsConfirmation(ReviewStatus? from, ReviewStatus to) => from == ReviewStatus.Approved && to == ReviewStatus.Approved;

    /// <summary>What the history and the trail call a step.</summary>
    public static string StepLabel(ReviewStatus? from, ReviewStatus to) =>
        IsConfirmation(from, to) ? "Reviewed again, unchanged" : Label(to);

    public static string Label(ReviewStatus status) => status switch
    {
        ReviewStatus.UnderReview => "Under review",
        ReviewStatus.ChangesRequested => "Changes requested",
        _ => status.ToString(),
    };

    /// <summary>The button's words for taking a step.</summary>
    public static string Action(ReviewStatus from, ReviewStatus to) => to switch
    {
        _ when IsConfirmation(from, to) => "Confirm unchanged for another interval",
        ReviewStatus.UnderReview => "Start review",
        ReviewStatus.Approved => "Approve",
        ReviewStatus.ChangesRequested => "Request changes",
        ReviewStatus.Retired => "Retire (withdraw)",
        ReviewStatus.Withdrawn => "Withdraw from review",
        _ => Label(to),
    };

    /// <summary>Why <paramref name="actor"/> may not move <paramref name="version"/> to <paramref name="to"/>, or null when they may.</summary>
    public static string? WhyNot(ArticleVersion version, ReviewStatus to, ReviewActor actor) =>
        WhyIllegal(version.Status, to) ?? WhyForbidden(version, to, actor);

    private static string? WhyIllegal(ReviewStatus from, ReviewStatus to)
    {
        var allowed = Allowed[from];
        if (allowed.Contains(to)) return null;
        return $"A version that is {Label(from)} cannot be moved to {Label(to)}. " + (allowed.Length == 0
            ? $"{Label(from)} is a final step: put any change in a new version file."
            : $"From {Label(from)} it can only go to {Listed(allowed.Select(Label).ToList())}.");
    }

    /// <summary>"A", "A or B", "A, B or C" (or "and").</summary>
    private static string Listed(List<string> items, string conjunction = "or") =>
        items.Count == 1 ? items[0] : string.Join(", ", items[..^1]) + $" {conjunction} " + items[^1];

    private static string? WhyForbidden(ArticleVersion version, ReviewStatus to, ReviewActor actor)
    {
        if (to is ReviewStatus.UnderReview or ReviewStatus.Approved or ReviewStatus.ChangesRequested && !actor.IsReviewer)
            return $"Only a reviewer can move a version to {Label(to)}. Your account does not have the Reviewer role.";
        if (to == ReviewStatus.Retired && !actor.IsReviewer && !actor.IsEditor)
            return "Only an editor or a reviewer can retire a version.";
        if (to == ReviewStatus.Withdrawn && !IsSubmitter(version, actor))
            return $"Only the account that submitted this version ({version.SubmittedBy}) can withdraw it.";
        if (IsConfirmation(version.Status, to) && IsSubmitter(version, actor))
            return "You submitted this version, so you cannot confirm it: every review is by a second person.";
        if (to == ReviewStatus.Approved && IsSubmitter(version, actor))
            return "You submitted this version, so you cannot approve it: every version is approved by a second person.";
        if (IsConfirmation(version.Status, to) && version.Article?.Versions.Where(v => v.Number > version.Number && v.Status == ReviewStatus.Approved).MaxBy(v => v.Number) is { } newer)
            return $"Readers see version {newer.Number} now: only the current approved version can be confirmed for another interval.";
        return null;
    }

    /// <summary>
    /// Whether <paramref name="actor"/> submitted the version: the same account, or (for a version stored before
    /// submitters were accounts) the same e-mail address.
    /// </summary>
    public static bool IsSubmitter(ArticleVersion version, ReviewActor actor) =>
        (version.SubmittedById is not null && version.SubmittedById == actor.UserId)
        || string.Equals(version.SubmittedBy.Trim(), actor.Email.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Moves a version to <paramref name="to"/> if the rules allow it and nobody has moved it since the form showing
    /// <paramref name="shownStamp"/> was loaded; writes the audit trail entry in the same save.
    /// </summary>
    public async Task<TransitionResult> ApplyAsync(
        int versionId, Guid shownStamp, ReviewStatus to, string? note, ReviewActor actor, CancellationToken cancellationToken = default)
    {
        // The article's other versions too: a confirmation needs to know which one is current, an approval closes older ones.
        var version = await db.Versions.Include(v => v.Article).ThenInclude(a => a.Versions)
            .SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null) return new(TransitionOutcome.NotFound, "This version does not exist.");
        if (version.ConcurrencyStamp != shownStamp) return await ConflictAsync(versionId, cancellationToken);
        if (WhyIllegal(version.Status, to) is string illegal) return new(TransitionOutcome.Refused, illegal);
        if (WhyForbidden(version, to, actor) is string forbidden) return new(TransitionOutcome.Forbidden, forbidden);

        note = note?.Trim() ?? "";
        if (IsConfirmation(version.Status, to) && note.Length == 0)
            return new(TransitionOutcome.Refused, "Add a note saying what you checked the version against, to confirm it unchanged: readers and the audit trail need it.");
        if (NeedsNote(version.Status, to) && note.Length == 0)
            return new(TransitionOutcome.Refused, $"Add a note saying why, to move a version to {Label(to)}: the author and the audit trail need it.");
        if (note.Length > MaxNoteLength)
            return new(TransitionOutcome.Refused, $"The note is {note.Length} characters long; keep it under {MaxNoteLength}.");

        var now = clock.GetUtcNow().UtcDateTime;
        var from = version.Status;
        if (to == ReviewStatus.Approved)
        {
            // An approval, or a confirmation of the same text: readers see who reviewed it last, and when it is due again.
            version.ReviewedBy = actor.Email;
            version.ReviewedByName = actor.Name;
            version.ReviewedAt = now;
            version.NextReviewDue = DateOnly.FromDateTime(now).AddMonths(options.Value.IntervalMonths);
        }
        Record(version, to, note, actor, now);
        // Older versions still waiting can no longer be what readers get: close them, so that the queues empty.
        var superseded = to == ReviewStatus.Approved && from != ReviewStatus.Approved
            ? version.Article.Versions.Where(v => v.Number < version.Number && v.Status is ReviewStatus.Submitted or ReviewStatus.UnderReview).OrderBy(v => v.Number).ToList()
            : [];
        foreach (var older in superseded)
            Record(older, ReviewStatus.Superseded, $"Superseded by version {version.Number}", actor, now);
        // The step and the search index (which follows the current version) change together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await ConflictAsync(versionId, cancellationToken);
        }
        await searchIndex.ReindexArticlesAsync([version.ArticleId], cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await changes.NotifyAsync(cancellationToken);
        await notifications.StepTakenAsync(version.Id, from, to, note, actor, cancellationToken);
        return new(TransitionOutcome.Done, IsConfirmation(from, to)
            ? $"Version {version.Number} of “{version.Title}” was confirmed unchanged; the next review is due on {version.NextReviewDue:d MMMM yyyy}."
            : $"Version {version.Number} of “{version.Title}” moved from {Label(from)} to {Label(to)}." + (superseded.Count == 0 ? ""
                : $" Older {(superseded.Count == 1 ? "version" : "versions")} still waiting ({Listed(superseded.Select(v => v.Number.ToString(CultureInfo.InvariantCulture)).ToList(), "and")}) closed as superseded."));
    }

    /// <summary>
    /// Every trail entry is written here: the version's new status and the step, saved together by the caller.
    /// </summary>
    private void Record(ArticleVersion version, ReviewStatus to, string note, ReviewActor actor, DateTime at)
    {
        var from = version.Status;
        if (from != to) version.StatusChangedAt = at;
        version.Status = to;
        version.ConcurrencyStamp = Guid.NewGuid();
        db.Transitions.Add(new ReviewTransition { Version = version, From = from, To = to, By = actor.Email, ById = actor.UserId, At = at, Note = note });
    }

    private async Task<TransitionResult> ConflictAsync(int versionId, CancellationToken cancellationToken)
    {
        var last = await db.Transitions.AsNoTracking().Where(t => t.VersionId == versionId)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).FirstAsync(cancellationToken);
        var at = last.At.ToString("HH:mm 'UTC on' d MMMM yyyy", CultureInfo.InvariantCulture);
        return new(TransitionOutcome.Conflict,
            $"This version was moved to {Label(last.To)} by {last.By} at {at}, after you opened this page. " +
            "Nothing you asked for was saved; here is the version's current state.");
    }
}
