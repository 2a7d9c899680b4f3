using System.Globalization;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// The e-mails the review workflow sends, written after the step that causes them has been committed and handed to
/// the <see cref="MailQueue"/>: a version submitted (every reviewer but its submitter), changes requested (the
/// submitter, with the note), approved (the submitter), and re-reviews due within 30 days or overdue (the reviewers,
/// once per article and due date). Recipients are accounts that can sign in: a confirmed e-mail and a password. The
/// content folder's authors without a password are not mailed: they could not act on it. Mails name the article,
/// the version and the step, and link where to act; they carry no reader's data. Nothing here ever fails the step:
/// a problem is logged as a Warning.
/// </summary>
public sealed class ReviewNotifications(
    IbmInfoDb db, UserManager<IdentityUser> users, MailQueue mail, SiteAddress site, TimeProvider clock, ILogger<ReviewNotifications> logger)
{
    /// <summary>How far ahead a re-review counts as due, for reminders and for My work.</summary>
    public const int DueWithinDays = 30;

    private static readonly SemaphoreSlim OneReminderCheckAtATime = new(1, 1);

    private sealed record Submitted(int Id, string Slug, int Number, string Title, string ChangeNote, string SubmittedBy, string? SubmittedById);

    /// <summary>New Submitted versions (a web submit, or all of one import): one mail per reviewer, listing those they did not submit.</summary>
    public async Task VersionsSubmittedAsync(IEnumerable<int> versionIds, CancellationToken cancellationToken)
    {
        var ids = versionIds.ToList();
        if (!mail.Enabled || ids.Count == 0) return;
        try
        {
            var versions = await db.Versions.AsNoTracking().Where(v => ids.Contains(v.Id)).OrderBy(v => v.Article.Slug).ThenBy(v => v.Number)
                .Select(v => new Submitted(v.Id, v.Article.Slug, v.Number, v.Title, v.ChangeNote, v.SubmittedBy, v.SubmittedById))
                .ToListAsync(cancellationToken);
            foreach (var reviewer in await ReviewersAsync())
            {
                var theirs = versions.Where(v => v.SubmittedById != reviewer.Id && !SameAddress(v.SubmittedBy, reviewer.Email)).ToList();
                if (theirs.Count == 0) continue;
                var text = new StringBuilder();
                var subject = theirs.Count == 1
                    ? $"Review requested: “{theirs[0].Title}”, version {theirs[0].Number}"
                    : $"Review requested: {theirs.Count} new versions";
                text.AppendLine(theirs.Count == 1 ? "A version waits for review:" : $"{theirs.Count} versions wait for review:").AppendLine();
                foreach (var v in theirs)
                {
                    text.AppendLine($"“{v.Title}”, version {v.Number}, submitted by {v.SubmittedBy}");
                    if (v.ChangeNote.Length > 0) text.AppendLine($"What changed: {v.ChangeNote}");
                    text.AppendLine($"Review it: {ReviewLink(v.Slug, v.Number)}").AppendLine();
                }
                Send(reviewer.Email!, subject, text, reviewerFooter: true);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The review-requested e-mails for versions {Ids} could not be prepared; the versions are submitted all the same", ids);
        }
    }

    /// <summary>A review step committed: tells the submitter when changes were requested (with the note) or the version approved.</summary>
    public async Task StepTakenAsync(int versionId, ReviewStatus from, ReviewStatus to, string note, ReviewActor actor, CancellationToken cancellationToken)
    {
        var changes = to == ReviewStatus.ChangesRequested;
        var approved = to == ReviewStatus.Approved && from != ReviewStatus.Approved;
        if (!mail.Enabled || !(changes || approved)) return;
        try
        {
            var version = await db.Versions.AsNoTracking().Include(v => v.Article).SingleAsync(v => v.Id == versionId, cancellationToken);
            var submitter = version.SubmittedById is { } id ? await users.FindByIdAsync(id) : await users.FindByEmailAsync(version.SubmittedBy);
            if (submitter is null || !CanSignIn(submitter) || submitter.Id == actor.UserId) return;

            var text = new StringBuilder();
            string subject;
            if (changes)
            {
                subject = $"Changes requested: “{version.Title}”, version {version.Number}";
                text.AppendLine($"{actor.Name} ({actor.Email}) asked for changes to version {version.Number} of “{version.Title}”, which you submitted:").AppendLine();
                foreach (var line in note.ReplaceLineEndings("\n").Split('\n')) text.AppendLine("> " + line);
                text.AppendLine().AppendLine($"The request: {ReviewLink(version.Article.Slug, version.Number)}");
                text.AppendLine($"Write the next version: {site.Base()}/editor/write/{version.Article.Slug}");
            }
            else
            {
                subject = $"Approved: “{version.Title}”, version {version.Number}";
                text.AppendLine($"{actor.Name} ({actor.Email}) approved version {version.Number} of “{version.Title}”, which you submitted. Readers now see it.");
                if (version.NextReviewDue is { } due) text.AppendLine($"Its next review is due on {Date(due)}.");
                if (note.Length > 0) text.AppendLine().AppendLine($"Their note: {note}");
                text.AppendLine().AppendLine($"The review record: {ReviewLink(version.Article.Slug, version.Number)}");
            }
            Send(submitter.Email!, subject, text, reviewerFooter: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The e-mail about the step to {To} on version {VersionId} could not be prepared; the step is taken all the same", to, versionId);
        }
    }

    /// <summary>
    /// The daily check: every article whose current approved version is due for re-review within
    /// <see cref="DueWithinDays"/> days, or overdue, that has not had that reminder for that due date yet, is recorded
    /// and then mailed to every reviewer (one mail each, listing them). Returns how many reminders it recorded.
    /// </summary>
    public async Task<int> SendDueRemindersAsync(CancellationToken cancellationToken)
    {
        if (!mail.Enabled) return 0;
        await OneReminderCheckAtATime.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var today = DateOnly.FromDateTime(now);
            var due = await MyWork.DueForReview(db, today.AddDays(DueWithinDays))
                .Select(v => new { v.ArticleId, v.Article.Slug, v.Number, v.Title, Due = v.NextReviewDue!.Value })
                .ToListAsync(cancellationToken);
            var sent = await db.SentReminders.AsNoTracking().Select(r => new { r.ArticleId, r.DueDate, r.Kind }).ToListAsync(cancellationToken);
            var fresh = due.Select(d => (Item: d, Kind: d.Due < today ? ReminderKind.Overdue : ReminderKind.DueSoon))
                .Where(d => !sent.Contains(new { d.Item.ArticleId, DueDate = d.Item.Due, d.Kind }))
                .OrderBy(d => d.Item.Due).ToList();
            if (fresh.Count == 0) return 0;

            // Recorded first: a crash after this point loses a reminder rather than sending it twice.
            foreach (var (item, kind) in fresh)
                db.SentReminders.Add(new SentReminder { ArticleId = item.ArticleId, DueDate = item.Due, Kind = kind, SentAt = now });
            await db.SaveChangesAsync(cancellationToken);

            var subject = fresh.Count == 1
                ? $"Re-review {(fresh[0].Kind == ReminderKind.Overdue ? "overdue" : "due")}: “{fresh[0].Item.Title}”, version {fresh[0].Item.Number}"
                : $"Re-review due: {fresh.Count} articles";
            var text = new StringBuilder();
            text.AppendLine(fresh.Count == 1 ? "An approved article is due for its review:" : $"{fresh.Count} approved articles are due for their review:").AppendLine();
            foreach (var (item, kind) in fresh)
            {
                var when = kind == ReminderKind.Overdue
                    ? $"overdue since {Date(item.Due)}"
                    : $"due on {Date(item.Due)}, in {item.Due.DayNumber - today.DayNumber} days";
                text.AppendLine($"“{item.Title}”, version {item.Number}: {when}");
                text.AppendLine($"Review it: {ReviewLink(item.Slug, item.Number)}").AppendLine();
            }
            var reviewers = await ReviewersAsync();
            foreach (var reviewer in reviewers) Send(reviewer.Email!, subject, text, reviewerFooter: true);
            logger.LogInformation("Re-review reminders for {Count} articles queued for {Reviewers} reviewers", fresh.Count, reviewers.Count);
            return fresh.Count;
        }
        catch (DbUpdateException e)
        {
            // Another process recorded the same reminder first (the unique index): it sends it.
            logger.LogInformation(e, "Re-review reminders already recorded by another process");
            db.ChangeTracker.Clear();
            return 0;
        }
        finally
        {
            OneReminderCheckAtATime.Release();
        }
    }

    private async Task<List<IdentityUser>> ReviewersAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Reviewer)).Where(CanSignIn).OrderBy(u => u.Email).ToList();

    /// <summary>A confirmed e-mail and a password: the content folder's password-less authors cannot act on a mail.</summary>
    private static bool CanSignIn(IdentityUser user) => user.EmailConfirmed && !string.IsNullOrEmpty(user.Email) && user.PasswordHash is not null;

    private static bool SameAddress(string a, string? b) => string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    private string ReviewLink(string slug, int number) => $"{site.Base()}/editor/review/{slug}/{number}";

    private static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private void Send(string to, string subject, StringBuilder body, bool reviewerFooter)
    {
        var text = new StringBuilder(body.ToString());
        text.AppendLine("-- ");
        text.AppendLine(reviewerFooter
            ? "You get this e-mail because your IbmInfo account has the Reviewer role."
            : "You get this e-mail because you submitted this version on IbmInfo.");
        text.AppendLine($"Everything waiting for you: {site.Base()}/editor/my-work");
        mail.Enqueue(new OutgoingMail(to, subject, text.ToString()));
    }
}
