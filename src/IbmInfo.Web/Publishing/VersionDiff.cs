using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Chunkers;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

public enum DiffKind
{
    Unchanged,
    Added,
    Removed,
    /// <summary>The same unit in both versions with some of its words changed.</summary>
    Changed,
}

/// <summary>A run of words of a line: kept, added or removed.</summary>
public sealed record DiffSpan(DiffKind Kind, string Text);

/// <summary>One unit of a comparison (a paragraph, heading, list item, table row, key point or front-matter field).</summary>
public sealed record DiffLine(DiffKind Kind, OutlinePart Part, Audience Audience, IReadOnlyList<DiffSpan> Spans)
{
    public static DiffLine Whole(DiffKind kind, OutlineUnit unit) => new(kind, unit.Part, unit.Audience, [new(kind, unit.Text)]);

    /// <summary>The line's text in the newer version (or the older one, for a removed line).</summary>
    public string Text => string.Concat(Spans.Where(s => s.Kind != DiffKind.Removed || Kind == DiffKind.Removed).Select(s => s.Text));
}

/// <summary>What changed between two versions: their units line by line, and the references one cites and the other does not.</summary>
/// <param name="Lines">Every unit of both versions in order, unchanged ones too (for context).</param>
/// <param name="ReferencesAdded">Cited by the newer version only.</param>
/// <param name="ReferencesRemoved">Cited by the older version only.</param>
/// <param name="FromRenderings">
/// A version has no stored text (kept before versions kept their Markdown), so both were compared as rendered for
/// readers: paragraphs only, without citations.
/// </param>
public sealed record VersionComparison(
    IReadOnlyList<DiffLine> Lines, IReadOnlyList<Reference> ReferencesAdded, IReadOnlyList<Reference> ReferencesRemoved, bool FromRenderings = false)
{
    /// <summary>Whether the text readers read differs: everything but the change note, which always differs.</summary>
    public bool HasDifferences =>
        Lines.Any(l => l.Kind != DiffKind.Unchanged && l.Part != OutlinePart.ChangeNote) || ReferencesAdded.Count + ReferencesRemoved.Count > 0;

    public int Count(DiffKind kind) => Lines.Count(l => l.Kind == kind);

    /// <summary>The labels the citations in <see cref="Lines"/> use, by reference key.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string Label(Reference reference) => Labels.GetValueOrDefault(reference.Key, reference.ShortLabel);
}

/// <summary>
/// Compares two versions from their stored Markdown, WordPress-revisions style: units (paragraphs, headings, list
/// items, table rows, key points, title, summary, change note) are matched first, then a changed unit is compared
/// word by word, so a one-word change is one line with that word marked. Citations are part of the text, shown as
/// their reference's <see cref="Reference.ShortLabel"/>.
/// </summary>
public static partial class VersionDiff
{
    /// <summary>A changed unit is paired with a new one, rather than shown removed and added, from this share of words in common.</summary>
    private const double PairingSimilarity = 0.4;

    private static readonly Differ Differ = new();

    /// <summary>Compares two version files; <paramref name="references"/> holds the references either cites.</summary>
    public static VersionComparison? Compare(string fromText, string toText, ContentKind kind, IReadOnlyDictionary<string, Reference> references, Audience audience = Audience.All)
    {
        var labels = Labels(references.Values);
        string Citation(IReadOnlyList<string> keys) => "[" + string.Join("; ", keys.Select(k => labels.GetValueOrDefault(k, k))) + "]";
        var from = VersionOutline.Read(fromText, kind, Citation);
        var to = VersionOutline.Read(toText, kind, Citation);
        if (from is null || to is null) return null;

        bool Shown(OutlineUnit unit) => audience == Audience.All || unit.Audience == Audience.All || unit.Audience == audience;
        var (a, b) = (from.Where(Shown).ToList(), to.Where(Shown).ToList());
        var (keysA, keysB) = (a.SelectMany(u => u.CitedKeys).ToHashSet(), b.SelectMany(u => u.CitedKeys).ToHashSet());
        return new(Lines(a, b), Named(keysB.Except(keysA), references), Named(keysA.Except(keysB), references)) { Labels = labels };
    }

