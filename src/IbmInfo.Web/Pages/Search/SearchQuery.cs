using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace IbmInfo.Web.Pages.Search;

/// <summary>
/// The reader-facing rules of search, the same on every database: what a reader typed becomes only their words
/// (letters and digits: no quote, <c>*</c>, <c>-</c>, <c>:</c> or bracket they type survives), without stop words,
/// each with its synonyms, and "Did you mean …" for a misspelt one. <see cref="Publishing.ISearchIndex"/> gets them
/// as data.
/// </summary>
public static partial class SearchQuery
{
    public const int MaxLength = 200;
    public const int MaxTerms = 12;

    /// <summary>The words of <paramref name="text"/>, lower-cased, at most <see cref="MaxTerms"/>, without repeats.</summary>
    public static IReadOnlyList<string> Terms(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : Word().Matches(Trim(text)).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(MaxTerms).ToList();

    /// <summary>Every word of a text, lower-cased, as search splits it (for the vocabulary of "Did you mean …").</summary>
    public static IEnumerable<string> WordsOf(string text) => Word().Matches(text).Select(m => m.Value.ToLowerInvariant());

    /// <summary>
    /// Words that say nothing about the topic, left out so that a question such as "can I exercise" is searched as
    /// "exercise". A query of nothing but such words keeps them.
    /// </summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "am", "an", "and", "any", "anything", "are", "as", "at", "be", "been", "before", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "get", "getting", "go", "had", "has", "have",
        "having", "he", "her", "his", "how", "i", "i'm", "i’m", "if", "in", "into", "is", "it", "its", "it's", "it’s", "just",
        "know", "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "of", "on", "or", "our",
        "please", "she", "should", "so", "some", "someone", "something", "tell", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "very", "want", "was", "we", "were",
        "what", "what's", "when", "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
    };

    /// <summary>The terms that carry the meaning: <paramref name="terms"/> without stop words, unless that leaves none.</summary>
    public static IReadOnlyList<string> WithoutStopWords(IReadOnlyList<string> terms)
    {
        var kept = terms.Where(t => !StopWords.Contains(t)).ToList();
        return kept.Count > 0 ? kept : terms;
    }

    /// <summary>Each term with the words <c>synonyms.yml</c> gives for it: a reader's "physio" is also "physiotherapy".</summary>
    public static IReadOnlyList<IReadOnlyList<string>> WithSynonyms(IReadOnlyList<string> terms, IReadOnlyDictionary<string, IReadOnlyList<string>> synonyms) =>
        terms.Select(t => (IReadOnlyList<string>)[t, .. synonyms.GetValueOrDefault(t) ?? []]).ToList();

    /// <summary>
    /// The word of <paramref name="vocabulary"/> nearest to a misspelt <paramref name="term"/>: at most one edit away
    /// for words of up to five letters, two for longer ones (an edit being a letter added, dropped, changed, or two
    /// neighbours swapped: "steriods" → "steroids"); the commoner word wins a tie. Null for a word the site uses,
    /// a number, or one with nothing near.
    /// </summary>
    public static string? Correct(string term, IReadOnlyDictionary<string, int> vocabulary)
    {
        if (term.Length < 3 || vocabulary.ContainsKey(term) || term.All(char.IsDigit)) return null;
        var limit = term.Length <= 5 ? 1 : 2;
        string? best = null;
        int bestDistance = limit + 1, bestCount = 0;
        foreach (var (word, count) in vocabulary)
        {
            if (Math.Abs(word.Length - term.Length) > limit || word.Length < 3) continue;
            var distance = EditDistance(term, word, bestDistance);
            if (distance < bestDistance || (distance == bestDistance && distance <= limit && (count > bestCount || (count == bestCount && string.CompareOrdinal(word, best) < 0))))
                (best, bestDistance, bestCount) = (word, distance, count);
        }
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Optimal-string-alignment distance (Levenshtein plus swaps of neighbours), giving up above <paramref name="cap"/>.</summary>
    internal static int EditDistance(string a, string b, int cap)
    {
        var rows = new int[3][];
        for (var r = 0; r < 3; r++) rows[r] = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) rows[1][j] = j;
        int[] before = rows[0], previous = rows[1], current = rows[2];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, before[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > cap) return cap + 1;
            (before, previous, current) = (previous, current, before);
        }
        return previous[b.Length];
    }

    /// <summary>Cuts a query to <see cref="MaxLength"/> characters.</summary>
    public static string Trim(string text) => text.Length <= MaxLength ? text.Trim() : text[..MaxLength].Trim();

    /// <summary>
    /// HTML for text the search index marked with <see cref="Open"/> and <see cref="Close"/>:
    /// the text is encoded first, then the markers become &lt;mark&gt;, so nothing from the content or the query
    /// reaches the page unescaped.
    /// </summary>
    public static string Highlight(string marked)
    {
        var html = new StringBuilder(WebUtility.HtmlEncode(marked.Replace(Open + Close, "", StringComparison.Ordinal)));
        html.Replace(Open, "<mark>").Replace(Close, "</mark>");
        return html.ToString();
    }

    /// <summary>Characters that never occur in content, used by the search index to mark matches.</summary>
    public const string Open = "\u0002", Close = "\u0003";

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();
}
