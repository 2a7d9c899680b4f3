using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Search;

/// <summary>
/// <c>/search?q=…&amp;page=n</c>: full-text search (SQLite FTS5, bm25 with title and summary above body) over the
/// versions readers currently see, in the reader's audience, with highlighted snippets, a page of results at a
/// time. Works as a plain GET form.
/// </summary>
[OutputCache(PolicyName = PageCaching.SearchPage)]
public sealed class IndexModel(IbmInfoDb db, CurrentRenderings currentRenderings, ContentStatus status, PublishedContent published) : PageModel
{
    /// <summary>Results on one page: a phone screen or two, as on NHS and NCI search pages.</summary>
    public const int PageSize = 10;

    /// <summary>The last page offered; nobody reads further, and deep pages would cost the most to rank.</summary>
    public const int MaxPage = 50;

    public string Query { get; private set; } = "";
    public bool WasCut { get; private set; }
    public bool AnyWord { get; private set; }
    public bool HasWords { get; private set; }
    /// <summary>Nothing matched the reader's version, so the results come from the text for both audiences.</summary>
    public bool FromOtherAudience { get; private set; }
    public Audience Audience { get; private set; }
    /// <summary>Every result found, on all pages.</summary>
    public int Total { get; private set; }
    /// <summary>The page shown, from 1.</summary>
    public int PageNumber { get; private set; } = 1;
    public int PageCount { get; private set; }
    public List<SearchResult> Results { get; private set; } = [];

    /// <summary>The address of another page of these results.</summary>
    public string PageUrl(int number) =>
        $"/search?q={Uri.EscapeDataString(ShowingSuggestion ? Suggestion! : Query)}" + (number > 1 ? $"&page={number}" : "");

    /// <summary>The words searched for: the reader's, without stop words (each with its synonyms).</summary>
    public IReadOnlyList<string> Words { get; private set; } = [];
    /// <summary>The query with misspelt words corrected, when the reader's words found nothing as typed.</summary>
    public string? Suggestion { get; private set; }
    /// <summary>Nothing matched as typed, so the results shown are those for <see cref="Suggestion"/>.</summary>
    public bool ShowingSuggestion { get; private set; }
    /// <summary>For a search that found nothing: the topics, to browse instead.</summary>
    public List<(string Name, List<(Article Article, ArticleVersion Version)> Items)> Topics { get; private set; } = [];

    public async Task OnGetAsync(string? q, [FromQuery(Name = "page")] int? pageNumber, CancellationToken cancellationToken)
    {
        Audience = AudienceChoice.Resolve(HttpContext);
        Query = SearchQuery.Trim(q ?? "");
        WasCut = (q?.Trim().Length ?? 0) > SearchQuery.MaxLength;
        var terms = SearchQuery.Terms(Query);
        HasWords = terms.Count > 0;
        if (!HasWords) return;

        Words = SearchQuery.WithoutStopWords(terms);
        var requested = Math.Clamp(pageNumber ?? 1, 1, MaxPage);
        if (!await SearchAsync(Words, requested, cancellationToken))
        {
            // Nothing had every word as typed: offer the nearest words the site uses, and show what they find when
            // the words as typed found nothing at all.
            var vocabulary = await currentRenderings.VocabularyAsync(db, cancellationToken);
            var synonyms = status.Synonyms;
            var corrected = Words.Select(w => synonyms.ContainsKey(w) ? w : SearchQuery.Correct(w, vocabulary) ?? w).ToList();
            if (!corrected.SequenceEqual(Words))
            {
                Suggestion = string.Join(' ', corrected);
                if (Total == 0)
                {
                    await SearchAsync(corrected, requested, cancellationToken);
                    ShowingSuggestion = Total > 0;
                }
            }
        }
        if (Total == 0)
        {
            PageNumber = 1;
            var articles = await published.ListCurrentAsync(ContentKind.Article, cancellationToken);
            Topics = Categories.All.Select(c => (c.Name, articles.Where(a => a.Article.Category == c.Slug).ToList()))
                .Where(c => c.Item2.Count > 0).ToList();
        }
    }

