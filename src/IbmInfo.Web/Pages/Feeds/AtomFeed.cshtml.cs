using System.Text;
using System.Xml.Linq;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Feeds;

/// <summary><c>/feed.atom</c>: one entry per approved version, newest approval first, with its change note.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class AtomFeedModel(IbmInfoDb db) : PageModel
{
    private const int MaxEntries = 50;
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var site = SiteUrls.Base(Request);
        var approved = await db.Versions.AsNoTracking().Include(v => v.Article)
            .Where(v => v.Status == ReviewStatus.Approved && v.ReviewedAt != null)
            .ToListAsync(cancellationToken);
        var entries = approved.OrderByDescending(v => v.ReviewedAt).ThenByDescending(v => v.Number).Take(MaxEntries).ToList();
        // With nothing approved yet, the feed is still valid: its date is that of the newest content, or a fixed one.
        var updated = entries.FirstOrDefault()?.ReviewedAt ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "title", "IbmInfo: approved updates"),
            new XElement(Atom + "subtitle", "Each new version of an IbmInfo page once the medical advisory board has approved it."),
            new XElement(Atom + "id", site + "/feed.atom"),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", site + "/feed.atom")),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("href", site + "/")),
            new XElement(Atom + "updated", Rfc3339(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", "IbmInfo")),
            entries.Select(v => Entry(site, v)));
        return Content(new XDeclaration("1.0", "utf-8", null) + "\n" + feed, "application/atom+xml", Encoding.UTF8);
    }

    private static XElement Entry(string site, ArticleVersion v)
    {
        var url = site + SiteUrls.Permanent(v.Article, v.Number);
        return new XElement(Atom + "entry",
            new XElement(Atom + "title", $"{v.Title} (version {v.Number})"),
            // A tag URI: the entry keeps its identity whatever host the feed is read through.
            new XElement(Atom + "id", $"tag:ibminfo,2026:{v.Article.Kind.ToString().ToLowerInvariant()}/{v.Article.Slug}/v/{v.Number}"),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("href", url)),
            new XElement(Atom + "updated", Rfc3339(v.ReviewedAt!.Value)),
            new XElement(Atom + "published", v.Date.ToString("yyyy-MM-dd") + "T00:00:00Z"),
            new XElement(Atom + "summary", $"{v.ChangeNote} Reviewed by {v.ReviewedByName ?? "the medical advisory board"} on {v.ReviewedAt.Value:d MMMM yyyy}. {v.Summary}"));
    }

    private static string Rfc3339(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
