using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// One reader's question with its internal thread: notes (any of the editorial staff may add one) and the steps
/// taken on it (handled, unhandled again, answered in version N: editors only). Entries are added, never edited, so
/// the thread is a true record of who said and did what, and when. Nothing here is ever shown to readers.
/// </summary>
public sealed class InboxMessageModel(IbmInfoDb db, TimeProvider clock) : PageModel
{
    public ReaderQuestion Question { get; private set; } = null!;
    public bool CanHandle => User.IsInRole(Roles.Editor);
    public string? Note { get; private set; }
    public string? NoteError { get; private set; }
    public string? AnswerError { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostNoteAsync(int id, string? note, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        if (InboxMessages.AddNote(Question, note, ReviewActor.From(User), Now, out var error, out var kept) is null)
        {
            (Note, NoteError) = (kept, error);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        return await SavedAsync("Note added.", cancellationToken);
    }

    /// <summary>Links (or unlinks, with an empty value) the version of this article that addressed the question.</summary>
    public async Task<IActionResult> OnPostAnswerAsync(int id, int? version, CancellationToken cancellationToken)
    {
        if (!CanHandle) return Forbid();
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        if (version is int n && Question.Article.Versions.All(v => v.Number != n))
        {
            AnswerError = $"“{InboxModel.TitleOf(Question.Article)}” has no version {n}: choose one of its versions.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        if (version == Question.AnsweredInVersion) return await SavedAsync("Nothing changed.", cancellationToken);
        InboxMessages.Answer(Question, version, ReviewActor.From(User), Now);
        return await SavedAsync(version is int v ? $"Linked as answered in version {v}." : "The link to a version was removed.", cancellationToken);
    }

    public async Task<IActionResult> OnPostHandledAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanHandle) return Forbid();
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        return await SavedAsync(InboxMessages.MarkHandled(Question, ReviewActor.From(User), Now)
            ? "Question marked as handled." : $"That question was already marked handled by {Question.HandledBy}.", cancellationToken);
    }

    public async Task<IActionResult> OnPostReopenAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanHandle) return Forbid();
        if (!await LoadAsync(id, cancellationToken)) return NotFound();
        return await SavedAsync(InboxMessages.Reopen(Question, ReviewActor.From(User), Now)
            ? "Question marked as not handled: it is among the new ones again." : "That question was not marked handled.", cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<IActionResult> SavedAsync(string confirmation, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        Confirmation = confirmation;
        return RedirectToPage(new { id = Question.Id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        var question = await db.Questions.Include(q => q.Article).ThenInclude(a => a.Versions).Include(q => q.Activity)
            .SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (question is null) return false;
        question.Activity.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Id.CompareTo(b.Id));
        Question = question;
        return true;
    }

    public static string StatusOf(ArticleVersion version) => ReviewWorkflow.Label(version.Status);
}
