using System.Diagnostics;
using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Publishing;

/// <summary>What the last content sync found: shown to editors and used by the health check.</summary>
public sealed class ContentStatus
{
    public DateTime? LastSyncAt { get; private set; }
    public bool Loaded { get; private set; }
    public IReadOnlyList<ContentProblem> Problems { get; private set; } = [];
    /// <summary>The synonyms search adds to readers' words (<c>synonyms.yml</c>), as last synced; process-local, read from content on each node.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();
    private long _generation;
    private long? _databaseGeneration;
    private readonly Lock _following = new();

    /// <summary>
    /// Bumped whenever what readers see may have changed, so cached pages can be told apart. Process-local: on
    /// PostgreSQL it moves whenever the database's generation does (<see cref="Follow"/>), which every node hears of.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Why the last attempt to sync failed, and when it is tried again; null once a sync succeeds.</summary>
    public string? LastFailure { get; internal set; }

    /// <summary>The import record this process's last import wrote: the import watcher need not drop the pages for it again.</summary>
    public int? LastImportRunId { get; private set; }

    internal void Record(DateTime at, IReadOnlyList<ContentProblem> problems, IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms, int importRunId)
    {
        LastSyncAt = at;
        LastImportRunId = importRunId;
        if (synonyms is not null) Synonyms = synonyms;
        Loaded = true;
        Problems = problems;
        LastFailure = null;
    }

    internal void Changed() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// The database's generation, as read or heard (PostgreSQL): true, and <see cref="Generation"/> moved on, when it
    /// differs from the last one seen here, so that a node hearing its own change, or hearing one twice, moves once.
    /// </summary>
    internal bool Follow(long databaseGeneration)
    {
        lock (_following)
        {
            if (_databaseGeneration == databaseGeneration) return false;
            _databaseGeneration = databaseGeneration;
            Changed();
            return true;
        }
    }

    /// <summary>The database's generation this node's own change made: hearing it again changes nothing.</summary>
    internal void Made(long databaseGeneration)
    {
        lock (_following) _databaseGeneration = databaseGeneration;
    }
}

/// <summary>The outcome of one import, for the log, the dashboard and the tests.</summary>
public sealed record SyncReport(int Added, int Unchanged, IReadOnlyList<ContentProblem> Problems)
{
    /// <summary>The files added as new versions.</summary>
    public IReadOnlyList<string> AddedFiles { get; init; } = [];

    /// <summary>Why nothing was imported (<see cref="ContentSync.AnotherNodeImporting"/>); null for an import that ran.</summary>
    public string? Skipped { get; init; }
}

