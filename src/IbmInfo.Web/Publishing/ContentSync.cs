using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>What the last content sync found: shown to editors and used by the health check.</summary>
public sealed class ContentStatus
{
    public DateTime? LastSyncAt { get; private set; }
    public bool Loaded { get; private set; }
    public IReadOnlyList<ContentProblem> Problems { get; private set; } = [];
    private long _generation;

    /// <summary>Bumped whenever what readers see may have changed, so cached pages can be told apart.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    internal void Record(DateTime at, IReadOnlyList<ContentProblem> problems)
    {
        LastSyncAt = at;
        Loaded = true;
        Problems = problems;
    }

    internal void Changed() => Interlocked.Increment(ref _generation);
}

/// <summary>The outcome of one sync, for the log and the tests.</summary>
public sealed record SyncReport(int Added, int Updated, int Unchanged, IReadOnlyList<ContentProblem> Problems);

/// <summary>
/// Brings the database in step with the content folder, in one transaction: a new version file becomes a
/// Submitted version; an unchanged file changes nothing (and is not even rendered again); a changed file is taken
/// only while its version has not been taken into review — otherwise it is refused and the reviewed text stays what
/// is served. Changes are written a batch of folders at a time inside that transaction, so a large first sync never
/// holds the whole content in memory.
/// </summary>
public sealed class ContentSync(IbmInfoDb db, ContentLoader loader, ContentStatus status, SiteChanges changes, TimeProvider clock, ILogger<ContentSync> logger)
{
    /// <summary>Version files written per save; the change tracker is emptied after each.</summary>
    private const int BatchSize = 48;

    public async Task<SyncReport> RunAsync(string root, CancellationToken cancellationToken = default)
    {
        var known = (await db.Versions.AsNoTracking()
                .Select(v => new { v.Article.Slug, v.Number, v.ContentHash })
                .ToListAsync(cancellationToken))
            .ToDictionary(v => (v.Slug, v.Number), v => v.ContentHash);
        var folder = loader.Open(root, (slug, number, hash) => known.GetValueOrDefault((slug, number)) == hash);
        var problems = new List<ContentProblem>();
        var unchangedFiles = new List<string>();
        int added = 0, updated = 0, pending = 0;
        var changed = new List<ArticleVersion>();
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        logger.LogInformation("Content sync from {Root}: {Known} versions known, reading the files and writing them in one transaction", root, known.Count);

        await UpdateReferencesAsync(folder.References.Values, cancellationToken);
        var articleIds = await db.Articles.AsNoTracking().ToDictionaryAsync(a => a.Slug, a => a.Id, cancellationToken);
        foreach (var item in folder.ReadItems())
        {
            unchangedFiles.AddRange(item.Unchanged);
            if (item.Count == 0) continue;

            var article = articleIds.TryGetValue(item.Slug, out var id)
                ? await db.Articles.Include(a => a.Versions).SingleAsync(a => a.Id == id, cancellationToken)
                : db.Articles.Add(new Article { Slug = item.Slug, Kind = item.Kind }).Entity;
            foreach (var file in item)
            {
                var version = article.Versions.FirstOrDefault(v => v.Number == file.Number);
                if (version is null)
                {
                    version = NewVersion(file, now);
                    article.Versions.Add(version);
                    changed.Add(version);
                    added++;
                }
                else if (version.Status == ReviewStatus.Submitted)
                {
                    await db.Entry(version).Collection(v => v.Renderings).LoadAsync(cancellationToken);
                    await db.Entry(version).Collection(v => v.Citations).LoadAsync(cancellationToken);
                    Fill(version, file);
                    changed.Add(version);
                    updated++;
                }
                else
                {
                    var problem = new ContentProblem(file.File, 1,
                        $"version {file.Number} has been taken into review ({version.Status}) and cannot change; the reviewed text is still served. " +
                        $"Undo the edit, and put the change in {file.Number + 1}.md instead.");
                    problems.Add(problem);
                    logger.LogError("Refused a change to a reviewed version: {Problem}", problem.ToString());
                    continue;
                }
                // The article's own fields follow its newest version taken.
                if (file.Number >= article.Versions.Max(v => v.Number))
                    (article.Kind, article.Category, article.Order) = (file.Kind, file.FrontMatter.Category, file.FrontMatter.Order);
            }
            pending += item.Count;
            if (pending >= BatchSize)
            {
                await SaveBatchAsync(changed, cancellationToken);
                pending = 0;
            }
        }
        await SaveBatchAsync(changed, cancellationToken);
        foreach (var problem in await CitationsNoLongerListedAsync(unchangedFiles, folder.References, cancellationToken))
        {
            problems.Add(problem);
            logger.LogError("Content problem: {Problem}", problem.ToString());
        }
        await transaction.CommitAsync(cancellationToken);

        problems.InsertRange(0, folder.Problems);
        foreach (var problem in folder.Problems)
            logger.LogError("Content problem, file skipped: {Problem}", problem.ToString());
        logger.LogInformation("Content sync from {Root}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Problems} problems",
            root, added, updated, unchangedFiles.Count, problems.Count);

        status.Record(now, problems);
        await changes.NotifyAsync(cancellationToken);
        return new SyncReport(added, updated, unchangedFiles.Count, problems);
    }