    /// <summary>Compares two versions as <paramref name="audience"/> reads them (both audience blocks, labelled, for <see cref="Audience.All"/>).</summary>
    public static async Task<VersionComparison> CompareAsync(
        IbmInfoDb db, ArticleVersion from, ArticleVersion to, Audience audience, CancellationToken cancellationToken)
    {
        var kind = await db.Articles.Where(x => x.Id == to.ArticleId).Select(x => x.Kind).SingleAsync(cancellationToken);
        var cited = await db.Citations.AsNoTracking().Where(c => c.VersionId == from.Id || c.VersionId == to.Id)
            .Select(c => new { c.VersionId, c.Reference }).ToListAsync(cancellationToken);
        var references = cited.Select(c => c.Reference.ToReference()).DistinctBy(r => r.Key).ToDictionary(r => r.Key);

        if (from.Markdown is not null && to.Markdown is not null
            && Compare(from.Markdown, to.Markdown, kind, references, audience) is { } comparison)
            return comparison;

        // Stored before versions kept their text: compare what readers were shown, and the citation records.
        var texts = await db.Renderings.AsNoTracking()
            .Where(r => (r.VersionId == from.Id || r.VersionId == to.Id) && r.Audience == audience)
            .ToDictionaryAsync(r => r.VersionId, r => r.PlainText, cancellationToken);
        var keysA = cited.Where(c => c.VersionId == from.Id).Select(c => c.Reference.Key).ToHashSet();
        var keysB = cited.Where(c => c.VersionId == to.Id).Select(c => c.Reference.Key).ToHashSet();
        return new(
            Lines(Rendered(from, texts.GetValueOrDefault(from.Id, "")), Rendered(to, texts.GetValueOrDefault(to.Id, ""))),
            Named(keysB.Except(keysA), references), Named(keysA.Except(keysB), references), FromRenderings: true);
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

    /// <summary>Each reference's short label; two that would read the same get "a", "b" … in key order, so a swap between them shows.</summary>
    internal static Dictionary<string, string> Labels(IEnumerable<Reference> references) =>
        references.GroupBy(r => r.ShortLabel)
            .SelectMany(same => same.Count() == 1
                ? same.Select(r => (r.Key, Label: same.Key))
                : same.OrderBy(r => r.Key, StringComparer.Ordinal).Select((r, i) => (r.Key, Label: same.Key + (char)('a' + Math.Min(i, 25)))))
            .ToDictionary(x => x.Key, x => x.Label);

    private static List<Reference> Named(IEnumerable<string> keys, IReadOnlyDictionary<string, Reference> references) =>
        keys.Select(k => references.GetValueOrDefault(k) ?? new Reference(k, ReferenceKind.WebPage, "", k, "", null, null, null, null))
            .OrderBy(r => r.ShortLabel, StringComparer.Ordinal).ToList();

    private static List<OutlineUnit> Rendered(ArticleVersion version, string plainText) =>
    [
        new(OutlinePart.Title, Audience.All, version.Title, []),
        new(OutlinePart.Summary, Audience.All, version.Summary, []),
        .. plainText.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => new OutlineUnit(OutlinePart.Paragraph, Audience.All, line, [])),
        new(OutlinePart.ChangeNote, Audience.All, version.ChangeNote, []),
    ];

    /// <summary>Units matched whole first; within each run of changes, removed and added units of the same part and audience are paired where they share enough words.</summary>
    private static List<DiffLine> Lines(List<OutlineUnit> a, List<OutlineUnit> b)
    {
        var lines = new List<DiffLine>();
        var result = Differ.CreateDiffs(Joined(a), Joined(b), ignoreWhiteSpace: false, ignoreCase: false, UnitChunker);
        var (i, j) = (0, 0);
        foreach (var block in result.DiffBlocks)
        {
            for (; i < block.DeleteStartA; i++, j++) lines.Add(DiffLine.Whole(DiffKind.Unchanged, a[i]));
            lines.AddRange(Paired(a.GetRange(block.DeleteStartA, block.DeleteCountA), b.GetRange(block.InsertStartB, block.InsertCountB)));
            (i, j) = (block.DeleteStartA + block.DeleteCountA, block.InsertStartB + block.InsertCountB);
        }
        for (; i < a.Count; i++) lines.Add(DiffLine.Whole(DiffKind.Unchanged, a[i]));
        return lines;
    }

