using System.Globalization;

namespace IbmInfo.Content;

/// <summary>A problem found in a content file, reported as <c>file:line: message</c>.</summary>
/// <param name="File">The file's path relative to the content root, with forward slashes.</param>
/// <param name="Line">The 1-based line the problem is on (1 when it concerns the whole file).</param>
/// <param name="Message">What is wrong and what to do about it.</param>
public sealed record ContentProblem(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Printable(File)}:{Line}: {Printable(Message)}";

    // A control character in a file name or a quoted value must not start a line of its own in a report or a log.
    private static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;
}

/// <summary>Whether a content item is an article (under <c>articles/</c>) or a standalone page (under <c>pages/</c>).</summary>
public enum ContentKind
{
    /// <summary>An article in one of the categories, served at <c>/articles/&lt;slug&gt;</c>.</summary>
    Article,
    /// <summary>A standalone page such as the disclaimer, served at <c>/&lt;slug&gt;</c>.</summary>
    Page,
}

/// <summary>Who a piece of text is written for.</summary>
public enum Audience
{
    /// <summary>No choice made: both audience blocks are shown, each labelled.</summary>
    All,
    /// <summary>Patients and carers.</summary>
    Patient,
    /// <summary>Healthcare professionals.</summary>
    Clinician,
}

/// <summary>The kinds a reference can be, shown beside it in reference lists.</summary>
public enum ReferenceKind
{
    /// <summary>Primary research or a research article.</summary>
    Research,
    /// <summary>A clinical guideline or guideline summary.</summary>
    Guideline,
    /// <summary>A systematic or narrative review.</summary>
    Review,
    /// <summary>Information written for patients, e.g. by a charity.</summary>
    PatientInformation,
    /// <summary>Any other web page, e.g. a commercial service's answer page: neither research nor a guideline.</summary>
    WebPage,
}

/// <summary>
/// One entry of <c>references.yml</c>. <c>Authors</c> is empty where none could be checked (no placeholder is
/// shown); <c>Year</c> is null for a web page that carries no date, whose <c>Accessed</c> day stands in for it;
/// <c>Note</c> says what readers should know about the source itself, e.g. that it has no public identifier.
/// </summary>
public sealed partial record Reference(
    string Key,
    ReferenceKind Kind,
    string Authors,
    string Title,
    string Publisher,
    int? Year,
    string? Pmid,
    string? Doi,
    string? Url,
    DateOnly? Accessed = null,
    string? Note = null)
{
    /// <summary>The best link for the reference: DOI, then PubMed, then its URL.</summary>
    public string? Link =>
        Doi is not null ? $"https://doi.org/{Doi}"
        : Pmid is not null ? $"https://pubmed.ncbi.nlm.nih.gov/{Pmid}/"
        : Url;

    /// <summary>The kind as readers see it ("Patient information" rather than the enum name).</summary>
    public string KindLabel => Kind switch
    {
        ReferenceKind.PatientInformation => "Patient information",
        ReferenceKind.WebPage => "Web page",
        _ => Kind.ToString(),
    };

    /// <summary>
    /// The reference named in a line of plain text, e.g. where a comparison of versions shows a citation: the first
    /// author's surname ("Rose MR" gives "Rose"), "and" the second or "et al." when there are more, and the year:
    /// "Rose et al. 2015". An organisation is named whole, or by its publisher when that is shorter.
    /// </summary>
    public string ShortLabel
    {
        get
        {
            var authors = Authors.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var first = authors.FirstOrDefault();
            var name = first is null ? Publisher
                : PersonName().Match(first) is { Success: true } person ? person.Groups[1].Value
                : Publisher.Length > 0 && Publisher.Length < first.Length ? Publisher : first;
            var others = authors.Length switch
            {
                < 2 => "",
                2 when PersonName().Match(authors[1]) is { Success: true } second => $" and {second.Groups[1].Value}",
                _ => " et al.",
            };
            return $"{name}{others} {Year?.ToString(CultureInfo.InvariantCulture) ?? "n.d."}";
        }
    }

    /// <summary>"Surname AB": one word (hyphens and apostrophes allowed) and up to three initials.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(\p{Lu}[\p{L}'’\-]+)\s+\p{Lu}{1,3}$")]
    private static partial System.Text.RegularExpressions.Regex PersonName();

    /// <summary>The date part of a citation: "2015", "2025 (accessed 1 December 2026)" or "no date (accessed …)".</summary>
    public string DateLabel
    {
        get
        {
            var accessed = Accessed?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            var year = Year?.ToString(CultureInfo.InvariantCulture);
            return (year, accessed) switch
            {
                (not null, null) => year,
                (not null, not null) => $"{year} (accessed {accessed})",
                (null, not null) => $"no date (accessed {accessed})",
                _ => "no date",
            };
        }
    }
}