    private async Task UpdateReferencesAsync(IEnumerable<Reference> fromFile, CancellationToken cancellationToken)
    {
        var references = await db.References.ToDictionaryAsync(r => r.Key, cancellationToken);
        foreach (var reference in fromFile)
        {
            if (!references.TryGetValue(reference.Key, out var record))
            {
                record = new ReferenceRecord { Key = reference.Key, Authors = "", Title = "", Publisher = "" };
                db.References.Add(record);
                references[reference.Key] = record;
            }
            (record.Kind, record.Authors, record.Title, record.Publisher, record.Year, record.Pmid, record.Doi, record.Url, record.Accessed, record.Note) =
                (reference.Kind, reference.Authors, reference.Title, reference.Publisher, reference.Year, reference.Pmid, reference.Doi, reference.Url, reference.Accessed, reference.Note);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Writes what is tracked, re-indexes the changed articles for search and lets go of them.</summary>
    private async Task SaveBatchAsync(List<ArticleVersion> changed, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await SearchIndex.ReindexArticlesAsync(db, changed.Select(v => v.ArticleId), cancellationToken);
        changed.Clear();
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// An unchanged file was not checked again, but the references file may have lost a key it cites: the same
    /// problem the full check would report, found from the citations the database holds.
    /// </summary>
    private async Task<List<ContentProblem>> CitationsNoLongerListedAsync(
        List<string> unchangedFiles, IReadOnlyDictionary<string, Reference> references, CancellationToken cancellationToken)
    {
        var listed = references.Keys.ToList();
        var unlisted = await db.Citations.AsNoTracking()
            .Where(c => !listed.Contains(c.ReferenceKey))
            .Select(c => new { c.Version.SourceFile, c.ReferenceKey })
            .ToListAsync(cancellationToken);
        var unchanged = unchangedFiles.ToHashSet(StringComparer.Ordinal);
        return unlisted.Where(c => unchanged.Contains(c.SourceFile))
            .OrderBy(c => c.SourceFile, StringComparer.Ordinal).ThenBy(c => c.ReferenceKey, StringComparer.Ordinal)
            .Select(c => new ContentProblem(c.SourceFile, 1,
                $"cites [@{c.ReferenceKey}], which {ContentLoader.ReferencesFile} no longer lists; put the reference back, or cite another in a new version."))
            .ToList();
    }

    private static ArticleVersion NewVersion(ContentVersion file, DateTime now)
    {
        var version = new ArticleVersion
        {
            Number = file.Number,
            SourceFile = file.File,
            ContentHash = file.ContentHash,
            Title = file.FrontMatter.Title,
            Summary = file.FrontMatter.Summary,
            ChangeNote = file.FrontMatter.Change,
            SubmittedBy = file.FrontMatter.Author,
            SubmittedAt = now,
            Status = ReviewStatus.Submitted,
            StatusChangedAt = now,
        };
        version.Transitions.Add(new ReviewTransition
        {
            From = null,
            To = ReviewStatus.Submitted,
            By = file.FrontMatter.Author,
            At = now,
            Note = $"Submitted from {file.File}.",
        });
        Fill(version, file);
        return version;
    }

    /// <summary>Copies a version file's front matter, renderings and citations onto its record.</summary>
    private static void Fill(ArticleVersion version, ContentVersion file)
    {
        version.SourceFile = file.File;
        version.ContentHash = file.ContentHash;
        version.Title = file.FrontMatter.Title;
        version.Summary = file.FrontMatter.Summary;
        version.Date = file.FrontMatter.Date;
        version.ChangeNote = file.FrontMatter.Change;
        version.SubmittedBy = file.FrontMatter.Author;
        version.UrgentHelp = file.FrontMatter.UrgentHelp;

        // Updated in place: a rendering or citation removed and re-added under the same key would clash in EF's tracker.
        foreach (var (audience, body) in file.Renderings)
        {
            var rendering = version.Renderings.FirstOrDefault(r => r.Audience == audience);
            if (rendering is null)
            {
                rendering = new VersionRendering { Audience = audience, Html = "", PlainText = "", CitedKeys = "", HeadingsJson = "" };
                version.Renderings.Add(rendering);
            }
            rendering.Html = body.Html;
            rendering.KeyPointsHtml = body.KeyPointsHtml;
            rendering.PlainText = body.PlainText;
            rendering.CitedKeys = string.Join(' ', body.CitedKeys);
            rendering.HeadingsJson = JsonSerializer.Serialize(body.Headings);
        }
        version.Citations.RemoveAll(c => !file.CitedKeys.Contains(c.ReferenceKey));
        foreach (var key in file.CitedKeys.Where(k => version.Citations.All(c => c.ReferenceKey != k)))
            version.Citations.Add(new VersionCitation { ReferenceKey = key });
    }
}
