using System.Net;
using System.Text;
using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.Search;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>One section of a current article that matches a reader's question.</summary>
/// <param name="SnippetHtml">Encoded text with the matching words in &lt;mark&gt;.</param>
public sealed record SectionAnswer(string ArticleTitle, string SectionTitle, string Url, string SnippetHtml, bool Approved);

/// <summary>
/// What our articles already say about a question: the sections of the versions readers see now (in the reader's
/// audience) that share the most words with it. Nothing is written for the reader: only our own text, found by the
/// same full-text search as <c>/search</c> (stop words left out, synonyms added), then narrowed to the best
/// section of each article.
/// </summary>
public static class QuestionSentAnswers
{
    public const int MaxAnswers = 4;

    public static async Task<List<SectionAnswer>> FindAsync(IbmInfoDb db, ISearchIndex searchIndex, CurrentRenderings currentRenderings,
        ContentStatus status, string question, Audience audience, CancellationToken cancellationToken)
    {
        var words = SearchQuery.WithoutStopWords(SearchQuery.WordsOf(question).Distinct().Take(SearchQuery.MaxTerms * 2).ToList())
            .Where(w => !SearchQuery.StopWords.Contains(w) && w.Length > 1).Take(SearchQuery.MaxTerms).ToList();
        if (words.Count == 0) return [];
        var groups = SearchQuery.WithSynonyms(words, status.Synonyms);
        var ids = await currentRenderings.IdsAsync(db, audience, cancellationToken);
        var ranked = (await searchIndex.RankAsync(new SearchMatch(groups, All: false), ids, skip: 0, take: 8, cancellationToken)).Page;
        if (ranked.Count == 0) return [];

        var renderingIds = ranked.ToList();
        var rows = await (
                from r in db.Renderings.AsNoTracking()
                join v in db.Versions on r.VersionId equals v.Id
                where renderingIds.Contains(r.Id)
                select new { r.Id, r.PlainText, r.HeadingsJson, v.Title, v.Status, v.Article.Slug })
            .ToListAsync(cancellationToken);

        var answers = new List<(SectionAnswer Answer, int Score, int Rank)>();
        foreach (var row in rows)
        {
            var headings = JsonSerializer.Deserialize<List<Heading>>(row.HeadingsJson) ?? [];
            var best = Sections(row.PlainText, headings)
                .Select(s => (Section: s, Score: Score(s.Text, groups)))
                .Where(s => s.Score > 0)
                .OrderByDescending(s => s.Score)
                .FirstOrDefault();
            if (best.Section is null) continue;
            var url = $"/articles/{row.Slug}" + (best.Section.Heading is { } h ? "#" + h.Id : "");
            answers.Add((new SectionAnswer(row.Title, best.Section.Heading?.Text ?? row.Title, url, Snippet(best.Section.Text, groups),
                row.Status == ReviewStatus.Approved), best.Score, renderingIds.IndexOf(row.Id)));
        }
        return answers.OrderByDescending(a => a.Score).ThenBy(a => a.Rank).Take(MaxAnswers).Select(a => a.Answer).ToList();
    }

    private sealed record Section(Heading? Heading, string Text);

    /// <summary>The plain text cut at its headings' lines: the text before the first heading, then one section per heading.</summary>
    private static List<Section> Sections(string plainText, List<Heading> headings)
    {
        var sections = new List<Section>();
        Heading? heading = null;
        var text = new StringBuilder();
        var next = 0;
        foreach (var line in plainText.Split('\n'))
        {
            if (next < headings.Count && line.Trim() == headings[next].Text)
            {
                sections.Add(new(heading, text.ToString()));
                heading = headings[next++];
                text.Clear();
                continue;
            }
            text.Append(line).Append('\n');
        }
        sections.Add(new(heading, text.ToString()));
        return sections.Where(s => s.Text.Trim().Length > 0).ToList();
    }

    /// <summary>How many of the question's words (or their synonyms) a section has, each counted once, weighted above how often.</summary>
    private static int Score(string text, IReadOnlyList<IReadOnlyList<string>> groups)
    {
        var stems = SearchQuery.WordsOf(text).Select(Stem).ToList();
        var score = 0;
        foreach (var group in groups)
        {
            var hits = group.Sum(alternative => alternative.Contains(' ')
                ? (text.Contains(alternative, StringComparison.OrdinalIgnoreCase) ? 1 : 0)
                : stems.Count(s => s == Stem(alternative)));
            if (hits > 0) score += 10 + Math.Min(hits, 5);
        }
        return score;
    }

    /// <summary>A sentence of the section with a matching word, the words marked; at most about 240 characters.</summary>
    private static string Snippet(string text, IReadOnlyList<IReadOnlyList<string>> groups)
    {
        var wanted = groups.SelectMany(g => g).Where(a => !a.Contains(' ')).Select(Stem).ToHashSet(StringComparer.Ordinal);
        var sentences = text.Split(['\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(p => p.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var sentence = sentences.FirstOrDefault(s => SearchQuery.WordsOf(s).Any(w => wanted.Contains(Stem(w)))) ?? text.Trim();
        if (sentence.Length > 240) sentence = sentence[..240].TrimEnd() + "…";
        var html = new StringBuilder();
        var last = 0;
        foreach (System.Text.RegularExpressions.Match word in System.Text.RegularExpressions.Regex.Matches(sentence, @"[\p{L}\p{N}]+"))
        {
            if (!wanted.Contains(Stem(word.Value.ToLowerInvariant()))) continue;
            html.Append(WebUtility.HtmlEncode(sentence[last..word.Index])).Append("<mark>").Append(WebUtility.HtmlEncode(word.Value)).Append("</mark>");
            last = word.Index + word.Length;
        }
        return html.Append(WebUtility.HtmlEncode(sentence[last..])).ToString();
    }

    /// <summary>A rough English stem, enough to match "exercises" with "exercise" and "swallowing" with "swallow".</summary>
    private static string Stem(string word)
    {
        foreach (var suffix in (string[])["ing", "ies", "ed", "s"])
        {
            if (word.Length - suffix.Length >= 4 && word.EndsWith(suffix, StringComparison.Ordinal))
                return suffix == "ies" ? word[..^3] + "y" : word[..^suffix.Length];
        }
        return word;
    }
}
