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
/// Submitted version; an unchanged file changes nothing; a changed file is taken only while its version has not
/// been taken into review — otherwise it is refused and the reviewed text stays what is served.
/// </summary>
public sealed class ContentSync(IbmInfoDb db, ContentLoader loader, ContentStatus status, SiteChanges changes, TimeProvider clock, ILogger<ContentSync> logger)
{
    public async Task<SyncReport> RunAsync(string root, CancellationToken cancellationToken = default)
    {
        var set = loader.Load(root);
        var problems = set.Problems.ToList();
        int added = 0, updated = 0, unchanged = 0;
        var changed = new List<ArticleVersion>();
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        logger.LogInformation("Content sync from {Root}: {Files} version files read, writing them in one transaction", root, set.Versions.Count);

        var references = await db.References.ToDictionaryAsync(r => r.Key, cancellationToken);
        foreach (var reference in set.References.Values)
        {
            if (!references.TryGetValue(reference.Key, out var record))
            {
                record = new ReferenceRecord { Key = reference.Key, Authors = "", Title = "", Publisher = "" };
                db.References.Add(record);
                references[reference.Key] = record;
            }
            (record.Kind, record.Authors, record.Title, record.Publisher, record.Year, record.Pmid, record.Doi, record.Url) =
                (reference.Kind, reference.Authors, reference.Title, reference.Publisher, reference.Year, reference.Pmid, reference.Doi, reference.Url);
        }

        var articles = await db.Articles.Include(a => a.Versions).ToDictionaryAsync(a => a.Slug, cancellationToken);
        foreach (var group in set.Versions.GroupBy(v => v.Slug))
        {
            var latest = group.MaxBy(v => v.Number)!;
            if (!articles.TryGetValue(group.Key, out var article))
            {
                article = new Article { Slug = group.Key };
                db.Articles.Add(article);
                articles[group.Key] = article;
            }
            (article.Kind, article.Category, article.Order) = (latest.Kind, latest.FrontMatter.Category, latest.FrontMatter.Order);

            foreach (var file in group)
            {
                var version = article.Versions.FirstOrDefault(v => v.Number == file.Number);
                if (version is null)
                {
                    version = NewVersion(file, now);
                    article.Versions.Add(version);
                    changed.Add(version);
                    added++;
                }
                else if (version.ContentHash == file.ContentHash)
                {
                    unchanged++;
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
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await SearchIndex.ReindexAsync(db, changed.Select(v => v.Id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        foreach (var problem in set.Problems)
            logger.LogError("Content problem, file skipped: {Problem}", problem.ToString());
        logger.LogInformation("Content sync from {Root}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Problems} problems",
            root, added, updated, unchanged, problems.Count);

        status.Record(now, problems);
        await changes.NotifyAsync(cancellationToken);
        return new SyncReport(added, updated, unchanged, problems);
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
            rendering.PlainText = body.PlainText;
            rendering.CitedKeys = string.Join(' ', body.CitedKeys);
            rendering.HeadingsJson = JsonSerializer.Serialize(body.Headings);
        }
        version.Citations.RemoveAll(c => !file.CitedKeys.Contains(c.ReferenceKey));
        foreach (var key in file.CitedKeys.Where(k => version.Citations.All(c => c.ReferenceKey != k)))
            version.Citations.Add(new VersionCitation { ReferenceKey = key });
    }
}
