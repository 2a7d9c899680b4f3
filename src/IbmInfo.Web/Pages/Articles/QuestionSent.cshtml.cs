using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// The confirmation after a question has been stored: what happens next, and at once what our current articles
/// already say about it (<see cref="QuestionSentAnswers"/>). Never cached: it is about one reader's question.
/// </summary>
public sealed class QuestionSentModel(IbmInfoDb db, ISearchIndex searchIndex, CurrentRenderings currentRenderings, ContentStatus status) : PageModel
{
    /// <summary>The TempData entry holding the id of the question just stored.</summary>
    public const string QuestionKey = "question";

    public string ArticleTitle { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";
    /// <summary>Null when the page was not reached by sending a question (a bookmark, a reload).</summary>
    public List<SectionAnswer>? Answers { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        ArticleTitle = article.Versions.Single(v => v.Number == number).Title;
        ArticleUrl = ReaderMessages.ArticleUrl(article, number);

        if (TempData[QuestionKey] is int id)
        {
            var question = await db.Questions.AsNoTracking()
                .Where(q => q.Id == id && q.ArticleId == article.Id).Select(q => q.Question).SingleOrDefaultAsync(cancellationToken);
            if (question is not null)
                Answers = await QuestionSentAnswers.FindAsync(db, searchIndex, currentRenderings, status, question, AudienceChoice.Resolve(HttpContext), cancellationToken);
        }
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
