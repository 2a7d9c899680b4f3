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
    /// <summary>Set instead of <see cref="View"/> when the page exists but has no version to show.</summary>
    public AbsentArticle? Absent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug)) return NotFound();
        var view = await published.GetCurrentAsync(slug, ContentKind.Page, AudienceChoice.Resolve(HttpContext), cancellationToken);
        if (view is null) return await AbsentAsync(slug, cancellationToken);
        View = view;
        return Page();
    }

    /// <summary>As an article with nothing to show: 410 once withdrawn, 200 "being revised", neither indexed.</summary>
    private async Task<IActionResult> AbsentAsync(string slug, CancellationToken cancellationToken)
    {
        Absent = await published.GetAbsentAsync(slug, ContentKind.Page, cancellationToken);
        if (Absent is null) return NotFound();
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (!Absent.BeingRevised) Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}
