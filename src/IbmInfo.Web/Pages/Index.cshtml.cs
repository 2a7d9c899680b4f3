using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages;

[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class IndexModel(PublishedContent published) : PageModel
{
    public List<(string Slug, string Name, List<(Article Article, ArticleVersion Version)> Items)> Categories { get; private set; } = [];

    /// <summary>Articles whose current version is approved, of <see cref="Total"/>: the home page's promise says which.</summary>
    public int Reviewed { get; private set; }
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var articles = await published.ListCurrentAsync(ContentKind.Article, cancellationToken);
        Total = articles.Count;
        Reviewed = articles.Count(a => a.Version.Status == ReviewStatus.Approved);
        Categories = IbmInfo.Content.Categories.All
            .Select(c => (c.Slug, c.Name, articles.Where(a => a.Article.Category == c.Slug).ToList()))
            .Where(c => c.Item3.Count > 0)
            .ToList();
    }
}
