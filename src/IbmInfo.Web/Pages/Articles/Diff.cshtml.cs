using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// What changed between two versions of an article, at <c>/articles/{slug}/diff/{a}/{b}</c>. The history page's
/// plain GET form arrives at <c>/articles/{slug}/diff?a=&amp;b=</c> and is sent on to the permanent address.
/// </summary>
public sealed class DiffModel(IbmInfoDb db) : PageModel
{
    public Article Article { get; private set; } = null!;
    public ArticleVersion From { get; private set; } = null!;
    public ArticleVersion To { get; private set; } = null!;
    public ArticleVersion? Current { get; private set; }
    public Audience Audience { get; private set; }
    public VersionComparison Comparison { get; private set; } = null!;
    /// <summary>The versions after the older one up to the newer one, whose change notes explain the difference.</summary>
    public List<ArticleVersion> Between { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, int? a, int? b, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug) || a is not >= 1 || b is not >= 1) return NotFound();
        if (!RouteData.Values.ContainsKey("a")) return RedirectPermanent($"/articles/{slug}/diff/{a}/{b}");

        var article = await db.Articles.AsNoTracking().Include(x => x.Versions)
            .SingleOrDefaultAsync(x => x.Slug == slug && x.Kind == ContentKind.Article, cancellationToken);
        var from = article?.Versions.SingleOrDefault(v => v.Number == a);
        var to = article?.Versions.SingleOrDefault(v => v.Number == b);
        if (article is null || from is null || to is null) return NotFound();

        (Article, From, To) = (article, from, to);
        Current = PublishedContent.Current(article.Versions);
        Audience = AudienceChoice.Resolve(HttpContext);
        Comparison = await VersionDiff.CompareAsync(db, from, to, Audience, cancellationToken);
        var (low, high) = from.Number < to.Number ? (from.Number, to.Number) : (to.Number, from.Number);
        Between = article.Versions.Where(v => v.Number > low && v.Number <= high).OrderBy(v => v.Number).ToList();
        return Page();
    }

    public string Title => (Current ?? To).Title;
}