    // Units are joined with a separator no text holds, and each unit's key says its part and audience too, so a
    // paragraph moved into the clinicians' block is a change.
    private const char UnitSeparator = '\u001e';
    private static readonly CustomFunctionChunker UnitChunker = new(s => s.Split(UnitSeparator));

    private static string Joined(List<OutlineUnit> units) =>
        string.Join(UnitSeparator, units.Select(u => $"{u.Part}\u001f{u.Audience}\u001f{u.Text}"));

    /// <summary>
    /// The removed and added units of one change, in order, with pairs chosen to share the most words (a small
    /// alignment: changes hold few units); unpaired ones are shown removed or added whole.
    /// </summary>
    private static IEnumerable<DiffLine> Paired(List<OutlineUnit> removed, List<OutlineUnit> added)
    {
        var (m, n) = (removed.Count, added.Count);
        // A rewrite of a whole long article is shown removed and added (but for its title, summary and change note):
        // pairing it would cost m × n word diffs.
        var pairs = (long)m * n <= MaxPairings;
        var similarity = new double[m, n];
        var score = new double[m + 1, n + 1];
        for (var x = m - 1; x >= 0; x--)
            for (var y = n - 1; y >= 0; y--)
            {
                var pair = similarity[x, y] = pairs || removed[x].Part is OutlinePart.Title or OutlinePart.Summary or OutlinePart.ChangeNote
                    ? Similarity(removed[x], added[y]) : 0;
                score[x, y] = Math.Max(Math.Max(score[x + 1, y], score[x, y + 1]), pair > 0 ? pair + score[x + 1, y + 1] : 0);
            }
        var (i, j) = (0, 0);
        while (i < m || j < n)
        {
            if (i < m && j < n && similarity[i, j] > 0 && score[i, j] == similarity[i, j] + score[i + 1, j + 1])
                yield return WordByWord(removed[i++], added[j++]);
            else if (i < m && (j == n || score[i, j] == score[i + 1, j]))
                yield return DiffLine.Whole(DiffKind.Removed, removed[i++]);
            else
                yield return DiffLine.Whole(DiffKind.Added, added[j++]);
        }
    }

    private const int MaxPairings = 10_000;

    /// <summary>0 when two units are not the same unit changed; else the share of words they have in common (Dice).</summary>
    private static double Similarity(OutlineUnit a, OutlineUnit b)
    {
        if (a.Part != b.Part || a.Audience != b.Audience) return 0;
        // The title, summary and change note are one each: always the same unit.
        if (a.Part is OutlinePart.Title or OutlinePart.Summary or OutlinePart.ChangeNote) return 1;
        var (wordsA, wordsB) = (Words(a.Text), Words(b.Text));
        if (wordsA.Count + wordsB.Count == 0) return 1;
        var result = WordDiff(wordsA, wordsB);
        var common = wordsA.Count - result.DiffBlocks.Sum(d => d.DeleteCountA);
        var dice = 2.0 * common / (wordsA.Count + wordsB.Count);
        return dice >= PairingSimilarity ? dice : 0;
    }

    /// <summary>
    /// The words of a text, each with the white space after it, so that spaces are never matched on their own:
    /// words (with inner apostrophes, hyphens and points: "don't", "anti-inflammatory", "2.5"), a citation "[…]"
    /// whole, and any other character alone.
    /// </summary>
    private static List<string> Words(string text) => Tokens().Matches(text).Select(m => m.Value).ToList();

