using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// An article at <c>/articles/{slug}</c> (its current version) and <c>/articles/{slug}/v/{number}</c> (that
/// version, permanently; the second route is added in <see cref="Hosting.HostingExtensions"/>).
/// </summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class ArticleModel(PublishedContent published, TimeProvider clock) : PageModel
{
    public VersionView View { get; private set; } = null!;
    public Audience Audience { get; private set; }
    /// <summary>Whether the address names an exact version (a permanent link).</summary>
    public bool IsPermanentLink { get; private set; }
    public bool Overdue { get; private set; }
    /// <summary>The "Get help now" page's current version, when the version shown asks for the box and the page exists.</summary>
    public VersionView? GetHelpNow { get; private set; }
    public string CanonicalPath => IsPermanentLink ? $"/articles/{View.Article.Slug}/v/{View.Version.Number}" : $"/articles/{View.Article.Slug}";

    public async Task<IActionResult> OnGetAsync(string slug, [FromRoute] int? number, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug) || number is < 1) return NotFound();
        Audience = AudienceChoice.Resolve(HttpContext);
        IsPermanentLink = number is not null;
        var view = number is int n
            ? await published.GetVersionAsync(slug, n, Audience, cancellationToken)
            : await published.GetCurrentAsync(slug, ContentKind.Article, Audience, cancellationToken);
        if (view is null) return NotFound();
        View = view;
        Overdue = view.Version is { Status: ReviewStatus.Approved, NextReviewDue: DateOnly due }
            && due < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (view.Version.UrgentHelp)
            GetHelpNow = await published.GetCurrentAsync(Components.GetHelpNow.PageSlug, ContentKind.Page, Audience, cancellationToken);
        if (IsPermanentLink) PageCaching.SetPermanentVersionLifetime(Response, view.Version.Status);
        return Page();
    }
}
