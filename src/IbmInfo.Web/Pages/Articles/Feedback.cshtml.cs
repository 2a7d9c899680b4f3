using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// "Was this page useful?": <c>POST /articles/{slug}/feedback</c> (fields version, useful=yes|no) stores the answer
/// and goes back to the article, which then thanks the reader (PRG); after a "No" it first goes to a page asking,
/// optionally, what was missing. Anything else shows the question again.
/// </summary>
// The form is on cached pages, so it has no per-reader token; SameOriginPosts refuses cross-site posts.
[IgnoreAntiforgeryToken]
public sealed class FeedbackModel(IbmInfoDb db, TimeProvider clock, FeedbackFollowUp followUp, ILogger<FeedbackModel> logger) : PageModel
{
    public string Slug { get; private set; } = "";
    public int Version { get; private set; }
    public string ArticleTitle { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        Show(article, number);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, int? version, string? useful, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        bool? answer = useful?.Trim().ToLowerInvariant() switch { "yes" => true, "no" => false, _ => null };
        if (answer is not bool isUseful)
        {
            Show(article, number);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var stored = db.Feedback.Add(new PageFeedback { ArticleId = article.Id, VersionNumber = number, Useful = isUseful, At = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            logger.LogError(e, "Could not store a reader's feedback on {Slug}", article.Slug);
            Response.Headers.RetryAfter = "300";
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        // A "No" is already counted; the next page asks, optionally, what was missing.
        if (!isUseful) return RedirectToPage("/Articles/FeedbackMissing", new { slug = article.Slug, answer = followUp.Protect(stored.Entity.Id) });
        return LocalRedirect(ReaderMessages.ThanksUrl(article, number));
    }

    private void Show(Article article, int number)
    {
        (Slug, Version) = (article.Slug, number);
        ArticleTitle = article.Versions.Single(v => v.Number == number).Title;
        ArticleUrl = ReaderMessages.ArticleUrl(article, number);
    }
}
