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
/// <c>/search?q=…&amp;page=n</c>: full-text search (<see cref="ISearchIndex"/>: title and summary ranked above
/// text) over the versions readers currently see, in the reader's audience, with highlighted snippets, a page of
/// results at a time. Works as a plain GET form.
/// </summary>
[OutputCache(PolicyName = PageCaching.SearchPage)]
public sealed class IndexModel(IbmInfoDb db, ISearchIndex searchIndex, CurrentRenderings currentRenderings, ContentStatus status, PublishedContent published) : PageModel
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
            var titles = await currentRenderings.IdsAsync(db, Audience.All, cancellationToken);
            var corrected = new List<string>();
            foreach (var word in Words)
            {
                corrected.Add(synonyms.ContainsKey(word) || vocabulary.ContainsKey(word) ? word
                    : SearchQuery.Correct(word, vocabulary) ?? await searchIndex.NearestTitleWordAsync(word, titles, cancellationToken) ?? word);
            }
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
                var match = new SearchMatch(groups, everyWord);
                PageNumber = requested;
                var ranking = await RankAsync(match, ids, cancellationToken);
                if (ranking.Total == 0 && PageNumber > 1)
                {
                    // Asked for a page past the end: learn the total from the first, then show the last.
                    PageNumber = 1;
                    ranking = await RankAsync(match, ids, cancellationToken);
                    PageNumber = Math.Min(requested, Math.Min(MaxPage, (ranking.Total + PageSize - 1) / PageSize));
                    if (PageNumber > 1) ranking = await RankAsync(match, ids, cancellationToken);
                }
                if (ranking.Total == 0) continue;

                Total = ranking.Total;
                PageCount = Math.Min(MaxPage, (Total + PageSize - 1) / PageSize);
                AnyWord = !everyWord;
                FromOtherAudience = audience != Audience;
                Results = await ResultsAsync(match, ranking.Page, cancellationToken);
                return everyWord;
            }
        }
        return false;
    }

    private Task<SearchRanking> RankAsync(SearchMatch match, IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        searchIndex.RankAsync(match, ids, (PageNumber - 1) * PageSize, PageSize, cancellationToken);

    /// <summary>
    /// The page's results in rank order: titles and snippets with the matches marked (the summary where the text's
    /// snippet has no match, as when only the title matched), and where each leads.
    /// </summary>
    private async Task<List<SearchResult>> ResultsAsync(SearchMatch match, IReadOnlyList<int> ranked, CancellationToken cancellationToken)
    {
        var highlights = (await searchIndex.HighlightAsync(match, ranked, cancellationToken)).ToDictionary(h => h.Id);
        var targets = await (
                from r in db.Renderings.AsNoTracking()
                join v in db.Versions on r.VersionId equals v.Id
                where ranked.Contains(r.Id)
                select new { r.Id, v.Article.Slug, v.Article.Kind, v.Status })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        return ranked.Where(id => highlights.ContainsKey(id) && targets.ContainsKey(id)).Select(id =>
        {
            var (h, target) = (highlights[id], targets[id]);
            return new SearchResult(
                target.Kind == ContentKind.Article ? $"/articles/{target.Slug}" : $"/{target.Slug}",
                SearchQuery.Highlight(h.Title),
                SearchQuery.Highlight(h.Snippet.Contains(SearchQuery.Open, StringComparison.Ordinal) ? h.Snippet : h.Summary),
                target.Status != ReviewStatus.Approved);
        }).ToList();
    }
}

/// <summary>One search hit; <see cref="TitleHtml"/> and <see cref="SnippetHtml"/> are encoded, with matches in &lt;mark&gt;.</summary>
public sealed record SearchResult(string Url, string TitleHtml, string SnippetHtml, bool Pending);
