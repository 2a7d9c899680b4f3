using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IbmInfo.Content;

/// <summary>
/// Reads a content folder: <c>references.yml</c>, <c>articles/&lt;slug&gt;/&lt;n&gt;.md</c> and
/// <c>pages/&lt;slug&gt;/&lt;n&gt;.md</c>. Every problem is reported with its file and line; a file with a
/// problem is left out, so the rest of the content is still usable.
/// </summary>
public sealed partial class ContentLoader(ContentRenderer renderer, Func<ContentKind, string, string?>? shadowingRoute = null)
{
    // shadowingRoute(kind, slug): the site's own route that would answer at that content's address instead, if any.

    /// <summary>What may stand at the top of the content folder (besides hidden files).</summary>
    private static readonly HashSet<string> RootEntries = new(StringComparer.Ordinal) { ReferencesFile, "synonyms.yml", AuthorsParser.File, "articles", "pages" };

    /// <summary>The references file's name inside the content root.</summary>
    public const string ReferencesFile = "references.yml";

    /// <summary>The synonyms file's name inside the content root (optional).</summary>
    public const string SynonymsFile = "synonyms.yml";

    /// <summary>
    /// Whether the newest version of each article must have <c>key_points</c>; older versions are exempt, since a
    /// reviewed file is never edited. Defaults to <see cref="ContentRules.LatestArticleVersionRequiresKeyPoints"/>.
    /// </summary>
    public bool RequireKeyPointsOnLatestArticleVersion { get; init; } = ContentRules.LatestArticleVersionRequiresKeyPoints;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and checks everything under <paramref name="root"/>, all at once (the content check, tests).</summary>
    public ContentSet Load(string root)
    {
        var folder = Open(root);
        var versions = folder.ReadItems().SelectMany(item => item).ToList();
        var problems = folder.Problems.ToList();
        if (folder.SynonymTargetLines.Count > 0)
        {
            var words = versions.SelectMany(v => SynonymsParser.Words(v.FrontMatter.Title + "\n" + v.FrontMatter.Summary + "\n" + v.Renderings[Audience.All].PlainText))
                .ToHashSet(StringComparer.Ordinal);
            SynonymsParser.CheckTargetsAreUsed(SynonymsFile, folder.Synonyms, folder.SynonymTargetLines, words, problems);
        }
        if (!versions.Any(v => v.Kind == ContentKind.Page && v.Slug == ContentRules.GetHelpNowPage))
        {
            foreach (var version in versions.Where(v => v.FrontMatter.UrgentHelp))
                problems.Add(new(version.File, 1,
                    $"urgent_help: true shows the 'Get help now' box, whose text is the page pages/{ContentRules.GetHelpNowPage}; write that page, or remove the field."));
        }
        return new(folder.References, versions, problems) { Synonyms = folder.Synonyms };
    }

