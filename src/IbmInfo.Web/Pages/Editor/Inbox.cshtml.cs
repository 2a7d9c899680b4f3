using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// Readers' follow-up questions (open ones first) and "Was this page useful?" answers per article. Everything a
/// reader wrote is shown HTML-encoded, as Razor does by default.
/// </summary>
public sealed class InboxModel(IbmInfoDb db, TimeProvider clock) : PageModel
{
    public sealed record FeedbackRow(Article Article, string Title, int Yes, int No, DateTime Latest);

    public List<ReaderQuestion> Open { get; private set; } = [];
    public List<ReaderQuestion> Handled { get; private set; } = [];
    public List<FeedbackRow> Feedback { get; private set; } = [];
    public bool CanHandle => User.IsInRole(Roles.Editor);
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var questions = await db.Questions.AsNoTracking().Include(q => q.Article).ThenInclude(a => a.Versions)
            .OrderByDescending(q => q.AskedAt).ToListAsync(cancellationToken);
        Open = questions.Where(q => !q.Handled).ToList();
        Handled = questions.Where(q => q.Handled).OrderByDescending(q => q.HandledAt).Take(50).ToList();

        var counts = await db.Feedback.AsNoTracking()
            .GroupBy(f => f.ArticleId)
            .Select(g => new { ArticleId = g.Key, Yes = g.Count(f => f.Useful), No = g.Count(f => !f.Useful), Latest = g.Max(f => f.At) })
            .ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.ArticleId).ToList();
        var articles = await db.Articles.AsNoTracking().Include(a => a.Versions).Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        Feedback = counts
            .Select(c => new FeedbackRow(articles[c.ArticleId], TitleOf(articles[c.ArticleId]), c.Yes, c.No, c.Latest))
            .OrderByDescending(r => r.Latest).ToList();
    }

    /// <summary>Marks a question handled, recording who and when; only editors answer readers.</summary>
    public async Task<IActionResult> OnPostHandledAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanHandle) return Forbid();
        var question = await db.Questions.SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (question is null) return NotFound();
        if (!question.Handled)
        {
            question.Handled = true;
            question.HandledBy = ReviewActor.From(User).Email;
            question.HandledAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            Confirmation = "Question marked as handled.";
        }
        else
        {
            Confirmation = $"That question was already marked handled by {question.HandledBy}.";
        }
        return RedirectToPage();
    }

    /// <summary>The exact version the reader was looking at (standalone pages have no numbered addresses).</summary>
    public static string VersionUrl(ReaderQuestion question) => question.Article.Kind == IbmInfo.Content.ContentKind.Page
        ? $"/{question.Article.Slug}"
        : $"/articles/{question.Article.Slug}/v/{question.VersionNumber}";

    public static string TitleOf(Article article) =>
        (PublishedContent.Current(article.Versions) ?? article.Versions.MaxBy(v => v.Number))?.Title ?? article.Slug;
}
