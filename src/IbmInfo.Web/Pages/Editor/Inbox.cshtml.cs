using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// Readers' follow-up questions, filtered by article and state (a plain GET form; new ones by default), counted per
/// state, a page at a time, and exported as CSV exactly as filtered. Everything a reader wrote is shown HTML-encoded,
/// as Razor does by default. Each question's own page holds its internal notes and its history.
/// </summary>
public sealed class InboxModel(IbmInfoDb db, TimeProvider clock) : PageModel
{
    public const int PageSize = 20;

    public sealed record ArticleChoice(string Slug, string Title);

    [BindProperty(SupportsGet = true, Name = "article")] public string? ArticleFilter { get; set; }
    [BindProperty(SupportsGet = true, Name = "state")] public string? StateFilter { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    /// <summary>The state shown: new questions when the form names none, every state for "all".</summary>
    public InboxState? State => StateFilter is null ? InboxState.New : InboxMessages.ParseState(StateFilter);
    public List<ArticleChoice> Articles { get; private set; } = [];
    public Dictionary<InboxState, int> Counts { get; private set; } = [];
    public int Total { get; private set; }
    public int Matching { get; private set; }
    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);
    public List<ReaderQuestion> Questions { get; private set; } = [];
    public bool CanHandle => User.IsInRole(Roles.Editor);
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Articles = await ArticleChoicesAsync(cancellationToken);
        var inArticle = InArticle();
        var byState = await inArticle.GroupBy(q => new { q.Handled, Answered = q.AnsweredInVersion != null })
            .Select(g => new { g.Key.Handled, g.Key.Answered, Count = g.Count() }).ToListAsync(cancellationToken);
        Counts = Enum.GetValues<InboxState>().ToDictionary(s => s, s => byState
            .Where(c => s == InboxState.New ? !c.Handled : s == InboxState.Handled ? c.Handled && !c.Answered : c.Handled && c.Answered)
            .Sum(c => c.Count));
        Total = Counts.Values.Sum();
        var filtered = inArticle.InState(State);
        Matching = await filtered.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Questions = await WithDetails(filtered).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The filtered questions, every page of them, as a CSV file. Readers' names and questions are personal data: the
    /// file is only for signed-in staff (as every editor page) and is never kept by a browser or proxy cache.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var questions = await WithDetails(InArticle().InState(State)).ToListAsync(cancellationToken);
        Response.Headers.CacheControl = "no-store";
        var name = $"readers-questions-{clock.GetUtcNow():yyyy-MM-dd}.csv";
        return File(InboxMessages.ToCsv(questions), "text/csv; charset=utf-8", name);
    }

    /// <summary>Marks a question handled, recording who and when; only editors answer readers.</summary>
    public Task<IActionResult> OnPostHandledAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, q => InboxMessages.MarkHandled(q, ReviewActor.From(User), clock.GetUtcNow().UtcDateTime)
            ? "Question marked as handled." : $"That question was already marked handled by {q.HandledBy}.", cancellationToken);

    /// <summary>Undoes "handled": the question is new again, and the thread keeps who handled and who reopened it.</summary>
    public Task<IActionResult> OnPostReopenAsync(int id, CancellationToken cancellationToken) =>
        ChangeAsync(id, q => InboxMessages.Reopen(q, ReviewActor.From(User), clock.GetUtcNow().UtcDateTime)
            ? "Question marked as not handled: it is among the new ones again." : "That question was not marked handled.", cancellationToken);

    private async Task<IActionResult> ChangeAsync(int id, Func<ReaderQuestion, string> change, CancellationToken cancellationToken)
    {
        if (!CanHandle) return Forbid();
        var question = await db.Questions.Include(q => q.Activity).SingleOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (question is null) return NotFound();
        Confirmation = change(question);
        await db.SaveChangesAsync(cancellationToken);
        // Back to the list as it was filtered.
        return RedirectToPage(new { article = ArticleFilter, state = StateFilter, p = PageNumber > 1 ? PageNumber : (int?)null });
    }

    private IQueryable<ReaderQuestion> InArticle()
    {
        var questions = db.Questions.AsNoTracking();
        return string.IsNullOrEmpty(ArticleFilter) ? questions : questions.Where(q => q.Article.Slug == ArticleFilter);
    }

    private static IQueryable<ReaderQuestion> WithDetails(IQueryable<ReaderQuestion> questions) =>
        questions.Include(q => q.Article).ThenInclude(a => a.Versions).Include(q => q.Activity)
            .OrderByDescending(q => q.AskedAt).ThenByDescending(q => q.Id);

    /// <summary>Every article readers have asked about, by title, for the filter.</summary>
    private async Task<List<ArticleChoice>> ArticleChoicesAsync(CancellationToken cancellationToken)
    {
        var asked = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .Where(a => db.Questions.Any(q => q.ArticleId == a.Id)).ToListAsync(cancellationToken);
        return asked.Select(a => new ArticleChoice(a.Slug, TitleOf(a))).OrderBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>The list's address with one value changed, the other filters kept (for the state links and paging).</summary>
    public string ListUrl(string? state = null, int? page = null) =>
        Url.Page("/Editor/Inbox", new { article = string.IsNullOrEmpty(ArticleFilter) ? null : ArticleFilter, state = state ?? StateFilter, p = page })!;

    /// <summary>The exact version the reader was looking at (standalone pages have no numbered addresses).</summary>
    public static string VersionUrl(ReaderQuestion question) => VersionUrl(question.Article, question.VersionNumber);

    public static string VersionUrl(Article article, int number) => article.Kind == IbmInfo.Content.ContentKind.Page
        ? $"/{article.Slug}"
        : $"/articles/{article.Slug}/v/{number}";

    public static string TitleOf(Article article) =>
        (PublishedContent.Current(article.Versions) ?? article.Versions.MaxBy(v => v.Number))?.Title ?? article.Slug;
}
