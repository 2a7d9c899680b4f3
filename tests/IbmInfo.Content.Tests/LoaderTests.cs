using System.Security.Cryptography;
using System.Text;

namespace IbmInfo.Content.Tests;

public class LoaderTests
{
    [Fact]
    public void A_valid_tree_loads_every_version_rendered_for_every_audience()
    {
        using var tree = new ContentTree()
            .Article("about-ibm")
            .Article("about-ibm", 2, "## Introduction\n\n::: clinician\nDetail [@b].\n:::\n\nAll [@a].\n")
            .Page("disclaimer");
        var set = tree.Load();

        ProblemAssert.None(set);
        Assert.Equal(["articles/about-ibm/1.md", "articles/about-ibm/2.md", "pages/disclaimer/1.md"], set.Versions.Select(v => v.File));
        Assert.Equal(["a", "b"], set.References.Keys.Order());
        var v2 = set.Versions[1];
        Assert.Equal(["b", "a"], v2.CitedKeys);
        Assert.Equal(["a"], v2.Renderings[Audience.Patient].CitedKeys);
        Assert.Equal(Enum.GetValues<Audience>(), v2.Renderings.Keys.Order());
    }

    [Fact]
    public void A_missing_content_folder_is_reported()
    {
        var root = Path.Combine(Path.GetTempPath(), "ibminfo-missing-" + Guid.NewGuid().ToString("N"));
        var set = new ContentLoader(new ContentRenderer()).Load(root);
        Assert.Contains("content folder does not exist", Assert.Single(set.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_gap_stops_loading_at_the_gap()
    {
        using var tree = new ContentTree().Article("x", 1).Article("x", 3);
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/x/3.md", 1, "version 2 is missing before 3");
        Assert.Equal([1], set.Versions.Select(v => v.Number));
    }

    [Theory]
    [InlineData("draft.md")]
    [InlineData("01.md")]
    [InlineData("1.markdown")]
    [InlineData("1.md.bak")]
    public void A_badly_named_version_file_is_reported(string name)
    {
        using var tree = new ContentTree().Article("x").Write($"articles/x/{name}", ContentTree.ArticleFrontMatter + ContentTree.Body);
        var set = tree.Load();
        ProblemAssert.Only(set, $"articles/x/{name}", 1, "a version file is named by its number");
        Assert.Equal([1], set.Versions.Select(v => v.Number));
    }

    [Fact]
    public void Hidden_files_are_ignored()
    {
        using var tree = new ContentTree().Article("x").Write("articles/x/.DS_Store", "\0");
        ProblemAssert.None(tree.Load());
    }

    [Fact]
    public void A_folder_with_no_version_is_reported()
    {
        using var tree = new ContentTree().Write("articles/empty/notes.txt", "to do");
        var set = tree.Load();
        ProblemAssert.Has(set, "articles/empty", 1, "the folder has no version file; add 1.md");
    }

    [Theory]
    [InlineData("Upper_Case", "upper-case")]
    [InlineData("double--hyphen", "double-hyphen")]
    [InlineData("-leading", "leading")]
    public void An_invalid_slug_folder_is_reported(string folder, string suggestion)
    {
        using var tree = new ContentTree().Article(folder);
        var set = tree.Load();
        ProblemAssert.Only(set, $"articles/{folder}", 1, $"'{folder}' is not a valid slug");
        ProblemAssert.Has(set, $"articles/{folder}", 1, $"e.g. '{suggestion}'");
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData(ContentKind.Page, "pages/search")]
    [InlineData(ContentKind.Article, "articles/search")]
    public void A_slug_whose_address_a_site_route_takes_is_reported(ContentKind kind, string folder)
    {
        using var tree = new ContentTree().Page("search").Article("search").Page("about");
        // The web app answers this from its route table; here, a route /search that takes a page's address only.
        var loader = new ContentLoader(new ContentRenderer(), (k, slug) => k == kind && slug == "search" ? "/search" : null)
        {
            RequireKeyPointsOnLatestArticleVersion = false,
        };
        var set = loader.Load(tree.Root);
        ProblemAssert.Only(set, folder, 1, "the address of 'search' is taken by the site's own page /search");
        Assert.DoesNotContain(set.Versions, v => v.Kind == kind && v.Slug == "search");
        Assert.Contains(set.Versions, v => v.Slug == "about");
    }

    [Fact]
    public void A_slug_used_by_an_article_and_a_page_is_reported()
    {
        using var tree = new ContentTree().Article("about").Page("about");
        var set = tree.Load();
        ProblemAssert.Only(set, "pages/about", 1, "duplicate slug 'about': articles/about has it already");
        Assert.Equal(["articles/about/1.md"], set.Versions.Select(v => v.File));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(12)]
    public void A_file_that_is_not_utf8_is_reported_at_the_bad_line(int badLine)
    {
        var lines = (ContentTree.ArticleFrontMatter + "## Introduction\n\nSome text [@a].\n\nMore text.\n").Split('\n');
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) bytes.Add((byte)'\n');
            if (i + 1 == badLine) bytes.AddRange([0xFF, 0xFE]);
            bytes.AddRange(Encoding.UTF8.GetBytes(lines[i]));
        }
        using var tree = new ContentTree().WriteBytes("articles/x/1.md", [.. bytes]);
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/x/1.md", badLine, "not UTF-8");
        Assert.Empty(set.Versions);
    }

    [Fact]
    public void A_non_utf8_line_is_counted_after_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetBytes(ContentTree.ArticleFrontMatter + ContentTree.Body);
        bytes[bytes.AsSpan().IndexOf("summary"u8)] = 0xFF; // line 3
        using var tree = new ContentTree().WriteBytes("articles/x/1.md", [0xEF, 0xBB, 0xBF, .. bytes]);
        ProblemAssert.Only(tree.Load(), "articles/x/1.md", 3, "not UTF-8");
    }

