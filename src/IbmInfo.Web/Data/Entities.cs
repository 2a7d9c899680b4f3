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
    /// <summary>Closed without a decision: a newer version of the article was approved while this one waited.</summary>
    Superseded,
    /// <summary>Taken back by the editor who submitted it, before review started.</summary>
    Withdrawn,
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

/// <summary>Where a version's text came from.</summary>
public enum VersionOrigin
{
    /// <summary>Imported from a file in the content folder; its submitter is the account its <c>author:</c> names.</summary>
    ContentFolder,
    /// <summary>Written in the web editor and submitted by the signed-in account.</summary>
    Browser,
}

/// <summary>
/// One version: its Markdown exactly as submitted (front matter and body) with its hash, its renderings (derived
/// from that text), and its review state. The text never changes once stored: new text is a new version.
/// </summary>
public sealed class ArticleVersion
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int Number { get; set; }
    public required string SourceFile { get; set; }
    /// <summary>SHA-256 of <see cref="Markdown"/> as UTF-8, which is also the hash of the file it was imported from.</summary>
    public required string ContentHash { get; set; }
    /// <summary>
    /// The version's text, front matter and body, as submitted; what export writes and what every rendering is made
    /// from. Null only for a version stored before the text was kept, until an import finds its file unchanged.
    /// </summary>
    public string? Markdown { get; set; }
    public VersionOrigin Origin { get; set; }
    public required string Title { get; set; }
    public required string Summary { get; set; }
    public DateOnly Date { get; set; }
    public required string ChangeNote { get; set; }
    /// <summary>The submitting account's e-mail at the time, as shown to editors.</summary>
    public required string SubmittedBy { get; set; }
    /// <summary>
    /// The submitting account's id: the account that pressed "Submit for review", or the one an imported file's
    /// <c>author:</c> names. That account may not approve the version.
    /// </summary>
    public string? SubmittedById { get; set; }
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

/// <summary>
/// One step of the review trail. The database refuses to update or delete an entry, and each entry's
/// <see cref="Hash"/> covers the entry before it (see <see cref="ReviewTrail"/>), so an edit made behind the app's
/// back shows up in <c>db verify</c>.
/// </summary>
public sealed class ReviewTransition
{
    public int Id { get; set; }
    public int VersionId { get; set; }
    public ArticleVersion Version { get; set; } = null!;
    public ReviewStatus? From { get; set; }
    public ReviewStatus To { get; set; }
    /// <summary>The e-mail of whoever took the step, at the time.</summary>
    public required string By { get; set; }
    /// <summary>The account that took the step; null for entries stored before accounts were recorded.</summary>
    public string? ById { get; set; }
    public DateTime At { get; set; }
    public string Note { get; set; } = "";
    /// <summary>The version's content hash when the step was taken: an Approved entry records the text approved. Set at save time.</summary>
    public string ContentHash { get; set; } = "";
    /// <summary>The <see cref="Hash"/> of the entry before this one (by id), or <see cref="ReviewTrail.Genesis"/> for the first. Set at save time.</summary>
    public string PreviousHash { get; set; } = "";
    /// <summary>SHA-256 over this entry and <see cref="PreviousHash"/>, in <see cref="ReviewTrail"/>'s encoding. Set at save time.</summary>
    public string Hash { get; set; } = "";
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
    /// <summary>A fingerprint of the fields as <c>references.yml</c> last gave them: an import only writes a reference whose entry in the file changed since.</summary>
    public string? ImportedFields { get; set; }

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
    /// <summary>The version of this article that addressed the question, when an editor linked one.</summary>
    public int? AnsweredInVersion { get; set; }
    /// <summary>The editors' internal notes and every handled, reopened and answered step, oldest first; never shown to readers.</summary>
    public List<QuestionActivity> Activity { get; set; } = [];
}

public enum QuestionActivityKind
{
    Note,
    Handled,
    Reopened,
    Answered,
}

/// <summary>
/// One entry in a reader's question's internal thread: an editor's note, or a change of its state (handled,
/// reopened, answered in a version). Entries are only ever added, so who said or did what, and when, stays true.
/// </summary>
public sealed class QuestionActivity
{
    public const int MaxNote = 2000;

    public int Id { get; set; }
    public int QuestionId { get; set; }
    public ReaderQuestion Question { get; set; } = null!;
    public QuestionActivityKind Kind { get; set; }
    public required string By { get; set; }
    public required string ByName { get; set; }
    public DateTime At { get; set; }
    /// <summary>The note's text (for a note), or null.</summary>
    public string? Text { get; set; }
    /// <summary>The version linked (for an answered step), or null.</summary>
    public int? Version { get; set; }
}

/// <summary>A reader's "Was this page useful?" answer.</summary>
public sealed class PageFeedback
{
    public const int MaxMissing = 1000;

    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public int VersionNumber { get; set; }
    public bool Useful { get; set; }
    public DateTime At { get; set; }
    /// <summary>After a "No": what the reader said was missing, if they said (optional).</summary>
    public string? Missing { get; set; }
}

/// <summary>One change to a reference, made in the browser or by an import: who, when and what changed.</summary>
public sealed class ReferenceChange
{
    public int Id { get; set; }
    public required string ReferenceKey { get; set; }
    public required string By { get; set; }
    public DateTime At { get; set; }
    /// <summary>What changed, field by field ("title: 'old' → 'new'"), or "added".</summary>
    public required string Change { get; set; }
}

/// <summary>
/// An editor's next version of an article or page, not yet submitted: private to its author, never shown to
/// readers, never in search, sitemap or feed. One per author and slug.
/// </summary>
public sealed class Draft
{
    public int Id { get; set; }
    public required string AuthorId { get; set; }
    public required string Slug { get; set; }
    public ContentKind Kind { get; set; }
    /// <summary>The article's newest version number when the draft was started (0 for a new article), to see whether someone submitted since.</summary>
    public int BaseNumber { get; set; }
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public string? Category { get; set; }
    public int Order { get; set; }
    public string ChangeNote { get; set; } = "";
    /// <summary>Front-matter fields the form has no box for, as YAML, kept from the version the draft started from.</summary>
    public string OtherFrontMatter { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime SavedAt { get; set; }
}

/// <summary>What one import from the content folder did, for the dashboard.</summary>
public sealed class ImportRun
{
    public int Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>Who asked: an editor's e-mail, "start-up" or "command".</summary>
    public required string By { get; set; }
    public int Unchanged { get; set; }
    /// <summary>The files added as new versions, one a line.</summary>
    public string AddedFiles { get; set; } = "";
    /// <summary>The problems, one <c>file:line: message</c> a line.</summary>
    public string Problems { get; set; } = "";
    /// <summary>Why this import did nothing (another node was importing); null for an import that ran.</summary>
    public string? Skipped { get; set; }

    public IReadOnlyList<string> AddedList => AddedFiles.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    public IReadOnlyList<string> ProblemList => Problems.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The content generation every node follows on PostgreSQL: one row, bumped after each change readers may see, with a
/// notification to the other nodes in the same transaction (<see cref="Publishing.SiteChanges"/>). Unused on SQLite,
/// where the one process keeps its own counter.
/// </summary>
public sealed class SiteGeneration
{
    public const int OnlyRow = 1;

    public int Id { get; set; }
    public long Value { get; set; }
}
