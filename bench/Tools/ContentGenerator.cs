using System.Globalization;
using System.Text;

namespace IbmInfo.Bench;

/// <summary>
/// <c>generate</c>: writes a synthetic but valid content folder (see docs/content-format.md) for the scale benchmark.
/// The text is filler made of a fixed pseudo-word lexicon and a few everyday English words, so it states nothing
/// about any illness; word frequencies are skewed (a few words everywhere, most rare) so search has real work to do.
/// Everything comes from the seed: the same arguments always give the same files.
/// </summary>
internal static class ContentGenerator
{
    public static readonly string[] Categories = ["about-ibm", "treatment-evidence", "management", "support-services", "living-with-ibm", "research"];
    private static readonly string[] Kinds = ["Research", "Guideline", "Review", "Patient information"];
    public static readonly string[] Authors = ["editor-a@bench.example", "editor-b@bench.example", "editor-c@bench.example"];

    /// <summary>The reviewer who also writes some versions, so approving them needs the second reviewer.</summary>
    public const string ReviewerWhoWrites = "reviewer-a@bench.example";

    public static int Run(Options options)
    {
        var articles = options.Int("articles");
        var versions = options.Int("versions");
        var seed = options.Int("seed", 20261122);
        var output = Path.GetFullPath(options.Required("out"));
        var baseContent = options.Get("base") is string b ? Path.GetFullPath(b) : FindBundledContent();

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new ArgumentException($"--out {output} is not empty; give a new or empty folder");
        Directory.CreateDirectory(output);

        var lexicon = Lexicon.Build(seed);
        var referenceCount = Math.Max(40, articles / 2);
        WriteReferences(output, baseContent, referenceCount, lexicon, seed);
        CopyDirectory(Path.Combine(baseContent, "pages"), Path.Combine(output, "pages"));

        long bytes = 0;
        for (var a = 1; a <= articles; a++)
        {
            var article = new SyntheticArticle(a, seed, lexicon, referenceCount);
            var dir = Path.Combine(output, "articles", article.Slug);
            Directory.CreateDirectory(dir);
            for (var v = 1; v <= versions; v++)
            {
                var text = article.Version(v);
                File.WriteAllText(Path.Combine(dir, $"{v}.md"), text, new UTF8Encoding(false));
                bytes += Encoding.UTF8.GetByteCount(text);
            }
        }
        Console.WriteLine($"Wrote {articles} articles x {versions} versions ({bytes / (articles * versions) / 1024.0:0.0} KB per version on average), " +
                          $"{referenceCount} synthetic references and the bundled pages to {output}.");
        return 0;
    }

    private static void WriteReferences(string output, string baseContent, int count, Lexicon lexicon, int seed)
    {
        // The bundled references come first: the copied standalone pages cite some of them.
        var text = new StringBuilder(File.ReadAllText(Path.Combine(baseContent, "references.yml")).TrimEnd());
        text.Append("\n\n# Synthetic references for the benchmarks: invented titles, no identifiers.\n");
        for (var r = 1; r <= count; r++)
        {
            var rng = new Random(Mix(seed, 7, r));
            text.Append(CultureInfo.InvariantCulture, $"""

                {ReferenceKey(r)}:
                  kind: {Kinds[r % Kinds.Length]}
                  authors: {lexicon.Name(rng)} {(char)('A' + rng.Next(26))}, {lexicon.Name(rng)} {(char)('A' + rng.Next(26))}
                  title: Synthetic reference {r} on {lexicon.Word(rng)} and {lexicon.Word(rng)}
                  publisher: Synthetic Journal of {lexicon.Name(rng)}
                  year: {1995 + r % 31}

                """);
        }
        File.WriteAllText(Path.Combine(output, "references.yml"), text.ToString(), new UTF8Encoding(false));
        // Every author a generated file names must be an account or listed here (the import makes them accounts).
        var authors = string.Join("", Authors.Append(ReviewerWhoWrites).Append("editor@ibminfo.example").Select(a => $"{a}: Bench author {a.Split('@')[0]}\n"));
        File.WriteAllText(Path.Combine(output, "authors.yml"), authors, new UTF8Encoding(false));
    }

    public static string ReferenceKey(int r) => $"ref-{r:0000}";

