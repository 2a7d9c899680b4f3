using IbmInfo.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// "Was this page useful?" answers counted per article and per version (a new version starts its own count, so the
/// team sees whether a rewrite helped), and what readers who said "No" wrote was missing, newest first.
/// </summary>
public sealed class FeedbackModel(IbmInfoDb db) : PageModel
{
    public const int MissingShown = 50;

    public sealed record VersionRow(Article Article, string Title, int Version, int Yes, int No, DateTime Latest)
    {
        public int Total => Yes + No;
        /// <summary>The share of answers that said "Yes", in whole per cent.</summary>
        public int UsefulPercent => Total == 0 ? 0 : (int)Math.Round(100.0 * Yes / Total, MidpointRounding.AwayFromZero);
    }

    [BindProperty(SupportsGet = true, Name = "article")] public string? ArticleFilter { get; set; }
    public List<InboxModel.ArticleChoice> Articles { get; private set; } = [];
    public List<VersionRow> Rows { get; private set; } = [];
    public List<PageFeedback> Missing { get; private set; } = [];
    public int MissingTotal { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var answered = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .Where(a => db.Feedback.Any(f => f.ArticleId == a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        Articles = answered.Values.Select(a => new InboxModel.ArticleChoice(a.Slug, InboxModel.TitleOf(a)))
            .OrderBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase).ToList();

        var feedback = db.Feedback.AsNoTracking();
        if (!string.IsNullOrEmpty(ArticleFilter)) feedback = feedback.Where(f => f.Article.Slug == ArticleFilter);
        var counts = await feedback.GroupBy(f => new { f.ArticleId, f.VersionNumber })
            .Select(g => new { g.Key.ArticleId, g.Key.VersionNumber, Yes = g.Count(f => f.Useful), No = g.Count(f => !f.Useful), Latest = g.Max(f => f.At) })
            .ToListAsync(cancellationToken);
        Rows = counts
            .Select(c => new VersionRow(answered[c.ArticleId], InboxModel.TitleOf(answered[c.ArticleId]), c.VersionNumber, c.Yes, c.No, c.Latest))
            .OrderBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase).ThenByDescending(r => r.Version).ToList();

        var missing = feedback.Where(f => f.Missing != null);
        MissingTotal = await missing.CountAsync(cancellationToken);
        Missing = await missing.Include(f => f.Article).ThenInclude(a => a.Versions)
            .OrderByDescending(f => f.At).ThenByDescending(f => f.Id).Take(MissingShown).ToListAsync(cancellationToken);
    }
}
