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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and checks everything under <paramref name="root"/>.</summary>
    public ContentSet Load(string root)
    {
        var problems = new List<ContentProblem>();
        var versions = new List<ContentVersion>();
        if (!Directory.Exists(root))
        {
            problems.Add(new(root, 1, "the content folder does not exist; set Content:Root to the folder holding articles/ and pages/."));
            return new(new Dictionary<string, Reference>(), versions, problems);
        }

        var references = LoadReferences(root, problems);
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
                versions.AddRange(LoadItem(root, dir, kind, slug, references, problems));
            }
        }
        return new(references, versions, problems);
    }

    private static Dictionary<string, Reference> LoadReferences(string root, List<ContentProblem> problems)
    {
        var path = Path.Combine(root, ReferencesFile);
        if (!File.Exists(path))
        {
            problems.Add(new(ReferencesFile, 1, "the references file is missing; every cited reference is listed there."));
            return [];
        }
        var text = ReadText(path, ReferencesFile, problems, out _);
        return text is null ? [] : ReferencesParser.Parse(ReferencesFile, text, problems);
    }

    private IEnumerable<ContentVersion> LoadItem(
        string root, string dir, ContentKind kind, string slug,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
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
            yield break;
        }

        var expected = 1;
        foreach (var (number, path) in numbered)
        {
            var file = Relative(root, path);
            if (number != expected)
            {
                problems.Add(new(file, 1, $"version numbers have a gap: version {expected} is missing before {number}; versions after a gap are not loaded."));
                yield break;
            }
            expected++;
            var version = LoadVersion(file, path, kind, slug, number, references, problems);
            if (version is not null) yield return version;
        }
    }

    private ContentVersion? LoadVersion(
        string file, string path, ContentKind kind, string slug, int number,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var text = ReadText(path, file, problems, out var hash);
        if (text is null) return null;

        var parsed = FrontMatterParser.Parse(file, text, kind, problems);
        if (parsed.BodyFound) BodyRules.Check(file, parsed.Body, parsed.BodyFirstLine, renderer, references, problems);
        if (problems.Count > before || parsed.FrontMatter is null) return null;

        var renderings = Enum.GetValues<Audience>().ToDictionary(a => a, a => renderer.Render(parsed.Body, a));
        return new ContentVersion(kind, slug, number, file, hash, parsed.FrontMatter, renderings);
    }

    /// <summary>Reads a file as strict UTF-8 (a byte-order mark is allowed), with Windows line ends made plain.</summary>
    private static string? ReadText(string path, string file, List<ContentProblem> problems, out string hash)
    {
        var bytes = File.ReadAllBytes(path);
        hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
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
