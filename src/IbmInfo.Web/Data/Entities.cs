using IbmInfo.Content;

namespace IbmInfo.Web.Data;

/// <summary>The review steps of a version. Stored by name, so the database reads plainly.</summary>
public enum ReviewStatus
{
    Submitted,
    UnderReview,
    ChangesRequested,
    Approved,
    Retired,
}

/// <summary>An article or standalone page; its text lives in its versions.</summary>
public sealed class Article
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public ContentKind Kind { get; set; }
    public string? Category { get; set; }
    public int Order { get; set; }
    public List<ArticleVersion> Versions { get; set; } = [];
}

/// <summary>One version file as synced: its hash, its front matter, its renderings and its review state.</summary>
public sealed class ArticleVersion
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int Number { get; set; }
    public required string SourceFile { get; set; }
    public required string ContentHash { get; set; }
    public required string Title { get; set; }
    public required string Summary { get; set; }
    public DateOnly Date { get; set; }
    public required string ChangeNote { get; set; }
    /// <summary>Who submitted the version (front matter <c>author</c>); that person may not approve it.</summary>
    public required string SubmittedBy { get; set; }
    public DateTime SubmittedAt { get; set; }
    public ReviewStatus Status { get; set; }
    public DateTime StatusChangedAt { get; set; }
    /// <summary>The approving reviewer's account (e-mail), for the rules.</summary>
    public string? ReviewedBy { get; set; }
    /// <summary>The approving reviewer's name as readers see it ("Last reviewed by …").</summary>
    public string? ReviewedByName { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public DateOnly? NextReviewDue { get; set; }
    /// <summary>The version shows the "Get help now" box (front matter <c>urgent_help</c>).</summary>
    public bool UrgentHelp { get; set; }
    /// <summary>Changes on every transition, so two reviewers acting at once cannot both win.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
    public List<VersionRendering> Renderings { get; set; } = [];
    public List<VersionCitation> Citations { get; set; } = [];
    public List<ReviewTransition> Transitions { get; set; } = [];
}

/// <summary>A version rendered for one audience, once, at sync time.</summary>
public sealed class VersionRendering
{
    public int Id { get; set; }
    public int VersionId { get; set; }
    public Audience Audience { get; set; }
    public required string Html { get; set; }
    /// <summary>The key points shown under the title, their citations numbered first; empty when the version has none.</summary>
    public string KeyPointsHtml { get; set; } = "";
    public required string PlainText { get; set; }
    /// <summary>Reference keys in citation-number order, separated by spaces.</summary>
    public required string CitedKeys { get; set; }
    /// <summary>The headings as JSON, for the table of contents.</summary>
    public required string HeadingsJson { get; set; }
}

/// <summary>One change of review status: kept forever, never edited.</summary>
public sealed class ReviewTransition
{
    public int Id { get; set; }
    public int VersionId { get; set; }
    public ArticleVersion Version { get; set; } = null!;
    public ReviewStatus? From { get; set; }
    public ReviewStatus To { get; set; }
    public required string By { get; set; }
    public DateTime At { get; set; }
    public string Note { get; set; } = "";
}

/// <summary>A reference imported from <c>references.yml</c>.</summary>
public sealed class ReferenceRecord
{
    public required string Key { get; set; }
    public ReferenceKind Kind { get; set; }
    public required string Authors { get; set; }
    public required string Title { get; set; }
    public required string Publisher { get; set; }
    public int? Year { get; set; }
    public string? Pmid { get; set; }
    public string? Doi { get; set; }
    public string? Url { get; set; }
    public DateOnly? Accessed { get; set; }
    public string? Note { get; set; }
    public List<VersionCitation> CitedBy { get; set; } = [];

    public Reference ToReference() => new(Key, Kind, Authors, Title, Publisher, Year, Pmid, Doi, Url, Accessed, Note);
}

/// <summary>Which version cites which reference.</summary>
public sealed class VersionCitation
{
    public int VersionId { get; set; }
    public ArticleVersion Version { get; set; } = null!;
    public required string ReferenceKey { get; set; }
    public ReferenceRecord Reference { get; set; } = null!;
}

/// <summary>A reader's follow-up question, for the editors' inbox.</summary>
public sealed class ReaderQuestion
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int VersionNumber { get; set; }
    public string? Name { get; set; }
    public required string Question { get; set; }
    public DateTime AskedAt { get; set; }
    public bool Handled { get; set; }
    public string? HandledBy { get; set; }
    public DateTime? HandledAt { get; set; }
}

/// <summary>A reader's "Was this page useful?" answer.</summary>
public sealed class PageFeedback
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int VersionNumber { get; set; }
    public bool Useful { get; set; }
    public DateTime At { get; set; }
}
