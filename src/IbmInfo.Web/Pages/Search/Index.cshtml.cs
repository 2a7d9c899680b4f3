using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Search;

/// <summary>
/// <c>/search?q=…</c>: full-text search (SQLite FTS5, bm25 with title and summary above body) over the versions
/// readers currently see, in the reader's audience, with highlighted snippets. Works as a plain GET form.
/// </summary>
public sealed class IndexModel(IbmInfoDb db) : PageModel
{
    private const int MaxResults = 50;

    public string Query { get; private set; } = "";
    public bool WasCut { get; private set; }
    public bool AnyWord { get; private set; }
    public bool HasWords { get; private set; }
    /// <summary>Nothing matched the reader's version, so the results come from the text for both audiences.</summary>
    public bool FromOtherAudience { get; private set; }
    public Audience Audience { get; private set; }
    public List<SearchResult> Results { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Audience = AudienceChoice.Resolve(HttpContext);
        Query = SearchQuery.Trim(q ?? "");
        WasCut = (q?.Trim().Length ?? 0) > SearchQuery.MaxLength;
        var terms = SearchQuery.Terms(Query);
        HasWords = terms.Count > 0;
        if (!HasWords) return;

        var current = await CurrentVersionIdsAsync(cancellationToken);
        Results = await SearchAsync(terms, Audience, current, cancellationToken);
        if (Results.Count == 0 && Audience != Audience.All)
        {
            // The words may be in the other audience's text ("steroids" for patients, "corticosteroids" for clinicians).
            Results = await SearchAsync(terms, Audience.All, current, cancellationToken);
            FromOtherAudience = Results.Count > 0;
        }
    }

    private async Task<List<SearchResult>> SearchAsync(IReadOnlyList<string> terms, Audience audience, string current, CancellationToken cancellationToken)
    {
        AnyWord = false;
        var results = await RunAsync(SearchQuery.Match(terms, all: true), audience, current, cancellationToken);
        if (results.Count == 0 && terms.Count > 1)
        {
            // Nothing has every word: offer what has any of them, and say so.
            results = await RunAsync(SearchQuery.Match(terms, all: false), audience, current, cancellationToken);
            AnyWord = results.Count > 0;
        }
        return results;
    }

    private async Task<string> CurrentVersionIdsAsync(CancellationToken cancellationToken)
    {
        var articles = await db.Articles.AsNoTracking().Include(a => a.Versions).ToListAsync(cancellationToken);
        return JsonSerializer.Serialize(articles.Select(a => PublishedContent.Current(a.Versions)?.Id).OfType<int>());
    }

    private async Task<List<SearchResult>> RunAsync(string match, Audience reader, string currentIds, CancellationToken cancellationToken)
    {
        var audience = reader.ToString();
        // bm25 weights by column: Title 10, Summary 5, Body 1 (lower scores rank first).
        var rows = await db.Database.SqlQuery<SearchRow>($"""
            SELECT a.Slug AS Slug, a.Kind AS Kind, v.Status AS Status,
                   highlight(SearchIndex, 0, char(2), char(3)) AS Title,
                   highlight(SearchIndex, 1, char(2), char(3)) AS Summary,
                   snippet(SearchIndex, 2, char(2), char(3), '…', 28) AS Snippet,
                   bm25(SearchIndex, 10.0, 5.0, 1.0) AS Rank
            FROM SearchIndex
            JOIN Renderings r ON r.Id = SearchIndex.rowid
            JOIN Versions v ON v.Id = r.VersionId
            JOIN Articles a ON a.Id = v.ArticleId
            WHERE SearchIndex MATCH {match}
              AND r.Audience = {audience}
              AND v.Id IN (SELECT value FROM json_each({currentIds}))
            ORDER BY Rank
            LIMIT {MaxResults}
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new SearchResult(
            r.Kind == nameof(ContentKind.Article) ? $"/articles/{r.Slug}" : $"/{r.Slug}",
            SearchQuery.Highlight(r.Title),
            SearchQuery.Highlight(r.Snippet.Contains(SearchQuery.Open, StringComparison.Ordinal) ? r.Snippet : r.Summary),
            r.Status != nameof(ReviewStatus.Approved))).ToList();
    }

    private sealed record SearchRow(string Slug, string Kind, string Status, string Title, string Summary, string Snippet, double Rank);
}

/// <summary>One search hit; <see cref="TitleHtml"/> and <see cref="SnippetHtml"/> are encoded, with matches in &lt;mark&gt;.</summary>
public sealed record SearchResult(string Url, string TitleHtml, string SnippetHtml, bool Pending);
