using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace IbmInfo.Web.Pages.Search;

/// <summary>
/// Turns what a reader typed into a safe FTS5 query: only their words, each quoted as a term, so no FTS syntax
/// (quotes, <c>*</c>, <c>NEAR(</c>, <c>-</c>, <c>:</c>, column filters) they type can change the query or fail it.
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

    /// <summary>Cuts a query to <see cref="MaxLength"/> characters.</summary>
    public static string Trim(string text) => text.Length <= MaxLength ? text.Trim() : text[..MaxLength].Trim();

    /// <summary>An FTS5 MATCH expression: every term quoted; all terms required, or any of them.</summary>
    public static string Match(IReadOnlyList<string> terms, bool all) =>
        string.Join(all ? " AND " : " OR ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    /// <summary>
    /// HTML for text that SQLite's snippet()/highlight() marked with <see cref="Open"/> and <see cref="Close"/>:
    /// the text is encoded first, then the markers become &lt;mark&gt;, so nothing from the content or the query
    /// reaches the page unescaped.
    /// </summary>
    public static string Highlight(string marked)
    {
        var html = new StringBuilder(WebUtility.HtmlEncode(marked.Replace(Open + Close, "", StringComparison.Ordinal)));
        html.Replace(Open, "<mark>").Replace(Close, "</mark>");
        return html.ToString();
    }

    /// <summary>Characters that never occur in content, used by SQLite to mark matches.</summary>
    public const string Open = "\u0002", Close = "\u0003";

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();
}
