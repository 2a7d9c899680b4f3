using System.Text;

namespace IbmInfo.Content.Tests;

/// <summary>A content folder in the temp directory, deleted when the test ends.</summary>
internal sealed class ContentTree : IDisposable
{
    /// <summary>Two valid references, keys <c>a</c> and <c>b</c>.</summary>
    public const string References = """
        a:
          kind: Review
          authors: Rose MR, Jones K
          title: Treatment for inclusion body myositis
          publisher: Cochrane Database of Systematic Reviews
          year: 2015
          doi: 10.1002/14651858.CD001555.pub5
        b:
          kind: Patient information
          authors: Myositis UK
          title: Inclusion body myositis
          publisher: Myositis UK
          year: 2024
          url: https://www.example.org/ibm
        """;

    /// <summary>
    /// The front matter of a valid article: lines 1–8, so its body starts on line 9
    /// (line 2 title, 3 summary, 4 category, 5 date, 6 change, 7 author).
    /// </summary>
    public const string ArticleFrontMatter = """
        ---
        title: Treatments that have been studied
        summary: What the research shows.
        category: treatment-evidence
        date: 2026-11-22
        change: First version.
        author: editor@ibminfo.example
        ---

        """;

    /// <summary>The front matter of a valid page: lines 1–7, so its body starts on line 8.</summary>
    public const string PageFrontMatter = """
        ---
        title: About this site
        summary: Who writes it.
        date: 2026-11-22
        change: First version.
        author: editor@ibminfo.example
        ---

        """;

    public const string Body = "## Introduction\n\nSome text [@a].\n";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ibminfo-content-tests-" + Guid.NewGuid().ToString("N"));

    public ContentTree(string? references = References)
    {
        Directory.CreateDirectory(Root);
        if (references is not null) Write(ContentLoader.ReferencesFile, references);
    }

    public ContentTree Write(string relativePath, string text) =>
        WriteBytes(relativePath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    public ContentTree WriteBytes(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    /// <summary>Writes a valid article version with <paramref name="body"/>.</summary>
    public ContentTree Article(string slug, int number = 1, string body = Body) =>
        Write($"articles/{slug}/{number}.md", ArticleFrontMatter + body);

    public ContentTree Page(string slug, int number = 1, string body = Body) =>
        Write($"pages/{slug}/{number}.md", PageFrontMatter + body);

    /// <summary>
    /// Loads the tree with the key points rule off: the fixtures test the other rules, and their line numbers stay put.
    /// KeyPointsTests and the real content's tests hold the rule itself.
    /// </summary>
    public ContentSet Load() => new ContentLoader(new ContentRenderer()) { RequireKeyPointsOnLatestArticleVersion = false }.Load(Root);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    /// <summary>Loads a tree holding only <c>articles/test/1.md</c> with <paramref name="text"/>.</summary>
    public static ContentSet LoadArticle(string text)
    {
        using var tree = new ContentTree().Write("articles/test/1.md", text);
        return tree.Load();
    }
}

internal static class ProblemAssert
{
    /// <summary>Asserts that there is exactly one problem, at <c>file:line</c>, whose message contains <paramref name="fragment"/>.</summary>
    public static void Only(ContentSet set, string file, int line, string fragment)
    {
        Has(set, file, line, fragment);
        if (set.Problems.Count != 1) Assert.Fail($"expected one problem, got {set.Problems.Count}:\n{List(set)}");
    }

    /// <summary>Asserts that one of the problems is at <c>file:line</c> and its message contains <paramref name="fragment"/>.</summary>
    public static void Has(ContentSet set, string file, int line, string fragment)
    {
        var prefix = $"{file}:{line}: ";
        if (!set.Problems.Any(p => p.ToString().StartsWith(prefix, StringComparison.Ordinal) && p.Message.Contains(fragment, StringComparison.Ordinal)))
            Assert.Fail($"expected a problem '{prefix}…{fragment}…', got:\n{List(set)}");
    }

    public static void None(ContentSet set)
    {
        if (set.Problems.Count > 0) Assert.Fail($"expected no problem, got:\n{List(set)}");
    }

    public static string List(ContentSet set) =>
        set.Problems.Count == 0 ? "(none)" : string.Join('\n', set.Problems.Select(p => "  " + p));
}
