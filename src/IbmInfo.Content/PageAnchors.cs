using System.Text.RegularExpressions;

namespace IbmInfo.Content;

/// <summary>
/// The element ids the pages that show a body give their own parts (the skip-link target, the reference list and its
/// entries, the question form …). A heading anchor equal to one of them would make "#references" or a citation link
/// jump to the wrong place, so the check refuses it. A test over the rendered pages keeps this list complete.
/// </summary>
public static partial class PageAnchors
{
    /// <summary>Ids used as they are.</summary>
    public static readonly IReadOnlySet<string> Fixed = new HashSet<string>(StringComparer.Ordinal)
    {
        "main", "site-search", "search-query", "all-content", "toc-heading", "key-points-heading", "review-status-heading", "references",
        "history", "cite-heading", "disclaimer-heading", "follow-up", "follow-up-heading", "question-errors",
        "question-error", "question-text", "question-hint", "question-name", "name-error", "page-feedback",
        "page-feedback-heading", "useful", "card-front", "card-back", "review-rendering", "review-diff",
        "review-trail", "review-decision", "note-hint", "Note",
    };

    /// <summary>Whether <paramref name="id"/> is one of the page's own ids, or of the numbered ones (<c>ref-3</c>, <c>cite-3</c>, the review trail's <c>trail-entry-3</c>).</summary>
    public static bool IsReserved(string id) => Fixed.Contains(id) || Numbered().IsMatch(id);

    [GeneratedRegex("^(ref|cite|trail-entry)-[0-9]+$")]
    private static partial Regex Numbered();
}
