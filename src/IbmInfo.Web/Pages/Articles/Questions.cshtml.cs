using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// "Have a follow-up question?": <c>POST /articles/{slug}/questions</c> (fields version, name, question) stores the
/// question with the article and version for the editors' inbox, then redirects to a confirmation (PRG). When the
/// form has a mistake this page shows it again with the errors next to the fields and the reader's text kept.
/// </summary>
// The form is on cached pages, so it has no per-reader token; SameOriginPosts refuses cross-site posts.
[IgnoreAntiforgeryToken]
public sealed class QuestionsModel(IbmInfoDb db, TimeProvider clock, ILogger<QuestionsModel> logger) : PageModel
{
    public QuestionForm Form { get; private set; } = null!;
    public string ArticleTitle { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        Show(article, new QuestionForm(article.Slug, number));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, int? version, string? name, string? question, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        var form = QuestionForm.Validate(article.Slug, number, name, question);
        if (form.HasErrors)
        {
            Show(article, form);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var stored = db.Questions.Add(new ReaderQuestion
        {
            ArticleId = article.Id,
            VersionNumber = number,
            Name = form.Name,
            Question = form.Question!,
            AskedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            // Disk full, file gone or read-only: the reader keeps their text and is told to try again, never "sent".
            logger.LogError(e, "Could not store a reader's question about {Slug}; the form was shown again with their text", article.Slug);
            Show(article, form.NotStored());
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "300";
            return Page();
        }
        // The confirmation finds what our articles say about it; the question's id travels in the encrypted TempData
        // cookie, read once, so the question is never in an address, a log line or a cached page.
        TempData[QuestionSentModel.QuestionKey] = stored.Entity.Id;
        return RedirectToPage("/Articles/QuestionSent", new { slug = article.Slug, version = number });
    }

    private void Show(Article article, QuestionForm form)
    {
        Form = form;
        var version = article.Versions.Single(v => v.Number == form.Version);
        ArticleTitle = version.Title;
        ArticleUrl = ReaderMessages.ArticleUrl(article, form.Version);
    }
}
