using IbmInfo.Content;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Data;

/// <summary>One thing in the database that no longer matches the trail; <see cref="EntryId"/> is null for a version-level problem.</summary>
public sealed record TrailProblem(int? EntryId, string Message);

/// <summary>What <see cref="ReviewTrailCheck.RunAsync"/> found: how many entries, the newest one, and what does not match.</summary>
public sealed record TrailReport(int Entries, int? HeadId, string HeadHash, IReadOnlyList<TrailProblem> Problems)
{
    public bool Verifies => Problems.Count == 0;
}

/// <summary>
/// Recomputes the review trail's chain in id order and checks the versions against it: each version's text still
/// hashes to its content hash, each entry recorded that content hash, and each version's status and approver agree
/// with its trail. Run by <c>db verify</c> and shown on the audit log.
/// </summary>
public static class ReviewTrailCheck
{
    /// <param name="checkText">Also hash every version's stored text (all of it is read): <c>db verify</c> does, the audit log page does not.</param>
    public static async Task<TrailReport> RunAsync(IbmInfoDb db, bool checkText = true, CancellationToken cancellationToken = default)
    {
        var entries = await db.Transitions.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var versions = await db.Versions.AsNoTracking()
            .Select(v => new VersionFacts(v.Id, v.Article.Slug, v.Number, v.ContentHash, checkText ? v.Markdown : null, v.Status, v.ReviewedBy))
            .ToDictionaryAsync(v => v.Id, cancellationToken);
        var problems = new List<TrailProblem>();

        var previous = ReviewTrail.Genesis;
        ReviewTransition? before = null;
        foreach (var entry in entries)
        {
            var version = versions.GetValueOrDefault(entry.VersionId);
            var name = Describe(entry, version);
            if (entry.PreviousHash != previous)
            {
                problems.Add(new(entry.Id, before is null
                    ? $"{name}: it is the first entry but does not start the chain; the entries before it were removed, or it was inserted."
                    : $"{name}: it does not follow entry {before.Id}, the entry before it; an entry between them was removed, or this one was inserted or changed."));
            }
            if (version is null)
                problems.Add(new(entry.Id, $"{name}: its version no longer exists."));
            else if (ReviewTrail.HashOf(entry, version.Slug, version.Number) != entry.Hash)
                problems.Add(new(entry.Id, $"{name}: its hash does not match what it says now; who, when, the step, the note, its version or the content hash it recorded was changed after it was written."));
            else if (entry.ContentHash != version.ContentHash)
                problems.Add(new(entry.Id, $"{name}: it recorded content hash {ReviewTrail.Short(entry.ContentHash)}, but the version's content hash is now {ReviewTrail.Short(version.ContentHash)}; the version's hash was changed after this step."));
            // Carry on from what is stored, so one edit is reported once, not again for every entry after it.
            previous = entry.Hash;
            before = entry;
        }

        var byVersion = entries.GroupBy(e => e.VersionId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var version in versions.Values.OrderBy(v => v.Id))
        {
            var label = $"version {version.Number} of {version.Slug}";
            if (version.Markdown is not null && ContentLoader.HashOf(version.Markdown) != version.ContentHash)
                problems.Add(new(null, $"{label}: its stored text does not hash to its content hash {ReviewTrail.Short(version.ContentHash)}; the text was changed after it was stored."));
            if (!byVersion.TryGetValue(version.Id, out var trail))
            {
                problems.Add(new(null, $"{label}: it has no trail entry at all; its entries were removed."));
                continue;
            }
            var last = trail[^1];
            if (last.To != version.Status)
                problems.Add(new(null, $"{label}: it is {version.Status}, but its last trail entry (id {last.Id}) moved it to {last.To}."));
            else if (version.Status == ReviewStatus.Approved && !trail.Any(t => t.To == ReviewStatus.Approved && Same(t.By, version.ReviewedBy)))
                problems.Add(new(null, $"{label}: it shows {version.ReviewedBy ?? "nobody"} as its approver, but the trail records its approval by {trail.Last(t => t.To == ReviewStatus.Approved).By}."));
        }

        var head = entries.Count == 0 ? null : entries[^1];
        return new TrailReport(entries.Count, head?.Id, head?.Hash ?? ReviewTrail.Genesis, problems);
    }

    private static bool Same(string a, string? b) => string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>An entry as the command and the audit log name it: id, article, version, step and time.</summary>
    private static string Describe(ReviewTransition entry, VersionFacts? version) =>
        $"entry {entry.Id} ({(version is null ? $"version id {entry.VersionId}" : $"{version.Slug} version {version.Number}")}, " +
        $"{entry.From?.ToString() ?? "new"} → {entry.To}, {ReviewTrail.Timestamp(entry.At)})";

    private sealed record VersionFacts(int Id, string Slug, int Number, string ContentHash, string? Markdown, ReviewStatus Status, string? ReviewedBy);
}
