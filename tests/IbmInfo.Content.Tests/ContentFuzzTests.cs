using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace IbmInfo.Content.Tests;

/// <summary>
/// Seeded mutations of a copy of the real <c>content/</c>, one file or name changed per case: whatever the change,
/// nothing escapes the loader, no problem reads like a stack trace, the changed file is named when it is refused, and
/// every file the case did not touch still loads. Unchanged files are recognised by their hash, as in the site's sync,
/// so a case reads only what it changed. Set <c>IBMINFO_FUZZ_SEED</c> to replay a failing run.
/// </summary>
public sealed class ContentFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 500;
    // Well under a minute on two busy cores; the bound catches an input that makes the loader crawl.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SlowestCase = TimeSpan.FromSeconds(10);

    [Fact]
    public void Mutations_of_the_real_content_are_each_reported_for_their_own_file_and_take_nothing_else_down()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("IBMINFO_FUZZ_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed}: replay with IBMINFO_FUZZ_SEED={seed}");
        var random = new Random(seed);
        using var tree = new FuzzTree();
        var loader = new ContentLoader(new ContentRenderer(), (kind, slug) => kind == ContentKind.Page && slug is "search" or "audience" ? "/" + slug : null);

        var baseline = loader.Load(tree.Root);
        ProblemAssert.None(baseline);
        var hashes = baseline.Versions.ToDictionary(v => (v.Slug, v.Number), v => v.ContentHash);
        var files = baseline.Versions.Select(v => v.File).ToList();

        var run = Stopwatch.StartNew();
        var refused = 0;
        var slowest = new List<(TimeSpan Took, string What)>();
        for (var n = 0; n < Cases; n++)
        {
            var mutation = Mutator.Apply(random, tree.Root, files);
            var started = Stopwatch.StartNew();
            string Context() => $"seed {seed}, case {n}: {mutation.Description} (replay with IBMINFO_FUZZ_SEED={seed})";
            try
            {
                var folder = loader.Open(tree.Root, (slug, number, hash) => hashes.GetValueOrDefault((slug, number)) == hash);
                var items = folder.ReadItems().ToList();
                var problems = folder.Problems;
                var loaded = items.SelectMany(i => i.Select(v => v.File).Concat(i.Unchanged)).ToHashSet(StringComparer.Ordinal);
                string List() => problems.Count == 0 ? "(no problems)" : string.Join('\n', problems.Select(p => "  " + p));

                foreach (var problem in problems)
                {
                    var text = problem.ToString();
                    Assert.False(text.Contains('\n') || text.Contains(" at ", StringComparison.Ordinal) && text.Contains("()", StringComparison.Ordinal)
                        || text.Contains("could not be checked", StringComparison.Ordinal),
                        $"{Context()}: a problem reads like an unhandled fault:\n{List()}");
                    Assert.True(problem.Line >= 1, $"{Context()}: line {problem.Line} in {text}");
                }
                foreach (var file in files.Where(f => !mutation.MayAffect(f)))
                    Assert.True(loaded.Contains(file), $"{Context()}: the untouched {file} was not loaded:\n{List()}");
                if (mutation.Target is { } target && !loaded.Contains(target))
                    Assert.True(problems.Any(p => mutation.Names(p.File)), $"{Context()}: {target} was refused without a problem naming it:\n{List()}");
                if (mutation.Target is { } t && !loaded.Contains(t)) refused++;

                foreach (var version in items.SelectMany(i => i))
                {
                    var fm = version.FrontMatter;
                    foreach (var value in new[] { fm.Title, fm.Summary, fm.Change, fm.Author }.Concat(version.Renderings.Values.Select(r => r.Html)))
                        Assert.True(ContentLimits.FirstForbidden(value) is null,
                            $"{Context()}: {version.File} loaded with a forbidden character in '{value[..Math.Min(80, value.Length)]}'");
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{Context()}: the loader threw {e}");
            }
            Assert.True(started.Elapsed < SlowestCase, $"{Context()}: took {started.Elapsed.TotalSeconds:F1} s");
            slowest.Add((started.Elapsed, mutation.Description));
            tree.Restore();
        }
        output.WriteLine($"{Cases} cases in {run.Elapsed.TotalSeconds:F1} s; {refused} refused their changed file; the slowest:");
        foreach (var (took, what) in slowest.OrderByDescending(c => c.Took).Take(5)) output.WriteLine($"  {took.TotalMilliseconds:F0} ms: {what}");
        Assert.True(run.Elapsed < Budget, $"seed {seed}: {Cases} cases took {run.Elapsed.TotalSeconds:F0} s, over {Budget.TotalSeconds:F0} s");
        Assert.True(refused > Cases / 10, $"seed {seed}: only {refused} of {Cases} mutations were refused; the mutations are too tame to test anything");
    }
}

