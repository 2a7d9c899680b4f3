using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

public enum DiffKind
{
    Unchanged,
    Added,
    Removed,
}

/// <summary>One paragraph, heading or list item of a comparison.</summary>
public sealed record DiffLine(DiffKind Kind, string Text);

/// <summary>
/// What changed between two versions, paragraph by paragraph, in the text a reader sees (one line per paragraph,
/// heading or list item of the rendering), with the title and summary first.
/// </summary>
public static class VersionDiff
{
    private static readonly InlineDiffBuilder Builder = new(new Differ());

    public static IReadOnlyList<DiffLine> Compare(string oldText, string newText) =>
        Builder.BuildDiffModel(oldText, newText, ignoreWhitespace: true).Lines
            .Where(line => line.Type != ChangeType.Imaginary && !(line.Type == ChangeType.Unchanged && string.IsNullOrWhiteSpace(line.Text)))
            .Select(line => new DiffLine(line.Type switch
            {
                ChangeType.Inserted => DiffKind.Added,
                ChangeType.Deleted => DiffKind.Removed,
                _ => DiffKind.Unchanged,
            }, line.Text))
            .ToList();

    /// <summary>Compares two versions as <paramref name="audience"/> reads them.</summary>
    public static async Task<IReadOnlyList<DiffLine>> CompareAsync(
        IbmInfoDb db, ArticleVersion from, ArticleVersion to, Audience audience, CancellationToken cancellationToken)
    {
        var texts = await db.Renderings.AsNoTracking()
            .Where(r => (r.VersionId == from.Id || r.VersionId == to.Id) && r.Audience == audience)
            .ToDictionaryAsync(r => r.VersionId, r => r.PlainText, cancellationToken);
        return Compare(TextOf(from, texts.GetValueOrDefault(from.Id, "")), TextOf(to, texts.GetValueOrDefault(to.Id, "")));
    }

    /// <summary>
    /// What a reviewer compares a version with: the last approved version before it, which is what readers see
    /// now, or else the version just before it; null for a first version.
    /// </summary>
    public static ArticleVersion? BaseFor(IEnumerable<ArticleVersion> versions, ArticleVersion version)
    {
        var earlier = versions.Where(v => v.Number < version.Number).ToList();
        return earlier.Where(v => v.Status == ReviewStatus.Approved).MaxBy(v => v.Number) ?? earlier.MaxBy(v => v.Number);
    }

    private static string TextOf(ArticleVersion version, string plainText) =>
        $"Title: {version.Title}\nSummary: {version.Summary}\n{plainText}";
}
