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
    /// <summary>Set instead of <see cref="View"/> when the article exists but has no version to show.</summary>
    public AbsentArticle? Absent { get; private set; }
    /// <summary>The step that retired or withdrew the version shown, for its date and reason.</summary>
    public ReviewTransition? Withdrawal { get; private set; }
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
        if (view is null) return number is null ? await AbsentAsync(slug, cancellationToken) : NotFound();
        View = view;
        if (view.Version.Status is ReviewStatus.Retired or ReviewStatus.Withdrawn)
            Withdrawal = await published.GetWithdrawalAsync(view.Version, cancellationToken);
        Overdue = view.Version is { Status: ReviewStatus.Approved, NextReviewDue: DateOnly due }
            && due < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (view.Version.UrgentHelp)
            GetHelpNow = await published.GetCurrentAsync(Components.GetHelpNow.PageSlug, ContentKind.Page, Audience, cancellationToken);
        if (IsPermanentLink) PageCaching.SetPermanentVersionLifetime(Response, view.Version.Status);
        return Page();
    }

    /// <summary>
    /// An article with nothing to show: 410 Gone once withdrawn (search engines drop it, the reader is told when and
    /// why); a plain 200 "being revised" page when its only versions were sent back for changes. Not 503: nothing is
    /// wrong with the site, and a crawler told to come back would keep an unreviewed text in its index meanwhile.
    /// Neither is indexed.
    /// </summary>
    private async Task<IActionResult> AbsentAsync(string slug, CancellationToken cancellationToken)
    {
        Absent = await published.GetAbsentAsync(slug, ContentKind.Article, cancellationToken);
        if (Absent is null) return NotFound();
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (!Absent.BeingRevised) Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}
