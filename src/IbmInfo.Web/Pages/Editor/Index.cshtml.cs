using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>The editors' dashboard: what waits for review, what is overdue, what happened lately.</summary>
public sealed class IndexModel(IbmInfoDb db, ContentStatus content, ContentSync sync, ContentOptions folder, TimeProvider clock) : PageModel
{
    public sealed record Row(Article Article, ArticleVersion Version);

    /// <summary>What waits for someone, by status (<see cref="ReviewQueues"/>'s rule).</summary>
    public Dictionary<ReviewStatus, List<Row>> ByStatus { get; } = [];
    /// <summary>The reviewer's note on each version sent back, by version id.</summary>
    public Dictionary<int, ChangeRequest> Requests { get; private set; } = [];
    public int ApprovedCount { get; private set; }
    public int RetiredCount { get; private set; }
    /// <summary>Current approved versions past their review date.</summary>
    public List<Row> Overdue { get; private set; } = [];
    /// <summary>Current approved versions due for review within the next 30 days.</summary>
    public List<Row> DueSoon { get; private set; } = [];
    /// <summary>Every article and page, with the version readers see and the newest one.</summary>
    public List<(Article Article, ArticleVersion? Current, ArticleVersion Latest)> All { get; private set; } = [];
    public List<ReviewTransition> Recent { get; private set; } = [];
    public int OpenQuestions { get; private set; }
    public ContentStatus Sync => content;
    public DateOnly Today { get; private set; }
    /// <summary>The newest import from the content folder, by anyone (start-up, the command, an editor).</summary>
    public ImportRun? LastImport { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var articles = await db.Articles.AsNoTracking().Include(a => a.Versions).ToListAsync(cancellationToken);
        var versions = articles.SelectMany(a => a.Versions.Select(v => new Row(a, v))).ToList();
        var waiting = articles.SelectMany(a => ReviewQueues.Waiting(a).Select(v => new Row(a, v))).ToList();
        foreach (var status in ReviewQueues.Statuses)
            ByStatus[status] = waiting.Where(r => r.Version.Status == status).OrderBy(r => r.Version.StatusChangedAt).ToList();
        Requests = await ReviewQueues.RequestsAsync(db, ByStatus[ReviewStatus.ChangesRequested].Select(r => r.Version).ToList(), cancellationToken);
        ApprovedCount = versions.Count(r => r.Version.Status == ReviewStatus.Approved);
        RetiredCount = versions.Count(r => r.Version.Status == ReviewStatus.Retired);

        var current = articles.Select(a => (Article: a, Current: PublishedContent.Current(a.Versions))).ToList();
        var approved = current.Where(x => x.Current is { Status: ReviewStatus.Approved, NextReviewDue: not null })
            .Select(x => new Row(x.Article, x.Current!)).OrderBy(r => r.Version.NextReviewDue).ToList();
        Overdue = approved.Where(r => r.Version.NextReviewDue < Today).ToList();
        DueSoon = approved.Where(r => r.Version.NextReviewDue >= Today && r.Version.NextReviewDue <= Today.AddDays(30)).ToList();
        All = current.Select(x => (x.Article, x.Current, Latest: x.Article.Versions.MaxBy(v => v.Number)!))
            .OrderBy(x => x.Article.Kind).ThenBy(x => x.Latest.Title, StringComparer.OrdinalIgnoreCase).ToList();

        Recent = await db.Transitions.AsNoTracking().Include(t => t.Version).ThenInclude(v => v.Article)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(20).ToListAsync(cancellationToken);
        OpenQuestions = await db.Questions.CountAsync(q => !q.Handled, cancellationToken);
        LastImport = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>"Import from the content folder": new version files become Submitted versions, now, without a restart.</summary>
    public async Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Editor)) return Forbid();
        var report = await sync.RunAsync(folder.Root, ReviewActor.From(User).Email, cancellationToken);
        Confirmation = report.Skipped is not null
            ? $"Nothing imported from the content folder: {report.Skipped}. Its import is shown here once it is done."
            : $"Imported from the content folder: {report.Added} added, {report.Unchanged} unchanged, {report.Problems.Count} refused or with a problem.";
        return RedirectToPage();
    }

    public static string ReviewUrl(Article article, ArticleVersion version) => $"/editor/review/{article.Slug}/{version.Number}";

    public static string PublicUrl(Article article) => article.Kind == ContentKind.Page ? $"/{article.Slug}" : $"/articles/{article.Slug}";
}
