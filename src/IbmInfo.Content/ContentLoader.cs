using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IbmInfo.Content;

/// <summary>
/// Reads a content folder: <c>references.yml</c>, <c>articles/&lt;slug&gt;/&lt;n&gt;.md</c> and
/// <c>pages/&lt;slug&gt;/&lt;n&gt;.md</c>. Every problem is reported with its file and line; a file with a
/// problem is left out, so the rest of the content is still usable.
/// </summary>
public sealed partial class ContentLoader(ContentRenderer renderer)
{
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
        foreach (var kind in new[] { ContentKind.Article, ContentKind.Page })
        {
            var folder = Path.Combine(root, kind == ContentKind.Article ? "articles" : "pages");
            if (!Directory.Exists(folder)) continue;
            foreach (var dir in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                var slug = Path.GetFileName(dir);
                var relative = Relative(root, dir);
                if (!Slugs.IsValid(slug))
                {
                    problems.Add(new(relative, 1, $"the folder name '{slug}' is not a valid slug: use lower-case letters, digits and single hyphens, e.g. '{Suggest(slug)}'."));
                    continue;
                }
                if (kind == ContentKind.Page && Slugs.ReservedForPages.Contains(slug))
                {
                    problems.Add(new(relative, 1, $"'{slug}' is a site address already; choose another page name."));
                    continue;
                }
                if (seenSlugs.TryGetValue(slug, out var other))
                {
                    problems.Add(new(relative, 1, $"duplicate slug '{slug}': {other} has it already; rename one of the folders."));
                    continue;
                }
                seenSlugs[slug] = relative;
                items.Add((dir, kind, slug));
            }
        }
        return new(references, problems, ReadInBatches(root, items, references, problems, isKnown ?? ((_, _, _) => false)))
        {
            Synonyms = synonyms,
            SynonymTargetLines = synonymTargetLines,
        };
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
            Parallel.For(0, batch.Length, i => read[i] = ReadItem(root, batch[i].Dir, batch[i].Kind, batch[i].Slug, references, isKnown));
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
        if (!File.Exists(path))
        {
            problems.Add(new(ReferencesFile, 1, "the references file is missing; every cited reference is listed there."));
            return [];
        }
        var text = DecodeText(File.ReadAllBytes(path), ReferencesFile, problems);
        return text is null ? [] : ReferencesParser.Parse(ReferencesFile, text, problems);
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
        foreach (var path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.')) continue;
            var match = VersionFileName().Match(name);
            if (!match.Success)
            {
                problems.Add(new(Relative(root, path), 1, "a version file is named by its number, like 1.md or 2.md; rename or move this file."));
                continue;
            }
            numbered[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = path;
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
            var bytes = File.ReadAllBytes(path);
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
        return item;
    }

    private ContentVersion? ReadVersion(
        string file, byte[] bytes, string hash, ContentKind kind, string slug, int number, bool keyPointsRequired,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var text = DecodeText(bytes, file, problems);
        if (text is null) return null;

        var parsed = FrontMatterParser.Parse(file, text, kind, problems, keyPointsRequired);
        var keyPoints = parsed.FrontMatter?.KeyPoints;
        foreach (var point in keyPoints is null ? [] : keyPoints.Patient.Concat(keyPoints.Clinician))
            BodyRules.CheckKeyPoint(file, point, renderer, references, problems);
        var checkedDocument = parsed.BodyFound ? BodyRules.Check(file, parsed.Body, parsed.BodyFirstLine, renderer, references, problems) : null;
        if (problems.Count > before || parsed.FrontMatter is null) return null;

        // The check's parse serves the rendering for everyone; the audience renderings drop blocks, so parse afresh.
        var renderings = Enum.GetValues<Audience>().ToDictionary(a => a,
            a => renderer.Render(a == Audience.All && checkedDocument is not null ? checkedDocument : renderer.Parse(parsed.Body), a, keyPoints));
        return new ContentVersion(kind, slug, number, file, hash, parsed.FrontMatter, renderings);
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
