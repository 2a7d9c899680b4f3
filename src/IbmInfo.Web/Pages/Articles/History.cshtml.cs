using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>Every version of an article, newest first, with its date, change note and review status.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class HistoryModel(IbmInfoDb db) : PageModel
{
    public Article Article { get; private set; } = null!;
    /// <summary>Newest first.</summary>
    public List<ArticleVersion> Versions { get; private set; } = [];
    public ArticleVersion? Current { get; private set; }
    /// <summary>The steps readers are told of, by version id: re-reviews that confirmed it unchanged, and its withdrawal.</summary>
    public ILookup<int, ReviewTransition> Steps { get; private set; } = Enumerable.Empty<ReviewTransition>().ToLookup(t => t.VersionId);

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug)) return NotFound();
        var article = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .SingleOrDefaultAsync(a => a.Slug == slug && a.Kind == ContentKind.Article, cancellationToken);
        if (article is null) return NotFound();
        Article = article;
        Versions = article.Versions.OrderByDescending(v => v.Number).ToList();
        Current = PublishedContent.Current(article.Versions);
        var ids = article.Versions.Select(v => v.Id).ToList();
        var steps = await db.Transitions.AsNoTracking()
            .Where(t => ids.Contains(t.VersionId)
                && ((t.From == ReviewStatus.Approved && t.To == ReviewStatus.Approved) || t.To == ReviewStatus.Retired || t.To == ReviewStatus.Withdrawn))
            .ToListAsync(cancellationToken);
        Steps = steps.OrderBy(t => t.At).ThenBy(t => t.Id).ToLookup(t => t.VersionId);
        return Page();
    }

    /// <summary>Approved and retired versions keep a permanent page; so does the version readers see now.</summary>
    public bool HasPage(ArticleVersion version) =>
        version.Status is ReviewStatus.Approved or ReviewStatus.Retired || version.Number == Current?.Number;

    public string Title => (Current ?? Versions[0]).Title;
}