    /// <summary>Words compared without the space after them, so a word last in one version and not in the other still matches.</summary>
    private static DiffPlex.Model.DiffResult WordDiff(List<string> a, List<string> b) =>
        Differ.CreateDiffs(string.Join('\n', a.Select(w => w.TrimEnd())), string.Join('\n', b.Select(w => w.TrimEnd())), false, false, WordChunker);

    private static readonly CustomFunctionChunker WordChunker = new(s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>One changed unit as its words kept, removed and added.</summary>
    private static DiffLine WordByWord(OutlineUnit before, OutlineUnit after)
    {
        var (old, @new) = (Words(before.Text), Words(after.Text));
        var result = WordDiff(old, @new);
        var spans = new List<DiffSpan>();
        void Add(DiffKind kind, IEnumerable<string> words)
        {
            var text = string.Concat(words);
            if (text.Length > 0) spans.Add(new(kind, text));
        }
        var j = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(DiffKind.Unchanged, @new.Skip(j).Take(block.InsertStartB - j));
            Add(DiffKind.Removed, old.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            Add(DiffKind.Added, @new.Skip(block.InsertStartB).Take(block.InsertCountB));
            j = block.InsertStartB + block.InsertCountB;
        }
        Add(DiffKind.Unchanged, @new.Skip(j));
        return new(DiffKind.Changed, after.Part, after.Audience, Merged(spans));
    }

    /// <summary>
    /// Changes separated only by a space read as one: "<del>a</del> <del>b</del>" becomes "<del>a b</del>", with
    /// the removed words before the added ones.
    /// </summary>
    private static List<DiffSpan> Merged(List<DiffSpan> spans)
    {
        var merged = new List<DiffSpan>();
        var k = 0;
        while (k < spans.Count)
        {
            if (spans[k].Kind == DiffKind.Unchanged)
            {
                merged.Add(spans[k++]);
                continue;
            }
            var (removed, added) = ("", "");
            while (k < spans.Count)
            {
                var span = spans[k];
                if (span.Kind == DiffKind.Removed) removed += span.Text;
                else if (span.Kind == DiffKind.Added) added += span.Text;
                else if (string.IsNullOrWhiteSpace(span.Text) && k + 1 < spans.Count && spans[k + 1].Kind != DiffKind.Unchanged)
                {
                    if (removed.Length > 0) removed += span.Text;
                    if (added.Length > 0) added += span.Text;
                }
                else break;
                k++;
            }
            // White space at both ends of a change is kept text, not marked: "Steroids<ins> in IBM</ins>" reads "Steroids <ins>in IBM</ins>".
            var changes = new[] { removed, added }.Where(t => t.Length > 0).ToList();
            var lead = changes.Min(t => t.Length - t.TrimStart().Length);
            var trail = changes.Min(t => t.Length - t.TrimEnd().Length);
            if (changes.Any(t => t.Length <= lead + trail)) (lead, trail) = (0, 0);
            var source = removed.Length > 0 ? removed : added;
            if (lead > 0) merged.Add(new(DiffKind.Unchanged, source[..lead]));
            if (removed.Length > 0) merged.Add(new(DiffKind.Removed, removed[lead..^trail]));
            if (added.Length > 0) merged.Add(new(DiffKind.Added, added[lead..^trail]));
            if (trail > 0) merged.Add(new(DiffKind.Unchanged, source[^trail..]));
        }
        return MergedUnchanged(merged);
    }

    private static List<DiffSpan> MergedUnchanged(List<DiffSpan> spans)
    {
        var merged = new List<DiffSpan>();
        foreach (var span in spans)
        {
            if (merged.Count > 0 && merged[^1].Kind == span.Kind) merged[^1] = span with { Text = merged[^1].Text + span.Text };
            else merged.Add(span);
        }
        return merged;
    }

    // Space before the first word (in a code block) belongs to it: no word is only white space.
    [GeneratedRegex(@"(?:^\s+)?(?:\[[^\[\]]*\]|[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*|\S)\s*")]
    private static partial Regex Tokens();
}