    /// <summary>The repository's <c>content/</c> folder: looked for upwards from the working folder, then from this program.</summary>
    private static string FindBundledContent()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "content");
                if (File.Exists(Path.Combine(candidate, "references.yml")) && Directory.Exists(Path.Combine(candidate, "pages"))) return candidate;
            }
        }
        throw new ArgumentException("the bundled content folder was not found; give it with --base DIR");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A stable hash of a few numbers (string.GetHashCode is randomised per process).</summary>
    public static int Mix(params int[] values)
    {
        ulong h = 0x9E3779B97F4A7C15;
        foreach (var v in values)
        {
            h ^= (ulong)(uint)v + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2);
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EB;
            h ^= h >> 31;
        }
        return (int)(h & 0x7FFFFFFF);
    }
}

/// <summary>
/// The words: a few everyday English words at fixed ranks (so scripts know what to search for) among thousands of
/// pronounceable pseudo-words; <see cref="Word"/> picks low ranks far more often than high ones.
/// </summary>
internal sealed class Lexicon
{
    /// <summary>Ranks 0–29: in nearly every article. Search for "garden" or "morning" to match most of the site.</summary>
    public static readonly string[] Common =
    [
        "garden", "morning", "walking", "kitchen", "support", "family", "weather", "routine", "window", "letter",
        "evening", "travel", "music", "village", "river", "table", "market", "bridge", "library", "journey",
        "friend", "garland", "picture", "holiday", "station", "corner", "pocket", "season", "ladder", "teacup",
    ];

    /// <summary>Placed at ranks 500, 1000, … : each in a minority of articles ("lantern" at 500, "orchard" at 2000).</summary>
    public static readonly string[] Sparse = ["lantern", "harbour", "meadow", "orchard", "compass", "ribbon", "blanket"];

    private const int Size = 4000;
    private readonly string[] words;

    private Lexicon(string[] words) => this.words = words;

    public static Lexicon Build(int seed)
    {
        string[] onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gl", "pl", "st", "tr", "sk", "th"];
        string[] vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
        string[] codas = ["", "", "n", "r", "s", "l", "m", "nd", "st", "rk"];
        var rng = new Random(seed);
        var seen = new HashSet<string>(Common.Concat(Sparse), StringComparer.Ordinal);
        var words = new List<string>(Common);
        while (words.Count < Size)
        {
            var rank = words.Count;
            if (rank % 500 == 0 && rank / 500 - 1 < Sparse.Length)
            {
                words.Add(Sparse[rank / 500 - 1]);
                continue;
            }
            var word = new StringBuilder();
            for (var s = rng.Next(2, 4); s > 0; s--)
                word.Append(onsets[rng.Next(onsets.Length)]).Append(vowels[rng.Next(vowels.Length)]).Append(codas[rng.Next(codas.Length)]);
            if (seen.Add(word.ToString())) words.Add(word.ToString());
        }
        return new Lexicon([.. words]);
    }

    /// <summary>A word with a skewed (roughly Zipf-like) choice of rank.</summary>
    public string Word(Random rng) => words[(int)(Size * Math.Pow(rng.NextDouble(), 3))];

    public string Name(Random rng) => Capital(words[30 + rng.Next(Size - 30)]);

    public static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}

/// <summary>
/// One synthetic article. Each block of text (paragraph, list, table) is drawn from its own seed plus a revision
/// number that goes up in some later versions, so consecutive versions differ in a few places, as real edits do.
/// </summary>
internal sealed class SyntheticArticle(int index, int seed, Lexicon lexicon, int referenceCount)
{
    private readonly int articleSeed = ContentGenerator.Mix(seed, index);

    public string Slug => $"synthetic-{index:0000}";