    /// <summary>
    /// Opens <paramref name="root"/> for reading folder by folder: the references are read now, the version files as
    /// <see cref="ContentFolder.ReadItems"/> is enumerated, so a large content folder is never all in memory. A file
    /// for which <paramref name="isKnown"/>(slug, number, hash) is true is one the caller already has, byte for byte:
    /// it is neither checked nor rendered again, only listed in <see cref="ItemRead.Unchanged"/>.
    /// </summary>
    public ContentFolder Open(string root, Func<string, int, string, bool>? isKnown = null)
    {
        var problems = new List<ContentProblem>();
        if (!Directory.Exists(root))
        {
            problems.Add(new(root, 1, "the content folder does not exist; set Content:Root to the folder holding articles/ and pages/."));
            return new(new Dictionary<string, Reference>(), problems, []);
        }

        var references = LoadReferences(root, problems);
        var synonyms = LoadSynonyms(root, problems, out var synonymTargetLines);
        var items = new List<(string Dir, ContentKind Kind, string Slug)>();
        var seenSlugs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var stray in Entries(root, root, problems).Where(e => !RootEntries.Contains(e.Name)))
            problems.Add(new(Relative(root, stray.FullName), 1, "nothing is read from here: content lives in articles/<slug>/<n>.md, pages/<slug>/<n>.md, references.yml, synonyms.yml and authors.yml; move the file there or delete it."));
        foreach (var kind in new[] { ContentKind.Article, ContentKind.Page })
        {
            var folder = Path.Combine(root, kind == ContentKind.Article ? "articles" : "pages");
            if (File.Exists(folder) && !Directory.Exists(folder))
            {
                problems.Add(new(Relative(root, folder), 1, "this must be a folder holding one folder per slug."));
                continue;
            }
            if (!Directory.Exists(folder)) continue;
            foreach (var entry in Entries(root, folder, problems))
            {
                var slug = entry.Name;
                var relative = Relative(root, entry.FullName);
                if (entry is not DirectoryInfo)
                {
                    problems.Add(new(relative, 1, $"a file directly in {Path.GetFileName(folder)}/ is not read: put each version in the folder named by its slug, e.g. {Path.GetFileName(folder)}/my-topic/1.md."));
                    continue;
                }
                if (OutsideLink(root, entry) is { } outside)
                {
                    problems.Add(new(relative, 1, outside));
                    continue;
                }
                if (!Slugs.IsValid(slug))
                {
                    problems.Add(new(relative, 1, $"the folder name '{slug}' is not a valid slug: use lower-case letters, digits and single hyphens, e.g. '{Suggest(slug)}'."));
                    continue;
                }
                if (shadowingRoute?.Invoke(kind, slug) is { } route)
                {
                    problems.Add(new(relative, 1, $"the address of '{slug}' is taken by the site's own page {route}, which readers would see instead; choose another name."));
                    continue;
                }
                if (seenSlugs.TryGetValue(slug, out var other))
                {
                    problems.Add(new(relative, 1, $"duplicate slug '{slug}': {other} has it already; rename one of the folders."));
                    continue;
                }
                seenSlugs[slug] = relative;
                items.Add((entry.FullName, kind, slug));
            }
        }
        return new(references, problems, ReadInBatches(root, items, references, problems, isKnown ?? ((_, _, _) => false)))
        {
            Synonyms = synonyms,
            SynonymTargetLines = synonymTargetLines,
        };
    }

    /// <summary>The entries of a folder, hidden ones (.DS_Store, .gitkeep) left out, in name order; a folder that cannot be listed is a problem.</summary>
    private static List<FileSystemInfo> Entries(string root, string folder, List<ContentProblem> problems)
    {
        try
        {
            return new DirectoryInfo(folder).EnumerateFileSystemInfos()
                .Where(e => !e.Name.StartsWith('.'))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            problems.Add(new(Relative(root, folder), 1, $"the folder cannot be read ({e.Message}); check its permissions."));
            return [];
        }
    }

    /// <summary>Why a symbolic link may not be followed (it leads out of the content folder, or nowhere), or null when it is no link or a good one.</summary>
    private static string? OutsideLink(string root, FileSystemInfo entry)
    {
        if (entry.LinkTarget is null) return null;
        FileSystemInfo? target;
        try
        {
            target = entry.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException e)
        {
            return $"this is a symbolic link that cannot be followed ({e.Message}); replace it with the file itself.";
        }
        if (target is null || !target.Exists)
            return $"this is a symbolic link to '{entry.LinkTarget}', which does not exist; replace it with the file itself.";
        var inside = new[] { Path.GetFullPath(root), new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName }
            .Any(r => r is not null && Path.GetFullPath(target.FullName).StartsWith(Path.TrimEndingDirectorySeparator(r) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        return inside ? null : $"this is a symbolic link to '{entry.LinkTarget}', outside the content folder; only files inside it are read, so copy the file in instead.";
    }

    /// <summary>
    /// Checks and renders the folders a batch at a time, the folders of a batch in parallel, and hands them on in
    /// order. The next batch is rendered while the caller writes the current one: rendering and writing are most of
    /// a sync's work, and two batches bound how much of it is held at once.
    /// </summary>
    private IEnumerable<ItemRead> ReadInBatches(
        string root, List<(string Dir, ContentKind Kind, string Slug)> items,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems, Func<string, int, string, bool> isKnown)
    {
        var batches = items.Chunk(8).ToList();
        Task<ItemRead[]> ReadBatch(int index) => Task.Run(() =>
        {
            var batch = batches[index];
            var read = new ItemRead[batch.Length];
            Parallel.For(0, batch.Length, i => read[i] = ReadItemSafely(root, batch[i].Dir, batch[i].Kind, batch[i].Slug, references, isKnown));
            return read;
        });

        var next = batches.Count > 0 ? ReadBatch(0) : null;
        for (var index = 0; next is not null; index++)
        {
            var read = next.GetAwaiter().GetResult();
            next = index + 1 < batches.Count ? ReadBatch(index + 1) : null;
            foreach (var item in read)
            {
                problems.AddRange(item.Problems);
                yield return item;
            }
        }
    }

    private static Dictionary<string, Reference> LoadReferences(string root, List<ContentProblem> problems)
    {
        var path = Path.Combine(root, ReferencesFile);
        if (!File.Exists(path) && !Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            problems.Add(new(ReferencesFile, 1, "the references file is missing; every cited reference is listed there."));
            return [];
        }
        try
        {
            var bytes = ReadFile(root, path, ContentLimits.MaxReferencesFileBytes, ReferencesFile, problems);
            var text = bytes is null ? null : DecodeText(bytes, ReferencesFile, problems);
            if (text is null || !ContentLimits.CheckCharacters(ReferencesFile, text, 1, problems)) return [];
            return ReferencesParser.Parse(ReferencesFile, text, problems);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(Unreadable(ReferencesFile, e));
            return [];
        }
    }

    /// <summary>
    /// A content file's bytes, or null and a problem: a symbolic link leading out of the content folder or nowhere, a
    /// folder, an empty file, something that is not a regular file, or a file over <paramref name="limit"/>. Nothing is
    /// opened before its size is known: a pipe (FIFO) would block the reader, and it reports a size of 0.
    /// </summary>
    private static byte[]? ReadFile(string root, string path, int limit, string file, List<ContentProblem> problems)
    {
        FileSystemInfo info = new FileInfo(path);
        if (OutsideLink(root, info) is { } outside)
        {
            problems.Add(new(file, 1, outside));
            return null;
        }
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true)!;
        if (info is not FileInfo regular || Directory.Exists(info.FullName))
        {
            problems.Add(new(file, 1, "this is a folder where a file should be; move its contents out."));
            return null;
        }
        if (regular.Length == 0)
        {
            problems.Add(new(file, 1, "the file is empty, or is not an ordinary file (a pipe, socket or device); a content file holds front matter and text."));
            return null;
        }
        if (regular.Length > limit)
        {
            problems.Add(new(file, 1, $"the file is {Kilobytes(regular.Length)}, over the limit of {Kilobytes(limit)}; split it or shorten it."));
            return null;
        }
        try
        {
            // Read no more than the size taken above: a file growing meanwhile is being written, not finished.
            // Unbuffered: the whole file is read into one array, so a buffer in between would only copy it twice.
            using var stream = new FileStream(regular.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var buffer = new byte[regular.Length];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length == buffer.Length && stream.ReadByte() != -1)
            {
                problems.Add(new(file, 1, "the file changed while it was being read; check again once it is saved."));
                return null;
            }
            return length == buffer.Length ? buffer : buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(file, 1, $"the file cannot be read ({e.Message}); check that it exists and may be read."));
            return null;
        }
    }

    private static string Kilobytes(long bytes) => $"{(bytes + 1023) / 1024:N0} KB";

    /// <summary>The last line of defence: whatever a parser throws on one file becomes that file's problem.</summary>
    private static ContentProblem Unreadable(string file, Exception e) =>
        e.Message.Contains("too deeply nested", StringComparison.Ordinal)
            ? new(file, 1, "the Markdown is nested too deeply (block quotes, lists, brackets or emphasis inside each other); flatten it.")
            : new(file, 1, $"the file could not be checked ({e.GetType().Name}: {e.Message}); simplify the part you last changed, and tell the site's developers.");

    private ItemRead ReadItemSafely(
        string root, string dir, ContentKind kind, string slug,
        IReadOnlyDictionary<string, Reference> references, Func<string, int, string, bool> isKnown)
    {
        try
        {
            return ReadItem(root, dir, kind, slug, references, isKnown);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var item = new ItemRead(kind, slug);
            item.Problems.Add(Unreadable(Relative(root, dir), e));
            return item;
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> LoadSynonyms(string root, List<ContentProblem> problems, out Dictionary<string, int> targetLines)
    {
        targetLines = [];
        var path = Path.Combine(root, SynonymsFile);
        if (!File.Exists(path)) return [];
        var text = DecodeText(File.ReadAllBytes(path), SynonymsFile, problems);
        return text is null ? [] : SynonymsParser.Parse(SynonymsFile, text, problems, out targetLines);
    }

    private ItemRead ReadItem(
        string root, string dir, ContentKind kind, string slug,
        IReadOnlyDictionary<string, Reference> references, Func<string, int, string, bool> isKnown)
    {
        var item = new ItemRead(kind, slug);
        var problems = item.Problems;
        var numbered = new SortedDictionary<int, string>();
        foreach (var entry in Entries(root, dir, problems))
        {
            var name = entry.Name;
            var match = VersionFileName().Match(name);
            // A folder named like a version (2.md/) still holds that number's place: ReadFile reports it.
            if (entry is DirectoryInfo && !match.Success)
            {
                problems.Add(new(Relative(root, entry.FullName), 1, "folders inside an article's or page's folder are not read; keep its version files directly in it."));
                continue;
            }
            if (!match.Success)
            {
                problems.Add(new(Relative(root, entry.FullName), 1, "a version file is named by its number, like 1.md or 2.md; rename or move this file."));
                continue;
            }
            numbered[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = entry.FullName;
        }
        if (numbered.Count == 0)
        {
            problems.Add(new(Relative(root, dir), 1, "the folder has no version file; add 1.md."));
            return item;
        }

        // The newest version loaded: versions after a gap are not.
        var latest = numbered.Keys.TakeWhile((n, i) => n == i + 1).LastOrDefault();
        var expected = 1;
        foreach (var (number, path) in numbered)
        {
            var file = Relative(root, path);
            if (number != expected)
            {
                problems.Add(new(file, 1, $"version numbers have a gap: version {expected} is missing before {number}; versions after a gap are not loaded."));
                break;
            }
            expected++;
            try
            {
                var bytes = ReadFile(root, path, ContentLimits.MaxVersionFileBytes, file, problems);
                if (bytes is null) continue;
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (isKnown(slug, number, hash))
                {
                    item.Unchanged.Add(file);
                    continue;
                }
                var keyPointsRequired = RequireKeyPointsOnLatestArticleVersion && kind == ContentKind.Article && number == latest;
                var version = ReadVersion(file, bytes, hash, kind, slug, number, keyPointsRequired, references, problems);
                if (version is not null) item.Add(version);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problems.Add(Unreadable(file, e));
            }
        }
        return item;
    }

    private ContentVersion? ReadVersion(
        string file, byte[] bytes, string hash, ContentKind kind, string slug, int number, bool keyPointsRequired,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var text = DecodeText(bytes, file, problems);
        if (text is null || !ContentLimits.CheckCharacters(file, text, 1, problems)) return null;

        var parsed = FrontMatterParser.Parse(file, text, kind, problems, keyPointsRequired);
        var keyPoints = parsed.FrontMatter?.KeyPoints;
        foreach (var point in keyPoints is null ? [] : keyPoints.Patient.Concat(keyPoints.Clinician))
            BodyRules.CheckKeyPoint(file, point, renderer, references, problems);
        var checkedDocument = parsed.BodyFound ? BodyRules.Check(file, parsed.Body, parsed.BodyFirstLine, renderer, references, problems) : null;
        if (problems.Count > before || parsed.FrontMatter is null) return null;

        // The check's parse serves the rendering for every audience (each skips the other audiences' blocks).
        var document = checkedDocument ?? renderer.Parse(parsed.Body);
        var renderings = renderer.RenderForEveryAudience(document, keyPoints);
        // Without a byte-order mark or a carriage return the decoded text is already the exact one.
        var exact = bytes.AsSpan().IndexOfAny((byte)'\r', (byte)0xEF) < 0 ? text : ExactText(bytes)!;
        return new ContentVersion(kind, slug, number, file, hash, parsed.FrontMatter, renderings) { Text = exact };
    }

    /// <summary>A file's bytes as strict UTF-8 (a byte-order mark is allowed), with Windows line ends made plain.</summary>
    private static string? DecodeText(byte[] bytes, string file, List<ContentProblem> problems)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start).Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        catch (DecoderFallbackException e)
        {
            var offset = Math.Max(0, e.Index);
            var line = 1 + bytes.AsSpan(start, Math.Min(offset, bytes.Length - start)).Count((byte)'\n');
            problems.Add(new(file, line, "the file is not UTF-8 text; save it as UTF-8 in your editor."));
            return null;
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string Suggest(string name) =>
        string.Join('-', NonSlug().Split(name.ToLowerInvariant()).Where(p => p.Length > 0)) is { Length: > 0 } s ? s : "my-article";

    [GeneratedRegex(@"^([1-9][0-9]{0,5})\.md$")]
    private static partial Regex VersionFileName();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}

/// <summary>One article or page folder as read: its new or changed versions, and what was wrong.</summary>
public sealed class ItemRead(ContentKind kind, string slug) : List<ContentVersion>
{
    /// <summary>Article or standalone page.</summary>
    public ContentKind Kind { get; } = kind;
    /// <summary>The folder's name.</summary>
    public string Slug { get; } = slug;
    /// <summary>Version files the caller already has, unchanged (relative paths).</summary>
    public List<string> Unchanged { get; } = [];
    internal List<ContentProblem> Problems { get; } = [];
}

/// <summary>
/// A content folder being read (see <see cref="ContentLoader.Open"/>). Enumerate <see cref="ReadItems"/> once; the
/// problems are complete when it has been enumerated to the end.
/// </summary>
public sealed class ContentFolder(IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems, IEnumerable<ItemRead> items)
{
    /// <summary>The references file, read when the folder was opened.</summary>
    public IReadOnlyDictionary<string, Reference> References { get; } = references;
    /// <summary>The synonyms file (optional), read when the folder was opened.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    internal Dictionary<string, int> SynonymTargetLines { get; init; } = [];
    /// <summary>Every problem found so far, with its file and line.</summary>
    public IReadOnlyList<ContentProblem> Problems => problems;
    /// <summary>The article and page folders, read a batch at a time as they are enumerated.</summary>
    public IEnumerable<ItemRead> ReadItems() => items;
}
