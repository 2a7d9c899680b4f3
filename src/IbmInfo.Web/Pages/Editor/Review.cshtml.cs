using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// One version under review: as readers will see it, what changed since the version readers see now, its
/// references and audit trail, and the steps the signed-in person may take. The rules are
/// <see cref="ReviewWorkflow"/>'s; this page only asks and shows the answer.
/// </summary>
public sealed class ReviewModel(IbmInfoDb db, PublishedContent published, ReviewWorkflow workflow) : PageModel
{
    public VersionView View { get; private set; } = null!;
    public Audience Audience { get; private set; }
    public ArticleVersion? Base { get; private set; }
    public VersionComparison? Diff { get; private set; }
    public List<ReviewTransition> Trail { get; private set; } = [];
    public ReviewActor Actor { get; private set; } = null!;
    /// <summary>The steps allowed from the version's status, each with why this person may not take it (null when they may).</summary>
    public List<(ReviewStatus To, string? WhyNot)> Steps { get; private set; } = [];
    /// <summary>The changes requested on the version before this one, which this version answers.</summary>
    public ChangeRequest? Answers { get; private set; }

    [TempData] public string? Confirmation { get; set; }
    public TransitionResult? Failure { get; private set; }
    [BindProperty] public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, int number, string? audience, CancellationToken cancellationToken) =>
        await LoadAsync(slug, number, audience, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string slug, int number, string? to, string? stamp, CancellationToken cancellationToken)
    {
        var id = await db.Versions.Where(v => v.Article.Slug == slug && v.Number == number).Select(v => (int?)v.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null) return NotFound();

        var result = Enum.TryParse<ReviewStatus>(to, ignoreCase: true, out var target) && Enum.IsDefined(target)
            ? await workflow.ApplyAsync(id.Value, Guid.TryParse(stamp, out var shown) ? shown : Guid.Empty, target, Note, ReviewActor.From(User), cancellationToken)
            : new TransitionResult(TransitionOutcome.Refused, "Choose one of the review steps offered on the page.");
        if (result.Succeeded)
        {
            Confirmation = result.Message;
            return RedirectToPage(new { slug, number });
        }

        Failure = result;
        await LoadAsync(slug, number, audience: null, cancellationToken);
        Response.StatusCode = result.Outcome switch
        {
            TransitionOutcome.Forbidden => StatusCodes.Status403Forbidden,
            TransitionOutcome.Conflict => StatusCodes.Status409Conflict,
            TransitionOutcome.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Page();
    }

    private async Task<bool> LoadAsync(string slug, int number, string? audience, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug) || number < 1) return false;
        Audience = AudienceChoice.TryParse(audience, out var chosen) ? chosen : Audience.All;
        var view = await published.GetForReviewAsync(slug, number, Audience, cancellationToken);
        if (view is null) return false;
        View = view;

        Base = VersionDiff.BaseFor(view.Article.Versions, view.Version);
        if (Base is not null) Diff = await VersionDiff.CompareAsync(db, Base, view.Version, Audience.All, cancellationToken);
        Trail = await db.Transitions.AsNoTracking().Where(t => t.VersionId == view.Version.Id)
            .OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        Answers = await ReviewQueues.AnsweredByAsync(db, view.Article, view.Version.Number, cancellationToken);
        Actor = ReviewActor.From(User);
        Steps = ReviewWorkflow.NextSteps(view.Version.Status).Select(to => (to, ReviewWorkflow.WhyNot(view.Version, to, Actor))).ToList();
        return true;
    }

    public string AudienceUrl(string audience) => $"/editor/review/{View.Article.Slug}/{View.Version.Number}?audience={audience}#review-rendering";
}