    public string Version(int number)
    {
        var head = new Random(articleSeed);
        var title = $"{Lexicon.Capital(lexicon.Word(head))} {lexicon.Word(head)} and {lexicon.Word(head)}, synthetic article {index}";
        var author = index % 7 == 0 ? ContentGenerator.ReviewerWhoWrites : ContentGenerator.Authors[(index + number) % ContentGenerator.Authors.Length];
        var date = new DateOnly(2025, 1, 1).AddDays(index % 300 + (number - 1) * 40);
        var pool = Enumerable.Range(0, 12).Select(_ => ContentGenerator.ReferenceKey(1 + head.Next(referenceCount))).Distinct().ToArray();

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            ---
            title: {title}
            summary: {Sentence(new Random(ContentGenerator.Mix(articleSeed, 1)), null).TrimEnd('.')}.
            category: {ContentGenerator.Categories[index % ContentGenerator.Categories.Length]}
            date: {date:yyyy-MM-dd}
            change: {(number == 1 ? "First version." : $"Revised the parts on {lexicon.Word(new Random(ContentGenerator.Mix(articleSeed, 2, number)))}.")}
            author: {author}
            order: {index}
            key_points:
            {KeyPoints(new Random(ContentGenerator.Mix(articleSeed, 3, number)), pool)}
            ---

            """);

        var headings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sections = 6 + head.Next(2);
        for (var s = 0; s < sections; s++)
        {
            text.Append("\n## ").Append(Heading(head, headings)).Append("\n\n");
            text.Append(Paragraph(Block(number, s, 0), pool)).Append("\n\n");
            text.Append("::: patient\n").Append(Paragraph(Block(number, s, 1), pool)).Append("\n:::\n\n");
            text.Append("::: clinician\n").Append(Paragraph(Block(number, s, 2), pool)).Append('\n');
            if (s == 1) text.Append('\n').Append(Table(Block(number, s, 3), pool));
            text.Append(":::\n\n");
            if (s % 3 == 0) text.Append(List(Block(number, s, 4), pool, "- ")).Append('\n');
            if (s % 4 == 2) text.Append(List(Block(number, s, 5), pool, "1. ")).Append('\n');
            if (s % 2 == 1)
            {
                text.Append("### ").Append(Heading(head, headings)).Append("\n\n");
                text.Append(Paragraph(Block(number, s, 6), pool)).Append("\n\n");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The key points every version carries (the newest version of an article must have them, and the editors who
    /// write a new version keep them): three short sentences for each audience.
    /// </summary>
    private string KeyPoints(Random rng, string[] pool)
    {
        string Points() => string.Join('\n', Enumerable.Range(0, 3).Select(_ => "    - " + Sentence(rng, pool)));
        return $"  patient:\n{Points()}\n  clinician:\n{Points()}";
    }

    /// <summary>The random source for one block in one version: its revision changes in about one version in six.</summary>
    private Random Block(int version, int section, int block)
    {
        var revision = Enumerable.Range(2, Math.Max(0, version - 1)).Count(v => ContentGenerator.Mix(articleSeed, section, block, v) % 6 == 0);
        return new Random(ContentGenerator.Mix(articleSeed, section, block, 1000 + revision));
    }

    private string Heading(Random rng, HashSet<string> used)
    {
        string heading;
        do heading = $"{Lexicon.Capital(lexicon.Word(rng))} {lexicon.Word(rng)} {lexicon.Word(rng)}";
        while (!used.Add(heading));
        return heading;
    }

    private string Paragraph(Random rng, string[] pool) =>
        string.Join(' ', Enumerable.Range(0, rng.Next(4, 8)).Select(_ => Sentence(rng, pool)));

    private string Sentence(Random rng, string[]? pool)
    {
        var words = Enumerable.Range(0, rng.Next(8, 17)).Select(_ => lexicon.Word(rng)).ToArray();
        words[0] = Lexicon.Capital(words[0]);
        var sentence = string.Join(' ', words);
        if (pool is not null && rng.Next(4) == 0)
        {
            var keys = Enumerable.Range(0, 1 + rng.Next(2)).Select(_ => "@" + pool[rng.Next(pool.Length)]).Distinct();
            sentence += $" [{string.Join("; ", keys)}]";
        }
        return sentence + ".";
    }

    private string List(Random rng, string[] pool, string marker) =>
        string.Concat(Enumerable.Range(0, rng.Next(4, 7)).Select(_ => marker + Sentence(rng, pool) + "\n"));

    private string Table(Random rng, string[] pool)
    {
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"| {Lexicon.Capital(lexicon.Word(rng))} | {Lexicon.Capital(lexicon.Word(rng))} | Count | Note |\n|---|---|---|---|\n");
        for (var row = 0; row < 6; row++)
            table.Append(CultureInfo.InvariantCulture, $"| {Lexicon.Capital(lexicon.Word(rng))} {lexicon.Word(rng)} | {lexicon.Word(rng)} | {rng.Next(1, 500)} | {lexicon.Word(rng)} {lexicon.Word(rng)} [@{pool[rng.Next(pool.Length)]}] |\n");
        return table.ToString();
    }
}
