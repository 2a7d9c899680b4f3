using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// Writing the next version of an article or page: the form starts from the newest version's text (or the editor's
/// own draft of it), and offers Save draft, Preview (for patients, clinicians or both) and Submit for review. The
/// form has no author field: the version is submitted by the signed-in account.
/// </summary>
[Authorize(Policy = Roles.Editor)]
public sealed class WriteModel(IbmInfoDb db, WebEditor editor, UserManager<IdentityUser> users, TimeProvider clock) : PageModel
{
    public const int MaxBodyLength = 200_000;

    public sealed class DraftForm
    {
        public string? Title { get; set; }
        public string? Summary { get; set; }
        public string? Category { get; set; }
        public int Order { get; set; }
        public string? ChangeNote { get; set; }
        public string? OtherFrontMatter { get; set; }
        public string? Body { get; set; }
        /// <summary>The newest version number when the draft was started, carried by the form until it is first saved.</summary>
        public int BaseNumber { get; set; }
    }

    [BindProperty] public DraftForm Form { get; set; } = new();

    public string Slug { get; private set; } = "";
    public Article? Article { get; private set; }
    public ArticleVersion? Newest { get; private set; }
    public Draft Draft { get; private set; } = null!;
    /// <summary>The reviewer's request this next version answers, when the newest version was sent back.</summary>
    public ChangeRequest? Answers { get; private set; }
    public bool IsSavedDraft => Draft.Id != 0;
    public ContentKind Kind => Draft.Kind;
    public DraftCheck? Check { get; private set; }
    public Audience? PreviewAudience { get; private set; }
    public SubmitResult? Conflict { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public IEnumerable<DraftProblem> ProblemsFor(string field) => Check?.Problems.Where(p => p.Field == field) ?? [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken)) return NotFound();
        Form = ToForm(Draft);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken)) return NotFound();
        if (await SaveAsync(cancellationToken) is { } refused) return refused;
        Confirmation = $"Draft saved at {Draft.SavedAt:HH:mm} UTC. Only you can see it; readers never do.";
        return RedirectToPage(new { slug });
    }

    public async Task<IActionResult> OnPostPreviewAsync(string slug, string? audience, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken)) return NotFound();
        if (await SaveAsync(cancellationToken) is { } refused) return refused;
        PreviewAudience = AudienceChoice.TryParse(audience, out var chosen) ? chosen : Audience.All;
        Check = await editor.CheckAsync(Draft, Email(), cancellationToken);
        if (!Check.Ok) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(string slug, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(slug, cancellationToken)) return NotFound();
        if (await SaveAsync(cancellationToken) is { } refused) return refused;
        var author = await users.GetUserAsync(User);
        if (author is null) return Forbid();
        var result = await editor.SubmitAsync(Draft, author, cancellationToken);
        switch (result.Outcome)
        {
            case SubmitOutcome.Submitted:
                TempData["Confirmation"] = $"Version {result.Number} was submitted for review, by you. A reviewer other than you approves it; until then readers see what they saw before.";
                return Redirect($"/editor/review/{slug}/{result.Number}");
            case SubmitOutcome.Conflict:
                Conflict = result;
                await LoadAsync(slug, cancellationToken);
                Form = ToForm(Draft);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                Check = result.Check;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return Page();
        }
    }

    public async Task<IActionResult> OnPostDiscardAsync(string slug, CancellationToken cancellationToken)
    {
        var mine = await db.Drafts.SingleOrDefaultAsync(d => d.AuthorId == UserId() && d.Slug == slug, cancellationToken);
        if (mine is not null)
        {
            db.Drafts.Remove(mine);
            await db.SaveChangesAsync(cancellationToken);
        }
        TempData["Confirmation"] = $"Your draft of '{slug}' was discarded.";
        return Redirect("/editor/drafts");
    }

    /// <summary>The signed-in editor's draft of the slug, else a new one from the newest version; false when neither exists.</summary>
    private async Task<bool> LoadAsync(string slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug)) return false;
        Slug = slug;
        Article = await db.Articles.AsNoTracking().Include(a => a.Versions).SingleOrDefaultAsync(a => a.Slug == slug, cancellationToken);
        Newest = Article?.Versions.MaxBy(v => v.Number);
        var mine = await db.Drafts.SingleOrDefaultAsync(d => d.AuthorId == UserId() && d.Slug == slug, cancellationToken);
        if (mine is not null) Draft = mine;
        else if (Article is not null && Newest is not null) Draft = WebEditor.StartFrom(Article, Newest, UserId(), clock.GetUtcNow().UtcDateTime);
        else return false;
        if (Article is not null && Newest is not null) Answers = await ReviewQueues.AnsweredByAsync(db, Article, Newest.Number + 1, cancellationToken);
        return true;
    }

    /// <summary>Stores the form in the editor's draft (made on first save); a result when the form cannot be kept.</summary>
    private async Task<IActionResult?> SaveAsync(CancellationToken cancellationToken)
    {
        if ((Form.Body?.Length ?? 0) > MaxBodyLength || (Form.OtherFrontMatter?.Length ?? 0) > 20_000 || (Form.Title?.Length ?? 0) > 1000
            || (Form.Summary?.Length ?? 0) > 2000 || (Form.ChangeNote?.Length ?? 0) > 1000)
        {
            Check = null;
            ModelState.AddModelError(string.Empty, $"The text is too long to keep: a body of up to {MaxBodyLength:N0} characters.");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (!IsSavedDraft)
        {
            Draft.BaseNumber = Form.BaseNumber;
            db.Drafts.Add(Draft);
        }
        Draft.Title = Form.Title?.Trim() ?? "";
        Draft.Summary = Form.Summary?.Trim() ?? "";
        Draft.Category = Kind == ContentKind.Article ? Form.Category : null;
        Draft.Order = Form.Order;
        Draft.ChangeNote = Form.ChangeNote?.Trim() ?? "";
        Draft.OtherFrontMatter = Form.OtherFrontMatter ?? "";
        Draft.Body = Form.Body ?? "";
        Draft.SavedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static DraftForm ToForm(Draft draft) => new()
    {
        Title = draft.Title,
        Summary = draft.Summary,
        Category = draft.Category,
        Order = draft.Order,
        ChangeNote = draft.ChangeNote,
        OtherFrontMatter = draft.OtherFrontMatter,
        Body = draft.Body,
        BaseNumber = draft.BaseNumber,
    };

    private string UserId() => users.GetUserId(User) ?? "";

    private string Email() => ReviewActor.From(User).Email;

    /// <summary>The rendering the preview shows, and its reference list in citation order.</summary>
    public (RenderedBody Body, IReadOnlyList<Reference> References)? Preview =>
        Check is { Ok: true, Version: { } version } check && PreviewAudience is Audience audience
            ? (version.Renderings[audience], version.Renderings[audience].CitedKeys.Where(check.References.ContainsKey).Select(k => check.References[k]).ToList())
            : null;
}
