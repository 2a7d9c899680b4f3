using System.Text;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.Feeds;

/// <summary><c>/robots.txt</c>: reader pages open to search engines, the editors' pages not, and where the sitemap is (an absolute address, as the format needs).</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class RobotsModel : PageModel
{
    public IActionResult OnGet() => Content($"""
        User-agent: *
        Disallow: /editor
        Disallow: /account
        Disallow: /search

        Sitemap: {SiteUrls.Base(Request)}/sitemap.xml

        """, "text/plain", Encoding.UTF8);
}