    /// <summary>
    /// Every word (or one of its synonyms) in the reader's text; else any of the words; else the same in the text for
    /// all readers (the words may be in the other audience's text: "steroids" for patients, "corticosteroids" for
    /// clinicians). True when something had every word; the results found, if any, are on the page.
    /// </summary>
    private async Task<bool> SearchAsync(IReadOnlyList<string> words, int requested, CancellationToken cancellationToken)
    {
        var groups = SearchQuery.WithSynonyms(words, status.Synonyms);
        Audience[] audiences = Audience == Audience.All ? [Audience.All] : [Audience, Audience.All];
        bool[] wordRules = groups.Count > 1 ? [true, false] : [true];
        foreach (var audience in audiences)
        {
            var ids = await currentRenderings.IdsAsync(db, audience, cancellationToken);
            foreach (var everyWord in wordRules)
            {
                var match = SearchQuery.Match(groups, all: everyWord);
                PageNumber = requested;
                var (ranked, total) = await RankAsync(match, ids, cancellationToken);
                if (total == 0 && PageNumber > 1)
                {
                    // Asked for a page past the end: learn the total from the first, then show the last.
                    PageNumber = 1;
                    (ranked, total) = await RankAsync(match, ids, cancellationToken);
                    PageNumber = Math.Min(requested, Math.Min(MaxPage, (total + PageSize - 1) / PageSize));
                    if (PageNumber > 1) (ranked, total) = await RankAsync(match, ids, cancellationToken);
                }
                if (total == 0) continue;

                Total = total;
                PageCount = Math.Min(MaxPage, (total + PageSize - 1) / PageSize);
                AnyWord = !everyWord;
                FromOtherAudience = audience != Audience;
                Results = await ResultsAsync(match, ranked, cancellationToken);
                return everyWord;
            }
        }
        return false;
    }

    /// <summary>
    /// The page's rendering ids, best first, and how many match in all: one pass over the matches. Ranking comes
    /// alone, before any snippet: SQLite computes every result column of every matching row before sorting, and a
    /// snippet means reading the whole body. bm25 weights by column: Title 10, Summary 5, Body 1 (lower scores rank
    /// first); the id breaks ties so pages never overlap. "+rowid" keeps SQLite from handing the id list to FTS5 as
    /// a rowid constraint: FTS5 would then look each id up in the index (hundreds of seeks) instead of walking the
    /// word's few doclists and checking each row against a list. (bm25 sits in a subquery: FTS5 refuses it beside a
    /// window function.)
    /// </summary>
    private async Task<(List<long> Page, int Total)> RankAsync(string match, string ids, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<RankedRow>($"""
            SELECT Id, count(*) OVER () AS Total FROM (
                SELECT SearchIndex.rowid AS Id, bm25(SearchIndex, 10.0, 5.0, 1.0) AS Rank FROM SearchIndex
                WHERE SearchIndex MATCH {match} AND +SearchIndex.rowid IN (SELECT value FROM json_each({ids})))
            ORDER BY Rank, Id
            LIMIT {PageSize} OFFSET {(PageNumber - 1) * PageSize}
            """).ToListAsync(cancellationToken);
        return (rows.Select(r => r.Id).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>Titles and snippets with the matches marked, for the page's rows only, in rank order.</summary>
    private async Task<List<SearchResult>> ResultsAsync(string match, List<long> ranked, CancellationToken cancellationToken)
    {
        var pageIds = JsonSerializer.Serialize(ranked);
        var rows = await db.Database.SqlQuery<SearchRow>($"""
            SELECT SearchIndex.rowid AS Id, a.Slug AS Slug, a.Kind AS Kind, v.Status AS Status,
                   highlight(SearchIndex, 0, char(2), char(3)) AS Title,
                   highlight(SearchIndex, 1, char(2), char(3)) AS Summary,
                   snippet(SearchIndex, 2, char(2), char(3), '…', 28) AS Snippet
            FROM SearchIndex
            CROSS JOIN Renderings r ON r.Id = SearchIndex.rowid
            JOIN Versions v ON v.Id = r.VersionId
            JOIN Articles a ON a.Id = v.ArticleId
            WHERE SearchIndex MATCH {match} AND SearchIndex.rowid IN (SELECT value FROM json_each({pageIds}))
            """).ToDictionaryAsync(r => r.Id, cancellationToken);
        return ranked.Where(rows.ContainsKey).Select(id => rows[id]).Select(r => new SearchResult(
            r.Kind == nameof(ContentKind.Article) ? $"/articles/{r.Slug}" : $"/{r.Slug}",
            SearchQuery.Highlight(r.Title),
            SearchQuery.Highlight(r.Snippet.Contains(SearchQuery.Open, StringComparison.Ordinal) ? r.Snippet : r.Summary),
            r.Status != nameof(ReviewStatus.Approved))).ToList();
    }

    private sealed record RankedRow(long Id, int Total);

    private sealed record SearchRow(long Id, string Slug, string Kind, string Status, string Title, string Summary, string Snippet);
}

/// <summary>One search hit; <see cref="TitleHtml"/> and <see cref="SnippetHtml"/> are encoded, with matches in &lt;mark&gt;.</summary>
public sealed record SearchResult(string Url, string TitleHtml, string SnippetHtml, bool Pending);
