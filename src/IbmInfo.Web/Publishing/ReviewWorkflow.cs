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
public sealed class ReviewWorkflow(IbmInfoDb db, SiteChanges changes, TimeProvider clock, IOptions<ReviewOptions> options, ReviewNotifications notifications)
{
    public const int MaxNoteLength = 2000;

    private static readonly Dictionary<ReviewStatus, ReviewStatus[]> Allowed = new()
    {
        [ReviewStatus.Submitted] = [ReviewStatus.UnderReview, ReviewStatus.ChangesRequested],
        [ReviewStatus.UnderReview] = [ReviewStatus.Approved, ReviewStatus.ChangesRequested],
        [ReviewStatus.Approved] = [ReviewStatus.Retired],
        // A version sent back, or withdrawn, is final: its text is fixed, so the fix is a new version file.
        [ReviewStatus.ChangesRequested] = [],
        [ReviewStatus.Retired] = [],
    };

    /// <summary>The steps allowed from <paramref name="from"/>, whoever asks.</summary>
    public static IReadOnlyList<ReviewStatus> NextSteps(ReviewStatus from) => Allowed[from];

    /// <summary>A note is required where the author or readers need to know why.</summary>
    public static bool NeedsNote(ReviewStatus to) => to is ReviewStatus.ChangesRequested or ReviewStatus.Retired;

    public static string Label(ReviewStatus status) => status switch
    {
        ReviewStatus.UnderReview => "Under review",
        ReviewStatus.ChangesRequested => "Changes requested",
        _ => status.ToString(),
    };

    /// <summary>The button's words for taking a step.</summary>
    public static string Action(ReviewStatus to) => to switch
    {
        ReviewStatus.UnderReview => "Start review",
        ReviewStatus.Approved => "Approve",
        ReviewStatus.ChangesRequested => "Request changes",
        ReviewStatus.Retired => "Retire (withdraw)",
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
            : $"From {Label(from)} it can only go to {string.Join(" or ", allowed.Select(Label))}.");
    }

    private static string? WhyForbidden(ArticleVersion version, ReviewStatus to, ReviewActor actor)
    {
        if (to is ReviewStatus.UnderReview or ReviewStatus.Approved or ReviewStatus.ChangesRequested && !actor.IsReviewer)
            return $"Only a reviewer can move a version to {Label(to)}. Your account does not have the Reviewer role.";
        if (to == ReviewStatus.Retired && !actor.IsReviewer && !actor.IsEditor)
            return "Only an editor or a reviewer can retire a version.";
        if (to == ReviewStatus.Approved && IsSubmitter(version, actor))
            return "You submitted this version, so you cannot approve it: every version is approved by a second person.";
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
        var version = await db.Versions.Include(v => v.Article).SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null) return new(TransitionOutcome.NotFound, "This version does not exist.");
        if (version.ConcurrencyStamp != shownStamp) return await ConflictAsync(versionId, cancellationToken);
        if (WhyIllegal(version.Status, to) is string illegal) return new(TransitionOutcome.Refused, illegal);
        if (WhyForbidden(version, to, actor) is string forbidden) return new(TransitionOutcome.Forbidden, forbidden);

        note = note?.Trim() ?? "";
        if (NeedsNote(to) && note.Length == 0)
            return new(TransitionOutcome.Refused, $"Add a note saying why, to move a version to {Label(to)}: the author and the audit trail need it.");
        if (note.Length > MaxNoteLength)
            return new(TransitionOutcome.Refused, $"The note is {note.Length} characters long; keep it under {MaxNoteLength}.");

        var now = clock.GetUtcNow().UtcDateTime;
        var from = version.Status;
        version.Status = to;
        version.StatusChangedAt = now;
        version.ConcurrencyStamp = Guid.NewGuid();
        if (to == ReviewStatus.Approved)
        {
            version.ReviewedBy = actor.Email;
            version.ReviewedByName = actor.Name;
            version.ReviewedAt = now;
            version.NextReviewDue = DateOnly.FromDateTime(now).AddMonths(options.Value.IntervalMonths);
        }
        db.Transitions.Add(new ReviewTransition { Version = version, From = from, To = to, By = actor.Email, ById = actor.UserId, At = now, Note = note });
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
        await SearchIndex.ReindexArticlesAsync(db, [version.ArticleId], cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await changes.NotifyAsync(cancellationToken);
        await notifications.StepTakenAsync(version.Id, from, to, note, actor, cancellationToken);
        return new(TransitionOutcome.Done, $"Version {version.Number} of “{version.Title}” moved from {Label(from)} to {Label(to)}.");
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
