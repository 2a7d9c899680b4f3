using System.Globalization;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// The site-wide audit log: every review step, reference change and import, newest first, filtered by a plain GET
/// form, paged, and exported as CSV (exactly the filtered rows). Shows whether the review trail's chain verifies.
/// </summary>
public sealed class AuditModel(IbmInfoDb db) : PageModel
{
    public const int PageSize = 50;
    public const string ReferenceKind = "reference";
    public const string ImportKind = "import";

    /// <summary>One row of the log. <see cref="EntryId"/> and <see cref="Hash"/> only for review steps.</summary>
    public sealed record Row(DateTime At, string Kind, string What, string By, string? Slug, int? Number, string Note,
        int? EntryId = null, string? ContentHash = null, string? Hash = null, string? Link = null);

    [BindProperty(SupportsGet = true)] public string? Article { get; set; }
    [BindProperty(SupportsGet = true)] public string? Person { get; set; }
    /// <summary>A review status (the step's "to"), <see cref="ReferenceKind"/>, <see cref="ImportKind"/>, or empty for everything.</summary>
    [BindProperty(SupportsGet = true)] public string? Step { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public List<string> Slugs { get; private set; } = [];
    public TrailReport Check { get; private set; } = null!;
    public HashSet<int> Mismatched { get; private set; } = [];

    public static IReadOnlyList<ReviewStatus> Statuses { get; } = Enum.GetValues<ReviewStatus>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        Total = await CountAsync(cancellationToken);
        Rows = await RowsAsync(PageNumber * PageSize, cancellationToken);
        Rows = Rows.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        Slugs = await db.Articles.AsNoTracking().OrderBy(a => a.Slug).Select(a => a.Slug).ToListAsync(cancellationToken);
        Check = await ReviewTrailCheck.RunAsync(db, checkText: false, cancellationToken);
        Mismatched = Check.Problems.Where(p => p.EntryId is not null).Select(p => p.EntryId!.Value).ToHashSet();
    }

    /// <summary>The filtered rows as CSV, every one of them, in the order the page shows them.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(null, cancellationToken);
        var csv = new Csv().Row("When (UTC)", "Kind", "Article", "Version", "Step", "By", "Note", "Entry", "Content hash", "Entry hash");
        foreach (var row in rows)
        {
            csv.Row(ReviewTrail.Timestamp(row.At), row.Kind, row.Slug ?? "", row.Number?.ToString(CultureInfo.InvariantCulture) ?? "",
                row.What, row.By, row.Note, row.EntryId?.ToString(CultureInfo.InvariantCulture) ?? "", row.ContentHash ?? "", row.Hash ?? "");
        }
        return File(csv.ToBytes(), "text/csv; charset=utf-8", "audit-log.csv");
    }

    /// <summary>The query string of the current filters, for the CSV link and the page links.</summary>
    public string Query(int? page = null, bool csv = false)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        if (csv) Add("handler", "csv");
        Add("article", Article);
        Add("person", Person);
        Add("step", Step);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (page is > 1) Add("p", page.Value.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private bool WantsSteps => string.IsNullOrEmpty(Step) || Enum.TryParse<ReviewStatus>(Step, out _);
    // Reference changes and imports belong to no one article: filtering by article leaves them out.
    private bool WantsKind(string kind) => string.IsNullOrWhiteSpace(Article) && (string.IsNullOrEmpty(Step) || Step == kind);
    private DateTime? Since => From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    private DateTime? Before => To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    private string? PersonLower => string.IsNullOrWhiteSpace(Person) ? null : Person.Trim().ToLowerInvariant();

    private IQueryable<ReviewTransition> Steps()
    {
        var query = db.Transitions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Article)) query = query.Where(t => t.Version.Article.Slug == Article.Trim());
        if (Enum.TryParse<ReviewStatus>(Step, out var to)) query = query.Where(t => t.To == to);
        if (PersonLower is string person) query = query.Where(t => t.By.ToLower().Contains(person));
        if (Since is DateTime since) query = query.Where(t => t.At >= since);
        if (Before is DateTime before) query = query.Where(t => t.At < before);
        return query;
    }

    private IQueryable<ReferenceChange> ReferenceChanges()
    {
        var query = db.ReferenceChanges.AsNoTracking();
        if (PersonLower is string person) query = query.Where(c => c.By.ToLower().Contains(person));
        if (Since is DateTime since) query = query.Where(c => c.At >= since);
        if (Before is DateTime before) query = query.Where(c => c.At < before);
        return query;
    }

    private IQueryable<ImportRun> Imports()
    {
        var query = db.ImportRuns.AsNoTracking();
        if (PersonLower is string person) query = query.Where(r => r.By.ToLower().Contains(person));
        if (Since is DateTime since) query = query.Where(r => r.At >= since);
        if (Before is DateTime before) query = query.Where(r => r.At < before);
        return query;
    }

    private async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (WantsSteps ? await Steps().CountAsync(cancellationToken) : 0)
        + (WantsKind(ReferenceKind) ? await ReferenceChanges().CountAsync(cancellationToken) : 0)
        + (WantsKind(ImportKind) ? await Imports().CountAsync(cancellationToken) : 0);

    /// <summary>
    /// The newest <paramref name="take"/> rows of each kind merged newest first (all of them when null): the newest
    /// n rows of the whole log are among the newest n of each kind.
    /// </summary>
    private async Task<List<Row>> RowsAsync(int? take, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        if (WantsSteps)
        {
            var steps = Steps().OrderByDescending(t => t.Id)
                .Select(t => new { Entry = t, t.Version.Article.Slug, t.Version.Number });
            foreach (var s in await (take is int n ? steps.Take(n) : steps).ToListAsync(cancellationToken))
            {
                var t = s.Entry;
                rows.Add(new Row(t.At, "Review step",
                    $"{(t.From is ReviewStatus from ? ReviewWorkflow.Label(from) : "New")} → {ReviewWorkflow.Label(t.To)}",
                    t.By, s.Slug, s.Number, t.Note, t.Id, t.ContentHash, t.Hash, $"/editor/review/{s.Slug}/{s.Number}"));
            }
        }
        if (WantsKind(ReferenceKind))
        {
            var changes = ReferenceChanges().OrderByDescending(c => c.At).ThenByDescending(c => c.Id);
            foreach (var c in await (take is int n ? changes.Take(n) : changes).ToListAsync(cancellationToken))
                rows.Add(new Row(c.At, "Reference change", $"Reference {c.ReferenceKey}", c.By, null, null, c.Change, Link: $"/editor/references/edit/{c.ReferenceKey}"));
        }
        if (WantsKind(ImportKind))
        {
            var imports = Imports().OrderByDescending(r => r.At).ThenByDescending(r => r.Id);
            foreach (var r in await (take is int n ? imports.Take(n) : imports).ToListAsync(cancellationToken))
            {
                var added = r.AddedList.Count;
                var problems = r.ProblemList.Count;
                rows.Add(new Row(r.At, "Import",
                    r.Skipped is not null ? $"Import: {r.Skipped}" : $"Import: {added} new version{(added == 1 ? "" : "s")}, {problems} problem{(problems == 1 ? "" : "s")}, {r.Unchanged} unchanged",
                    r.By, null, null, string.Join("; ", r.AddedList.Concat(r.ProblemList))));
            }
        }
        // Review steps newest first by id (their chain order), the kinds merged by time.
        return rows.OrderByDescending(r => r.At).ThenByDescending(r => r.EntryId ?? 0).ToList();
    }
}
