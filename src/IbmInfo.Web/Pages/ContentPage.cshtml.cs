using IbmInfo.Content;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages;

/// <summary>A standalone page from <c>content/pages/</c> (about, disclaimer, editorial policy …) at <c>/{slug}</c>.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class ContentPageModel(PublishedContent published) : PageModel
{
    public VersionView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug)) return NotFound();
        var view = await published.GetCurrentAsync(slug, ContentKind.Page, AudienceChoice.Resolve(HttpContext), cancellationToken);
        if (view is null) return NotFound();
        View = view;
        return Page();
    }
}
