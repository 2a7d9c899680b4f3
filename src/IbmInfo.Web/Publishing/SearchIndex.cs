namespace IbmInfo.Web.Publishing;

/// <summary>
/// What to look for, as data rather than a query string in any database's syntax: groups of alternatives (a
/// reader's word with its synonyms; an alternative may be a phrase of several words), every group required when
/// <paramref name="All"/>, else any of them. Each implementation turns it into its own query, never by pasting a
/// reader's text into query syntax.
/// </summary>
public sealed record SearchMatch(IReadOnlyList<IReadOnlyList<string>> Groups, bool All);

/// <summary>A rendering's title, summary and a short snippet of its text, the matched words between <see cref="Pages.Search.SearchQuery.Open"/> and <see cref="Pages.Search.SearchQuery.Close"/>.</summary>
public sealed record SearchHighlight(int Id, string Title, string Summary, string Snippet);

/// <summary>One page of matching rendering ids, best first, and how many match in all.</summary>
public sealed record SearchRanking(IReadOnlyList<int> Page, int Total);

/// <summary>
/// The full-text index behind <c>/search</c> and the question page: one entry per rendering of each article's
/// current version — search covers only what readers see — keyed by the rendering's id, so a query can be narrowed
/// to the reader's audience (<see cref="CurrentRenderings.IdsAsync"/>). Older and newer versions are not indexed:
/// that keeps a large first sync and the database small. Whatever changes which version is current (a content sync,
/// a review step, a submitted version) re-indexes the article in the same transaction. Ranking weighs a match in the
/// title above one in the summary, and that above one in the text. One implementation per database provider
/// (<see cref="SqliteSearchIndex"/>, <see cref="PostgreSqlSearchIndex"/>), chosen with the provider.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Indexes the current version of each given article and drops its other versions from the index.</summary>
    Task ReindexArticlesAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken);

    /// <summary>
    /// The matching renderings among <paramref name="ids"/>, best first, <paramref name="take"/> of them after
    /// <paramref name="skip"/>, with how many match in all; ties go by id, so pages never overlap.
    /// </summary>
    Task<SearchRanking> RankAsync(SearchMatch match, IReadOnlyList<int> ids, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Title, summary and snippet with the matches marked, for <paramref name="ids"/> (a page of results), in no particular order.</summary>
    Task<IReadOnlyList<SearchHighlight>> HighlightAsync(SearchMatch match, IReadOnlyList<int> ids, CancellationToken cancellationToken);

    /// <summary>
    /// For "Did you mean …" when the vocabulary's rule (<see cref="Pages.Search.SearchQuery.Correct"/>, at most two
    /// edits) found nothing near <paramref name="term"/>: the word of the titles among <paramref name="ids"/> that
    /// looks most like it, if the database can measure that; else null.
    /// </summary>
    Task<string?> NearestTitleWordAsync(string term, IReadOnlyList<int> ids, CancellationToken cancellationToken);
}