/// <summary>
/// Imports the content folder into the database, in one transaction: a new version file becomes a Submitted
/// version, its text kept as it is in the file and submitted by the account its <c>author:</c> names (an address
/// listed in <c>authors.yml</c> becomes such an account, without a password); an unchanged file changes nothing (and
/// is not even rendered again). A file whose version number the database already holds with other text is refused,
/// whatever that version's status: nothing stored is ever overwritten, the change belongs in the next free number.
/// Changes are written a batch of folders at a time inside that transaction, so a large first import never holds
/// the whole content in memory. Imports in one process run one at a time.
/// </summary>
public sealed class ContentSync(
    IbmInfoDb db, ContentLoader loader, ContentStatus status, SiteChanges changes, UserManager<IdentityUser> users,
    TimeProvider clock, ILogger<ContentSync> logger, ReviewNotifications notifications, ISearchIndex searchIndex)
{
    /// <summary>Version files written per save; the change tracker is emptied after each.</summary>
    private const int BatchSize = 48;

    /// <summary>Who runs the import at start-up, in the import record.</summary>
    public const string AtStartUp = "start-up";

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>What the import record says when another node held the import lock.</summary>
    public const string AnotherNodeImporting = "another node was importing; skipped";

    public Task<SyncReport> RunAsync(string root, CancellationToken cancellationToken = default) => RunAsync(root, AtStartUp, cancellationToken);

    /// <summary>Imports <paramref name="root"/>; <paramref name="by"/> is who asked, for the dashboard's record.</summary>
    public async Task<SyncReport> RunAsync(string root, string by, CancellationToken cancellationToken = default)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await ImportAsync(root, by, cancellationToken);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task<SyncReport> ImportAsync(string root, string by, CancellationToken cancellationToken)
    {
        // Several nodes on one PostgreSQL database: one imports, the others serve what it stores. The import lock, and so
        // the transaction, come before anything is read, so an import that follows another reads what that one stored.
        // On SQLite beginning the transaction takes the database's write lock, which readers' posts wait on: it begins
        // only once the folder has been opened, as before.
        await using var locked = db is PostgreSqlIbmInfoDb ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (locked is not null && !await db.TryLockImportAsync(cancellationToken))
        {
            await locked.RollbackAsync(cancellationToken);
            return await SkipAsync(root, by, cancellationToken);
        }
        var known = (await db.Versions.AsNoTracking()
                .Select(v => new { v.Article.Slug, v.Number, v.ContentHash })
                .ToListAsync(cancellationToken))
            .ToDictionary(v => (v.Slug, v.Number), v => v.ContentHash);
        var folder = loader.Open(root, (slug, number, hash) => known.GetValueOrDefault((slug, number)) == hash);
        var problems = new List<ContentProblem>();
        var authors = AuthorsParser.Load(root, problems);
        var submitters = new Dictionary<string, IdentityUser?>(StringComparer.OrdinalIgnoreCase);
        var unchangedFiles = new List<string>();
        var addedFiles = new List<string>();
        // Ids only: the versions themselves, with their text and renderings, are let go after each batch.
        var addedIds = new List<int>();
        int pending = 0;
        var changed = new List<ArticleVersion>();
        var now = clock.GetUtcNow().UtcDateTime;
        var times = new ImportTimes();

        await using var late = locked is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var transaction = locked ?? late!;
        logger.LogInformation("Content import from {Root}: {Known} versions known, reading the files and writing them in one transaction", root, known.Count);

        await UpdateReferencesAsync(folder.References.Values, now, cancellationToken);
        var articleIds = await db.Articles.AsNoTracking().ToDictionaryAsync(a => a.Slug, a => a.Id, cancellationToken);
        foreach (var item in Timed(folder.ReadItems(), times.Reading))
        {
            unchangedFiles.AddRange(item.Unchanged);
            if (item.Count == 0) continue;

            var article = articleIds.TryGetValue(item.Slug, out var id)
                ? await db.Articles.Include(a => a.Versions).SingleAsync(a => a.Id == id, cancellationToken)
                : null;
            if (article is not null && article.Kind != item.Kind)
            {
                foreach (var file in item)
                    Refuse(problems, new(file.File, 1, $"'{item.Slug}' is already stored as {Describe(article.Kind)}; an article and a page cannot share a name."));
                continue;
            }
            var isNew = article is null;
            article ??= new Article { Slug = item.Slug, Kind = item.Kind };
            foreach (var file in item)
            {
                var last = article.Versions.Count == 0 ? 0 : article.Versions.Max(v => v.Number);
                var nextFree = Math.Max(last, item.Max(f => f.Number)) + 1;
                if (article.Versions.FirstOrDefault(v => v.Number == file.Number) is { } stored)
                {
                    Refuse(problems, new(file.File, 1,
                        $"version {file.Number} is already stored with other text ({ReviewWorkflow.Label(stored.Status)}, {Origin(stored)}); nothing stored is overwritten. " +
                        $"Put the file back as it was (content export writes it), and save the change as {nextFree}.md."));
                    continue;
                }
                if (file.Number != last + 1)
                {
                    Refuse(problems, new(file.File, 1, $"version {last + 1} of '{item.Slug}' is not stored yet, so {file.Number} cannot follow it; fix version {last + 1} first."));
                    continue;
                }
                var author = file.FrontMatter.Author;
                if (!submitters.TryGetValue(author, out var submitter))
                    submitters[author] = submitter = await SubmitterAsync(author, authors, cancellationToken);
                if (submitter is null)
                {
                    Refuse(problems, new(file.File, AuthorLine(root, file),
                        $"the author '{author}' is not an account here and not listed in {AuthorsParser.File}; add '{author}: Their name' to {AuthorsParser.File}, or name an existing account."));
                    continue;
                }
                // The text stored is the one the loader checked and hashed, read once: a file changed since is
                // another text, found by the next import.
                var version = NewVersion(file, file.Text, VersionOrigin.ContentFolder, submitter, now, $"Submitted from {file.File} in the content folder.");
                article.Versions.Add(version);
                changed.Add(version);
                addedFiles.Add(file.File);
                // The article's own fields follow its newest version.
                (article.Category, article.Order) = (file.FrontMatter.Category, file.FrontMatter.Order);
            }
            // A new article is stored with its first version, never without one.
            if (isNew && article.Versions.Count > 0) db.Articles.Add(article);
            pending += item.Count;
            if (pending >= BatchSize)
            {
                await SaveBatchAsync(changed, addedIds, times, cancellationToken);
                pending = 0;
            }
        }
        await SaveBatchAsync(changed, addedIds, times, cancellationToken);
        await KeepTextOfUnchangedFilesAsync(root, cancellationToken);
        foreach (var problem in await CitationsNoLongerListedAsync(unchangedFiles, folder.References, cancellationToken))
            Refuse(problems, problem);

        problems.InsertRange(0, folder.Problems);
        foreach (var problem in folder.Problems)
            logger.LogError("Content problem, file skipped: {Problem}", problem.ToString());
        var run = db.ImportRuns.Add(new ImportRun
        {
            At = now,
            By = by,
            Unchanged = unchangedFiles.Count,
            AddedFiles = string.Join('\n', addedFiles),
            Problems = string.Join('\n', problems.Select(p => p.ToString().ReplaceLineEndings(" "))),
        });
        await db.SaveChangesAsync(cancellationToken);
        times.Committing.Start();
        await transaction.CommitAsync(cancellationToken);
        times.Committing.Stop();
        db.ChangeTracker.Clear();

        logger.LogInformation("Content import from {Root}: {Added} added, {Unchanged} unchanged, {Problems} problems",
            root, addedFiles.Count, unchangedFiles.Count, problems.Count);
        // The files are read, checked and rendered on other threads while this one writes: the waiting says which side
        // held the import up.
        logger.LogDebug("Content import took {Seconds:0.00} s: {SavingSeconds:0.00} s saving the versions, {IndexingSeconds:0.00} s indexing them for search, {CommittingSeconds:0.00} s committing, {ReadingSeconds:0.00} s waiting for files to be read, checked and rendered",
            times.Total.Elapsed.TotalSeconds, times.Saving.Elapsed.TotalSeconds, times.Indexing.Elapsed.TotalSeconds,
            times.Committing.Elapsed.TotalSeconds, times.Reading.Elapsed.TotalSeconds);
        status.Record(now, problems, folder.Synonyms, run.Entity.Id);
        await changes.NotifyAsync(cancellationToken);
        await notifications.VersionsSubmittedAsync(addedIds, cancellationToken);
        return new SyncReport(addedFiles.Count, unchangedFiles.Count, problems) { AddedFiles = addedFiles };
    }

    /// <summary>
    /// Records that another node was importing: this one changes nothing and counts as synced, since it serves what the
    /// other node's import stores (the start-up sync ends healthy).
    /// </summary>
    private async Task<SyncReport> SkipAsync(string root, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var folder = loader.Open(root);
        logger.LogInformation("Content import from {Root} skipped: another node was importing; this node serves what that import stores", root);
        var run = db.ImportRuns.Add(new ImportRun { At = now, By = by, Skipped = AnotherNodeImporting });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        status.Record(now, folder.Problems, folder.Synonyms, run.Entity.Id);
        return new SyncReport(0, 0, []) { Skipped = AnotherNodeImporting };
    }

    /// <summary>Where an import's time went, for its closing log line.</summary>
    private sealed class ImportTimes
    {
        public Stopwatch Total { get; } = Stopwatch.StartNew();
        public Stopwatch Reading { get; } = new();
        public Stopwatch Saving { get; } = new();
        public Stopwatch Indexing { get; } = new();
        public Stopwatch Committing { get; } = new();
    }

    /// <summary>The items, with the time spent producing them (reading, checking, rendering) added to <paramref name="waiting"/>.</summary>
    private static IEnumerable<T> Timed<T>(IEnumerable<T> items, Stopwatch waiting)
    {
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            waiting.Start();
            var more = enumerator.MoveNext();
            waiting.Stop();
            if (!more) yield break;
            yield return enumerator.Current;
        }
    }

    private void Refuse(List<ContentProblem> problems, ContentProblem problem)
    {
        problems.Add(problem);
        logger.LogError("Content problem, file not imported: {Problem}", problem.ToString());
    }

    private static string Describe(ContentKind kind) => kind == ContentKind.Page ? "a standalone page" : "an article";

    private static string Origin(ArticleVersion version) =>
        version.Origin == VersionOrigin.Browser ? "written in the web editor" : $"imported from {version.SourceFile}";

    /// <summary>The line of a file's <c>author:</c> field, for the problem; 1 when it cannot be found.</summary>
    private static int AuthorLine(string root, ContentVersion file)
    {
        var lines = File.ReadAllLines(Path.Combine(root, file.File));
        var index = Array.FindIndex(lines, l => l.StartsWith("author:", StringComparison.Ordinal));
        return index < 0 ? 1 : index + 1;
    }

    /// <summary>
    /// The account an imported file's author names: an existing account with that e-mail, or else, when
    /// <c>authors.yml</c> lists the address, a new Editor account made for it with no password (it cannot sign in until
    /// an administrator sets one with <c>users password</c>). Null when neither.
    /// </summary>
    private async Task<IdentityUser?> SubmitterAsync(string email, IReadOnlyDictionary<string, ContentAuthor> authors, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email) is { } account) return account;
        if (!authors.TryGetValue(email, out var listed)) return null;
        cancellationToken.ThrowIfCancellationRequested();
        var user = new IdentityUser { UserName = listed.Email, Email = listed.Email, EmailConfirmed = true };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            logger.LogError("Could not make an account for {Email} from {File}: {Errors}", email, AuthorsParser.File,
                string.Join("; ", created.Errors.Select(e => e.Description)));
            return null;
        }
        await users.AddToRoleAsync(user, await EnsureRoleAsync(Roles.Editor));
        await users.AddClaimAsync(user, new System.Security.Claims.Claim(Roles.DisplayNameClaim, listed.Name));
        logger.LogInformation("Made an account without a password for {Email}, listed in {File}", email, AuthorsParser.File);
        return user;
    }

    private async Task<string> EnsureRoleAsync(string role)
    {
        if (!await db.Roles.AnyAsync(r => r.Name == role))
        {
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
            await db.SaveChangesAsync();
        }
        return role;
    }

    /// <summary>
    /// References come from <c>references.yml</c> the first time they are seen, and again whenever their entry in the
    /// file changes; an entry unchanged since the last import leaves the database as it is, so a correction made in
    /// the browser is not undone by an older file. Every change is recorded.
    /// </summary>
    private async Task UpdateReferencesAsync(IEnumerable<Reference> fromFile, DateTime now, CancellationToken cancellationToken)
    {
        var references = await db.References.ToDictionaryAsync(r => r.Key, cancellationToken);
        foreach (var reference in fromFile)
        {
            var fingerprint = ReferenceFields.Fingerprint(reference);
            if (!references.TryGetValue(reference.Key, out var record))
            {
                record = new ReferenceRecord { Key = reference.Key, Authors = "", Title = "", Publisher = "" };
                ReferenceFields.Apply(record, reference);
                record.ImportedFields = fingerprint;
                db.References.Add(record);
                db.ReferenceChanges.Add(new ReferenceChange { ReferenceKey = reference.Key, By = "import", At = now, Change = $"added from {ContentLoader.ReferencesFile}" });
                references[reference.Key] = record;
                continue;
            }
            if (record.ImportedFields == fingerprint) continue;
            var what = ReferenceFields.Describe(record.ToReference(), reference);
            if (what.Length > 0)
            {
                ReferenceFields.Apply(record, reference);
                db.ReferenceChanges.Add(new ReferenceChange { ReferenceKey = reference.Key, By = "import", At = now, Change = $"from {ContentLoader.ReferencesFile}: {what}" });
            }
            record.ImportedFields = fingerprint;
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>Writes what is tracked, re-indexes the changed articles for search, adds the new versions' ids to <paramref name="savedIds"/> and lets go of them.</summary>
    private async Task SaveBatchAsync(List<ArticleVersion> changed, List<int> savedIds, ImportTimes times, CancellationToken cancellationToken)
    {
        times.Saving.Start();
        await db.SaveChangesAsync(cancellationToken);
        times.Saving.Stop();
        times.Indexing.Start();
        await searchIndex.ReindexArticlesAsync(changed.Select(v => v.ArticleId), cancellationToken);
        times.Indexing.Stop();
        savedIds.AddRange(changed.Select(v => v.Id));
        changed.Clear();
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// A version stored before the database kept the text has none: where its file is still byte for byte what was
    /// submitted (the same hash), that file is its text.
    /// </summary>
    private async Task KeepTextOfUnchangedFilesAsync(string root, CancellationToken cancellationToken)
    {
        var missing = await db.Versions.Where(v => v.Markdown == null).ToListAsync(cancellationToken);
        foreach (var version in missing)
        {
            var path = Path.Combine(root, version.SourceFile);
            if (!File.Exists(path)) continue;
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            if (ContentLoader.HashOf(bytes) == version.ContentHash) version.Markdown = ContentLoader.ExactText(bytes);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// An unchanged file was not checked again, but the references may have lost a key it cites: the same
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

    /// <summary>
    /// A new Submitted version from a checked text, with its first audit-trail entry: the one way a version is made,
    /// by an import or by the web editor.
    /// </summary>
    internal static ArticleVersion NewVersion(ContentVersion file, string markdown, VersionOrigin origin, IdentityUser submitter, DateTime now, string note)
    {
        var version = new ArticleVersion
        {
            Number = file.Number,
            SourceFile = file.File,
            ContentHash = file.ContentHash,
            Markdown = markdown,
            Origin = origin,
            Title = file.FrontMatter.Title,
            Summary = file.FrontMatter.Summary,
            Date = file.FrontMatter.Date,
            ChangeNote = file.FrontMatter.Change,
            SubmittedBy = submitter.Email ?? file.FrontMatter.Author,
            SubmittedById = submitter.Id,
            SubmittedAt = now,
            UrgentHelp = file.FrontMatter.UrgentHelp,
            Status = ReviewStatus.Submitted,
            StatusChangedAt = now,
        };
        version.Transitions.Add(new ReviewTransition
        {
            From = null,
            To = ReviewStatus.Submitted,
            By = version.SubmittedBy,
            ById = submitter.Id,
            At = now,
            Note = note,
        });
        foreach (var (audience, body) in file.Renderings)
        {
            version.Renderings.Add(new VersionRendering
            {
                Audience = audience,
                Html = body.Html,
                KeyPointsHtml = body.KeyPointsHtml,
                PlainText = body.PlainText,
                CitedKeys = string.Join(' ', body.CitedKeys),
                HeadingsJson = JsonSerializer.Serialize(body.Headings),
            });
        }
        foreach (var key in file.CitedKeys) version.Citations.Add(new VersionCitation { ReferenceKey = key });
        return version;
    }
}