/// <summary>The front matter of a version file.</summary>
public sealed record FrontMatter(
    string Title,
    string Summary,
    string? Category,
    DateOnly Date,
    string Change,
    string Author,
    int Order)
{
    /// <summary>The 3–5 points for each audience shown under the title (<c>key_points</c>); null when the file has none.</summary>
    public KeyPoints? KeyPoints { get; init; }

    /// <summary>The page shows the "Get help now" box (<c>urgent_help: true</c>).</summary>
    public bool UrgentHelp { get; init; }
}

/// <summary>One key point: a line of inline Markdown (citations allowed), with its line in the file for problems.</summary>
public sealed record KeyPoint(string Markdown, int Line);

/// <summary>The front matter's <c>key_points</c>: the answer first, for each audience.</summary>
public sealed record KeyPoints(IReadOnlyList<KeyPoint> Patient, IReadOnlyList<KeyPoint> Clinician)
{
    /// <summary>The fewest points an audience's list may have.</summary>
    public const int Fewest = 3;
    /// <summary>The most points an audience's list may have.</summary>
    public const int Most = 5;
}

/// <summary>Content rules that are switched on once the content is ready for them.</summary>
public static class ContentRules
{
    /// <summary>
    /// The newest version of every article must have <c>key_points</c>. Older versions are exempt: a reviewed file is
    /// never edited. On since every article's second version carries them.
    /// </summary>
    public const bool LatestArticleVersionRequiresKeyPoints = true;

    /// <summary>The standalone page whose current version is the "Get help now" box (<c>urgent_help: true</c>).</summary>
    public const string GetHelpNowPage = "get-help-now";
}

/// <summary>A heading of a rendered body, for tables of contents and section links.</summary>
public sealed record Heading(int Level, string Id, string Text);

/// <summary>A body rendered for one audience.</summary>
/// <param name="Html">The body's HTML, with numbered citation links and section anchors.</param>
/// <param name="CitedKeys">Reference keys in the order of first use, so the n-th key is citation n.</param>
/// <param name="Headings">The body's headings in order.</param>
/// <param name="PlainText">The text without markup, for search.</param>
public sealed record RenderedBody(string Html, IReadOnlyList<string> CitedKeys, IReadOnlyList<Heading> Headings, string PlainText)
{
    /// <summary>The key points as a list (<c>ul.key-points</c>), their citations numbered first; empty when there are none.</summary>
    public string KeyPointsHtml { get; init; } = "";
}

/// <summary>One valid version file of an article or page, rendered for every audience.</summary>
public sealed record ContentVersion(
    ContentKind Kind,
    string Slug,
    int Number,
    string File,
    string ContentHash,
    FrontMatter FrontMatter,
    IReadOnlyDictionary<Audience, RenderedBody> Renderings)
{
    /// <summary>
    /// The file's text exactly as the bytes that were checked and hashed say (byte-order mark and line ends kept), so
    /// the text stored is the text checked, and writing it back as UTF-8 gives the same bytes and hash.
    /// </summary>
    public required string Text { get; init; }

    /// <summary>Every reference key the version cites, for any audience.</summary>
    public IReadOnlyList<string> CitedKeys => Renderings[Audience.All].CitedKeys;
}

/// <summary>The outcome of reading a content folder: what is valid, and what is not.</summary>
/// <param name="References">Valid references by key.</param>
/// <param name="Versions">Every valid version file; a file with a problem is left out, never half-read.</param>
/// <param name="Problems">Every problem found, in file order.</param>
public sealed record ContentSet(
    IReadOnlyDictionary<string, Reference> References,
    IReadOnlyList<ContentVersion> Versions,
    IReadOnlyList<ContentProblem> Problems)
{
    /// <summary>What readers may type → the words the articles use, from <c>synonyms.yml</c> (empty without the file).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