/// <summary>A copy of the real content folder, put back as it was after each case.</summary>
internal sealed class FuzzTree : IDisposable
{
    private static readonly string Source = RealContent.Root();
    private readonly Dictionary<string, byte[]> _files;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ibminfo-fuzz-" + Guid.NewGuid().ToString("N"));

    public FuzzTree()
    {
        _files = Directory.GetFiles(Source, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Source, f), File.ReadAllBytes);
        Restore();
    }

    /// <summary>Puts back every file whose bytes changed and removes whatever was added; cheaper than copying it all again.</summary>
    public void Restore()
    {
        if (Directory.Exists(Root))
        {
            foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderByDescending(e => e.FullName.Length).ToList())
            {
                var relative = Path.GetRelativePath(Root, entry.FullName);
                var keep = entry.LinkTarget is null && (entry is DirectoryInfo
                    ? _files.Keys.Any(f => f.StartsWith(relative + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    : _files.ContainsKey(relative) && entry is FileInfo { Length: > 0 } file && file.Length == _files[relative].Length);
                if (keep) continue;
                if (entry is DirectoryInfo && entry.LinkTarget is null) Directory.Delete(entry.FullName, recursive: true);
                else File.Delete(entry.FullName);
            }
        }
        foreach (var (relative, bytes) in _files)
        {
            var path = Path.Combine(Root, relative);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

internal static class RealContent
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IbmInfo.sln"))) return Path.Combine(dir.FullName, "content");
        }
        throw new InvalidOperationException($"no IbmInfo.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// One change to the tree. <see cref="Target"/> is the version file changed (null when the change touches no version
/// file, e.g. references.yml or a stray file); <see cref="Named"/> are the paths a problem about it may name; files in
/// <see cref="Scope"/> (folders whose name or numbering changed) may be left out with it.
/// </summary>
internal sealed record Mutation(string Description, string? Target, IReadOnlyList<string> Named, params string[] Scope)
{
    public bool MayAffect(string file) => file == Target || Scope.Any(s => file.StartsWith(s + "/", StringComparison.Ordinal));

    public bool Names(string problemFile) => Named.Any(n => problemFile == n || problemFile.StartsWith(n + "/", StringComparison.Ordinal) || n.StartsWith(problemFile + "/", StringComparison.Ordinal));
}

internal static class Mutator
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static readonly string[] YamlJunk =
    [
        "[", "{", "]", "}", "\"", "'", ": ", "- ", "&a ", "*a", "!!binary ", "|", ">", "? ", "%YAML 1.2\n", "---\n", "...\n", "# ", "\t",
        "\"\\0\"", "\"\\uD800\"", "\"\\x07\"", "\"\\uFFFE\"", "\\", "@", "`", "%", "!", "title: again\n", "sumary: typo\n", "order: many\n",
        "date: 2026-02-30\n", "category: gardening\n", "key: [a, {b: [c\n", "  indented: x\n", "\u00A0", "\u2028", "\uFEFF",
    ];

    private static readonly string[] MarkdownJunk =
    [
        "[", "]", "[@", "[@nope]", "[@cochrane-2015", "[@a; b]", "\n::: patient\n", "\n:::\n", "\n::: other\n", "\n# Heading one\n",
        "\n## References\n", "\n## Ref 1\n", " {#main}", " {.shout}", " {onclick=alert(1)}", "<script>alert(1)</script>", "<b>",
        "![picture](https://example.org/x.png)", "[link](javascript:alert(1))", "[link](http://example.org)", "<http://example.org>",
        "[link](data:text/html,x)", "&#7;", "&#0;", "&#xFFFF;", "&#x110000;", "&amp;", "\0", "\u0007", "\uFFFE", "\r", "\n```\n", "\n~~~\n",
        "\n| a | b |\n|---|---|\n| 1 | 2 |\n", "\\", "<!--", "*", "_", "**", "`", "\n    code\n", "\n> quote\n", "\n- item\n", "\n1. item\n",
        "\n## Heading {#x}\n\n## Heading {#x}\n", "\n## Same\n\n## Same\n", "\u202E", "\uD800", "\uDFFF", "[a](</x y>)", "<mailto:x@y>",
    ];

    public static Mutation Apply(Random random, string root, List<string> files)
    {
        var file = files[random.Next(files.Count)];
        var path = Path.Combine(root, file);
        var folder = Path.GetDirectoryName(file)!.Replace('\\', '/');
        switch (random.Next(16))
        {
            case 0: return EditText(random, path, file, FrontMatterEdit(random));
            case 1: return EditText(random, path, file, BodyEdit(random));
            case 2: return EditText(random, Path.Combine(root, ContentLoader.ReferencesFile), null, FrontMatterEdit(random), ContentLoader.ReferencesFile);
            case 3: return EditText(random, path, file, Nesting(random));
            case 4: return EditBytes(random, path, file);
            case 5: return Reencode(random, path, file);
            case 6: return Resize(random, path, file);
            case 7: return RenameFile(random, root, file);
            case 8: return RenameFolder(random, root, folder);
            case 9: return ReplaceWithOddity(random, root, file);
            case 10: return Stray(random, root, folder);
            case 11: return EditText(random, path, file, LineEdit(random));
            case 12: return EditText(random, Path.Combine(root, ContentLoader.ReferencesFile), null, LineEdit(random), ContentLoader.ReferencesFile);
            case 13: return ReplaceWithOddity(random, root, ContentLoader.ReferencesFile);
            case 14: return EditText(random, path, file, LinkEdit(random));
            default: return EditText(random, path, file, BodyEdit(random));
        }
    }

    private static Mutation EditText(Random random, string path, string? target, (string Name, Func<string, string> Edit) edit, string? named = null)
    {
        var text = Utf8.GetString(File.ReadAllBytes(path));
        File.WriteAllBytes(path, Utf8.GetBytes(edit.Edit(text)));
        return new($"{edit.Name} in {named ?? target}", target, [named ?? target!]);
    }

    private static (string, Func<string, string>) FrontMatterEdit(Random random)
    {
        var junk = YamlJunk[random.Next(YamlJunk.Length)];
        return ($"YAML {Show(junk)} inserted", text =>
        {
            // Somewhere in the YAML: within the front matter of a version file, anywhere in references.yml.
            var end = text.StartsWith("---\n", StringComparison.Ordinal) ? Math.Max(4, text.IndexOf("\n---", 4, StringComparison.Ordinal)) : text.Length;
            var at = random.Next(text.StartsWith("---\n", StringComparison.Ordinal) ? 4 : 0, end + 1);
            return text.Insert(at, junk);
        });
    }

    private static (string, Func<string, string>) BodyEdit(Random random)
    {
        var junk = MarkdownJunk[random.Next(MarkdownJunk.Length)];
        return ($"Markdown {Show(junk)} inserted", text =>
        {
            var start = Math.Max(0, text.IndexOf("\n---", 4, StringComparison.Ordinal) + 4);
            return text.Insert(random.Next(Math.Min(start, text.Length), text.Length + 1), junk);
        });
    }

    private static (string, Func<string, string>) Nesting(Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(1, 60) : random.Next(60, 60_000);
        var (name, junk) = random.Next(7) switch
        {
            0 => ("'>'", new string('>', depth) + " deep\n"),
            1 => ("list", string.Concat(Enumerable.Range(0, Math.Min(depth, 400)).Select(i => new string(' ', i * 2) + "- item\n"))),
            2 => ("'['", new string('[', depth) + "x"),
            3 => ("'*'", new string('*', depth) + "x"),
            4 => ("'('", "[a](" + new string('(', depth) + ")"),
            5 => ("YAML '['", "\ntitle: " + new string('[', depth) + "\n"),
            _ => ("YAML '- '", "\nsummary:\n" + string.Concat(Enumerable.Repeat("- ", depth)) + "x\n"),
        };
        return ($"{name} nested {depth} deep", text =>
        {
            var fmEnd = text.IndexOf("\n---", 4, StringComparison.Ordinal);
            var at = name.StartsWith("YAML", StringComparison.Ordinal) ? Math.Max(3, fmEnd) : text.Length;
            return text.Insert(Math.Clamp(at, 0, text.Length), junk);
        });
    }

    private static (string, Func<string, string>) LineEdit(Random random)
    {
        var kind = random.Next(5);
        return (kind switch { 0 => "a line deleted", 1 => "a line doubled", 2 => "two lines swapped", 3 => "a line indented", _ => "a line's end deleted" }, text =>
        {
            var lines = text.Split('\n').ToList();
            var i = random.Next(lines.Count);
            var j = random.Next(lines.Count);
            switch (kind)
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2: (lines[i], lines[j]) = (lines[j], lines[i]); break;
                case 3: lines[i] = (random.Next(2) == 0 ? "\t" : new string(' ', random.Next(1, 9))) + lines[i]; break;
                default: if (i + 1 < lines.Count) { lines[i] += lines[i + 1]; lines.RemoveAt(i + 1); } break;
            }
            return string.Join('\n', lines);
        });
    }

    private static (string, Func<string, string>) LinkEdit(Random random)
    {
        var to = new[] { "http://example.org", "javascript:alert(1)", "//evil.example", "ftp://x", "https://", "mailto:", "#", "/articles/nope", "https://exa mple.org", "vbscript:x", "HTTPS://EXAMPLE.ORG" }[random.Next(11)];
        return ($"a link pointed at {to}", text =>
        {
            var at = text.IndexOf("](", StringComparison.Ordinal);
            return at < 0 ? text + $"\n[link]({to})\n" : text.Insert(at + 2, to + " ");
        });
    }

    private static Mutation EditBytes(Random random, string path, string file)
    {
        var bytes = File.ReadAllBytes(path).ToList();
        var kind = random.Next(4);
        var at = random.Next(bytes.Count + 1);
        byte[] insert = kind switch { 0 => [0xFF], 1 => [0xC0, 0x80], 2 => [0xED, 0xA0, 0x80], _ => [0xEF, 0xBB, 0xBF] };
        if (kind == 3 && random.Next(2) == 0)
        {
            for (var k = random.Next(1, 6); k > 0 && bytes.Count > 0; k--) bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(path, [.. bytes]);
            return new("bits flipped", file, [file]);
        }
        bytes.InsertRange(at, insert);
        File.WriteAllBytes(path, [.. bytes]);
        return new($"bytes {Convert.ToHexString(insert)} at {at}", file, [file]);
    }

    private static Mutation Reencode(Random random, string path, string file)
    {
        var text = File.ReadAllText(path);
        var (name, bytes) = random.Next(5) switch
        {
            0 => ("UTF-16 LE", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray()),
            1 => ("UTF-16 BE", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray()),
            2 => ("Latin-1", Encoding.Latin1.GetBytes(text + " café")),
            3 => ("CRLF", Utf8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))),
            _ => ("CR", Utf8.GetBytes(text.Replace("\n", "\r", StringComparison.Ordinal))),
        };
        File.WriteAllBytes(path, bytes);
        return new($"saved as {name}", file, [file]);
    }

    private static Mutation Resize(Random random, string path, string file)
    {
        var bytes = File.ReadAllBytes(path);
        switch (random.Next(4))
        {
            case 0:
                File.WriteAllBytes(path, bytes[..random.Next(bytes.Length)]);
                return new("cut short", file, [file]);
            case 1:
                File.WriteAllBytes(path, [.. bytes, .. Utf8.GetBytes(string.Concat(Enumerable.Repeat("\nMore text. ", ContentLimits.MaxVersionFileBytes / 10)))]);
                return new("grown past the size limit", file, [file]);
            case 2:
                File.WriteAllBytes(path, []);
                return new("emptied", file, [file]);
            default:
                File.WriteAllBytes(path, [.. bytes, .. bytes, .. bytes]);
                return new("tripled", file, [file]);
        }
    }

    private static Mutation RenameFile(Random random, string root, string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        var name = new[] { "01.md", "1.MD", "1.md.bak", "draft.md", "1 .md", "1\n.md", "é.md", "9.md", "0.md", "1.md ", "-1.md", "1000000.md" }[random.Next(12)];
        var renamed = Path.Combine(folder, name).Replace('\\', '/');
        File.Move(Path.Combine(root, file), Path.Combine(root, renamed));
        return new($"{file} renamed {Show(name)}", file, [file, renamed, folder.Replace('\\', '/')], folder.Replace('\\', '/'));
    }

    private static Mutation RenameFolder(Random random, string root, string folder)
    {
        var parent = Path.GetDirectoryName(folder)!;
        var other = parent == "articles" ? "pages" : "articles";
        var existing = Directory.GetDirectories(Path.Combine(root, other)).Select(Path.GetFileName).First()!;
        var name = new[] { "Upper", "bad slug", "-x", "a--b", "search", "audience", "ünï", existing, "x".PadRight(120, 'x'), "a\tb" }[random.Next(10)];
        var renamed = Path.Combine(parent, name).Replace('\\', '/');
        if (Directory.Exists(Path.Combine(root, renamed))) return new("nothing (name taken)", null, []);
        Directory.Move(Path.Combine(root, folder), Path.Combine(root, renamed));
        // A folder that now shares its slug with one of the other kind: either of the two may be the one refused.
        return new($"{folder} renamed {Show(renamed)}", null, [folder, renamed, $"{other}/{existing}"], folder, $"{other}/{existing}");
    }

    private static Mutation ReplaceWithOddity(Random random, string root, string file)
    {
        var path = Path.Combine(root, file);
        var target = file == ContentLoader.ReferencesFile ? null : file;
        // Kept in a hidden folder, which the loader passes over, for a symlink to point at.
        var kept = Path.Combine(root, ".kept", Path.GetFileName(file));
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Move(path, kept, overwrite: true);
        switch (random.Next(7))
        {
            case 0:
                File.CreateSymbolicLink(path, Path.Combine(root, "nowhere.md"));
                return new($"{file} a dangling symlink", target, [file]);
            case 1:
                File.CreateSymbolicLink(path, "/etc/passwd");
                return new($"{file} a symlink to /etc/passwd", target, [file]);
            case 2:
                using (var mkfifo = Process.Start("mkfifo", path)) mkfifo.WaitForExit();
                return new($"{file} a FIFO", target, [file]);
            case 3:
                Directory.CreateDirectory(path);
                return new($"{file} a folder", target, [file]);
            case 4:
                File.CreateSymbolicLink(path, path);
                return new($"{file} a symlink to itself", target, [file]);
            case 5:
                return new($"{file} deleted", null, [file], target is null ? [] : [Path.GetDirectoryName(file)!.Replace('\\', '/')]);
            default:
                File.CreateSymbolicLink(path, kept);
                return new($"{file} a symlink to the same text elsewhere in the content folder", target, [file]);
        }
    }

    private static Mutation Stray(Random random, string root, string folder)
    {
        var place = new[] { "notes.md", "drafts/1.md", "articles/loose.md", "pages/x.md", $"{folder}/old/1.md", $"{folder}/images/a.png", "ARTICLES/x/1.md", ".hidden/1.md" }[random.Next(8)];
        var path = Path.Combine(root, place);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "---\ntitle: stray\n---\n");
        return new($"a stray file {place}", null, [place]);
    }

    private static string Show(string text) => "'" + string.Concat(text.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString())) + (text.Length > 40 ? "…" : "") + "'";
}
