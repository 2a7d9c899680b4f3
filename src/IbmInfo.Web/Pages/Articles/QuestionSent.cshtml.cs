using IbmInfo.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>The confirmation after a question has been stored, saying what happens next.</summary>
public sealed class QuestionSentModel(IbmInfoDb db) : PageModel
{
    public string ArticleTitle { get; private set; } = "";
    public string ArticleUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, int? version, CancellationToken cancellationToken)
    {
        var found = await ReaderMessages.FindAsync(db, slug, version, cancellationToken);
        if (found is not var (article, number)) return NotFound();
        ArticleTitle = article.Versions.Single(v => v.Number == number).Title;
        ArticleUrl = ReaderMessages.ArticleUrl(article, number);
        return Page();
    }
}