    [Fact]
    public void A_file_in_windows_1252_is_reported_at_the_bad_line()
    {
        var text = ContentTree.ArticleFrontMatter + "## Introduction\n\nCaf\u00e9 text.\n";
        using var tree = new ContentTree().WriteBytes("articles/x/1.md", Encoding.Latin1.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        ProblemAssert.Only(tree.Load(), "articles/x/1.md", 11, "not UTF-8");
    }

    [Fact]
    public void A_file_with_a_byte_order_mark_is_accepted()
    {
        using var tree = new ContentTree().WriteBytes("articles/x/1.md", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(ContentTree.ArticleFrontMatter + ContentTree.Body)]);
        var set = tree.Load();
        ProblemAssert.None(set);
        Assert.Equal("Treatments that have been studied", Assert.Single(set.Versions).FrontMatter.Title);
    }

    [Fact]
    public void A_file_with_windows_line_ends_is_accepted_and_reports_the_right_lines()
    {
        var crlf = (ContentTree.ArticleFrontMatter + ContentTree.Body).Replace("\n", "\r\n", StringComparison.Ordinal);
        using var tree = new ContentTree()
            .Write("articles/x/1.md", crlf)
            .Write("articles/y/1.md", crlf.Replace("[@a]", "[@zz]", StringComparison.Ordinal));
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/y/1.md", 11, "unknown citation key '@zz'");
        var version = Assert.Single(set.Versions);
        Assert.Equal("First version.", version.FrontMatter.Change);
        Assert.DoesNotContain('\r', version.Renderings[Audience.All].Html);
    }

    [Fact]
    public void A_bad_file_never_takes_the_others_down()
    {
        using var tree = new ContentTree()
            .Article("bad", body: "# A level-1 heading\n")
            .Article("good")
            .Write("articles/worse/1.md", "not front matter at all")
            .Page("about");
        var set = tree.Load();
        ProblemAssert.Has(set, "articles/bad/1.md", 9, "a level-1 heading");
        ProblemAssert.Has(set, "articles/worse/1.md", 1, "must start with front matter");
        Assert.Equal(2, set.Problems.Count);
        Assert.Equal(["articles/good/1.md", "pages/about/1.md"], set.Versions.Select(v => v.File));
    }

    [Fact]
    public void A_bad_later_version_leaves_the_earlier_one()
    {
        using var tree = new ContentTree().Article("x", 1).Article("x", 2, "## Intro\n\nNow citing [@nope].\n");
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/x/2.md", 11, "unknown citation key '@nope'");
        Assert.Equal(["articles/x/1.md"], set.Versions.Select(v => v.File));
    }

    [Fact]
    public void A_bad_references_file_does_not_stop_articles_that_cite_nothing()
    {
        using var tree = new ContentTree(references: "a: [unclosed").Article("x", body: "## Intro\n\nNo citations.\n").Article("y");
        var set = tree.Load();
        ProblemAssert.Has(set, "references.yml", 1, "the YAML is malformed");
        ProblemAssert.Has(set, "articles/y/1.md", 11, "unknown citation key '@a'");
        Assert.Equal(["articles/x/1.md"], set.Versions.Select(v => v.File));
    }

    [Fact]
    public void ContentHash_is_the_sha256_of_the_file_bytes_and_follows_changes()
    {
        using var tree = new ContentTree().Article("x");
        var path = Path.Combine(tree.Root, "articles/x/1.md");
        var before = Assert.Single(tree.Load().Versions).ContentHash;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), before);

        tree.Article("x", body: ContentTree.Body + "\nOne more sentence.\n");
        var after = Assert.Single(tree.Load().Versions).ContentHash;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void ContentHash_sees_a_change_of_line_ends()
    {
        using var tree = new ContentTree().Article("x");
        var before = Assert.Single(tree.Load().Versions).ContentHash;
        tree.Write("articles/x/1.md", (ContentTree.ArticleFrontMatter + ContentTree.Body).Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.NotEqual(before, Assert.Single(tree.Load().Versions).ContentHash);
    }
}
