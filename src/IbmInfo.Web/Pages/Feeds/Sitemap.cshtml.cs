using System.Text;
using System.Xml.Linq;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Feeds;

/// <summary><c>/sitemap.xml</c>: the home page, every current article and page, and the references.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class SitemapModel(IbmInfoDb db, PublishedContent published) : PageModel
{
    private static readonly XNamespace Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var site = SiteUrls.Base(Request);
        var items = new List<(string Path, DateOnly? Modified)> { ("/", null), ("/references", null) };
        foreach (var kind in new[] { ContentKind.Article, ContentKind.Page })
            items.AddRange((await published.ListCurrentAsync(kind, cancellationToken)).Select(x => (SiteUrls.Current(x.Article), (DateOnly?)x.Version.Date)));
        var keys = await db.References.AsNoTracking().OrderBy(r => r.Key).Select(r => r.Key).ToListAsync(cancellationToken);
        items.AddRange(keys.Select(k => ($"/references/{k}", (DateOnly?)null)));

        var sitemap = new XElement(Ns + "urlset", items.Select(i => new XElement(Ns + "url",
            new XElement(Ns + "loc", site + i.Path),
            i.Modified is DateOnly d ? new XElement(Ns + "lastmod", d.ToString("yyyy-MM-dd")) : null)));
        return Content(new XDocument(new XDeclaration("1.0", "utf-8", null), sitemap).Declaration + "\n" + sitemap, "application/xml", Encoding.UTF8);
    }
}
