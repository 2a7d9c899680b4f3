using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// After a "No": <c>/articles/{slug}/feedback/missing?answer=…</c> asks, optionally, what was missing, and stores the
/// reader's text with that answer. Sending nothing, or following "Skip", just says thank you. The page is never cached,
/// so its form carries the usual antiforgery token.
/// </summary>
public sealed class FeedbackMissingModel(IbmInfoDb db, FeedbackFollowUp followUp, ILogger<FeedbackMissingModel> logger) : PageModel
{
    public MissingForm Form { get; private set; } = null!;
    public string ArticleTitle { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";
    public string ThanksUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, string? answer, CancellationToken cancellationToken)
    {
        var feedback = await FindAsync(slug, answer, cancellationToken);
        if (feedback is null) return NotFound();
        if (feedback.Missing is not null) return LocalRedirect(ThanksUrl);
        Form = new MissingForm(answer!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, string? answer, string? missing, CancellationToken cancellationToken)
    {
        var feedback = await FindAsync(slug, answer, cancellationToken);
        if (feedback is null) return NotFound();
        var form = MissingForm.Validate(answer!, missing);
        if (form.Error is not null)
        {
            Form = form;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        // Sent once: a second post (a reload, the back button) never replaces what the reader first wrote.
        if (form.Missing is not null && feedback.Missing is null)
        {
            feedback.Missing = form.Missing;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
            {
                logger.LogError(e, "Could not store what a reader said was missing on {Slug}; the form was shown again with their text", slug);
                Form = form with { Error = "We could not save this just now: the fault is ours, not yours. Your text is still below: please send it again in a few minutes." };
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Response.Headers.RetryAfter = "300";
                return Page();
            }
        }
        return LocalRedirect(ThanksUrl);
    }

    private async Task<PageFeedback?> FindAsync(string slug, string? answer, CancellationToken cancellationToken)
    {
        if (followUp.Unprotect(answer) is not int id) return null;
        var feedback = await db.Feedback.Include(f => f.Article).ThenInclude(a => a.Versions)
            .SingleOrDefaultAsync(f => f.Id == id && !f.Useful, cancellationToken);
        if (feedback is null || feedback.Article.Slug != slug) return null;
        var version = feedback.Article.Versions.SingleOrDefault(v => v.Number == feedback.VersionNumber);
        ArticleTitle = version?.Title ?? feedback.Article.Slug;
        ArticleUrl = ReaderMessages.ArticleUrl(feedback.Article, feedback.VersionNumber);
        ThanksUrl = ReaderMessages.ThanksUrl(feedback.Article, feedback.VersionNumber);
        return feedback;
    }
}
