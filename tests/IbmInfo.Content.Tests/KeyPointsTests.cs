namespace IbmInfo.Content.Tests;

/// <summary>The front matter's <c>key_points</c> and <c>urgent_help</c>: their shape, their Markdown and their rendering.</summary>
public class KeyPointsTests
{
    private const string File = "articles/test/1.md";

    /// <summary>Front matter lines 1–7 as in <see cref="ContentTree.ArticleFrontMatter"/>, then <paramref name="extra"/> from line 8.</summary>
    private static string Article(string extra, string body = ContentTree.Body) =>
        ContentTree.ArticleFrontMatter.Replace("author: editor@ibminfo.example\n", "author: editor@ibminfo.example\n" + extra + "\n", StringComparison.Ordinal) + body;

    private const string Valid = """
        key_points:
          patient:
            - No medicine has been proven to slow IBM [@a].
            - Physiotherapy helps you stay active.
            - "[@b] Support is there for you."
          clinician:
            - No agent has shown efficacy in randomised trials [@a].
            - Refer to physiotherapy early.
            - Screen for dysphagia at every visit.
        """;

    [Fact]
    public void Valid_key_points_are_read_and_rendered_for_each_audience_with_their_citations_numbered_first()
    {
        var set = ContentTree.LoadArticle(Article(Valid, "## Introduction\n\nMore [@b] and [@a].\n"));
        ProblemAssert.None(set);
        var version = Assert.Single(set.Versions);
        var points = version.FrontMatter.KeyPoints!;
        Assert.Equal(["No medicine has been proven to slow IBM [@a].", "Physiotherapy helps you stay active.", "[@b] Support is there for you."],
            points.Patient.Select(p => p.Markdown));
        Assert.Equal([10, 11, 12], points.Patient.Select(p => p.Line));

        var patient = version.Renderings[Audience.Patient];
        Assert.StartsWith("<ul class=\"key-points\">", patient.KeyPointsHtml);
        Assert.Contains("<li>No medicine has been proven to slow IBM <sup class=\"citation\"><a href=\"#ref-1\" id=\"cite-1\">", patient.KeyPointsHtml);
        Assert.Contains("Physiotherapy helps you stay active.</li>", patient.KeyPointsHtml);
        Assert.DoesNotContain("randomised", patient.KeyPointsHtml);
        // a, then b from the key points; the body's citations reuse those numbers.
        Assert.Equal(["a", "b"], patient.CitedKeys);
        Assert.Contains("More <sup class=\"citation\"><a href=\"#ref-2\">", patient.Html);
        Assert.StartsWith("No medicine has been proven to slow IBM.\n", patient.PlainText);

        var clinician = version.Renderings[Audience.Clinician];
        Assert.Contains("No agent has shown efficacy in randomised trials", clinician.KeyPointsHtml);
        Assert.DoesNotContain("Physiotherapy helps you", clinician.KeyPointsHtml);
        Assert.Equal(["a", "b"], clinician.CitedKeys);

        var both = version.Renderings[Audience.All];
        Assert.Contains("For patients and carers", both.KeyPointsHtml);
        Assert.Contains("For healthcare professionals", both.KeyPointsHtml);
        Assert.Equal(["a", "b"], version.CitedKeys);
    }

    [Fact]
    public void Without_key_points_nothing_is_rendered_for_them() =>
        Assert.All(Assert.Single(ContentTree.LoadArticle(Article("order: 1")).Versions).Renderings.Values, r => Assert.Equal("", r.KeyPointsHtml));

    [Theory]
    [InlineData("key_points: No medicine works.", 8, "Write key_points as a block")]
    [InlineData("key_points:\n  - one\n  - two\n  - three", 8, "must be a block, not a list")]
    [InlineData("key_points:\n  patient:\n    - one\n    - two\n    - three", 8, "has no 'clinician:' list")]
    [InlineData("key_points:\n  patient:\n    - one\n    - two\n  clinician:\n    - a\n    - b\n    - c", 9, "key_points patient has 2 points; write 3 to 5")]
    [InlineData("key_points:\n  patient:\n    - 1\n    - 2\n    - 3\n    - 4\n    - 5\n    - 6\n  clinician:\n    - a\n    - b\n    - c", 9, "has 6 points")]
    [InlineData("key_points:\n  patient: Just one.\n  clinician:\n    - a\n    - b\n    - c", 9, "must be a list of lines")]
    [InlineData("key_points:\n  patients:\n    - a\n    - b\n    - c\n  clinician:\n    - a\n    - b\n    - c", 9, "unknown audience 'patients'")]
    [InlineData("key_points:\n  patient:\n    - a\n    - [one, two]\n    - c\n  clinician:\n    - a\n    - b\n    - c", 11, "put it in quotes if it starts with '['")]
    [InlineData("key_points:\n  patient:\n    - a\n    - \"\"\n    - c\n  clinician:\n    - a\n    - b\n    - c", 11, "this key point is empty")]
    public void Badly_shaped_key_points_are_reported_at_their_line(string extra, int line, string fragment)
    {
        var set = ContentTree.LoadArticle(Article(extra));
        ProblemAssert.Has(set, File, line, fragment);
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData("    - Unknown key [@nope].", "unknown citation key '@nope'")]
    [InlineData("    - Raw <b>HTML</b> here.", "raw HTML is not allowed")]
    [InlineData("    - A [bad link](javascript:alert(1)).", "is not allowed")]
    [InlineData("    - \"> a quote\"", "no heading, list, quote or code")]
    public void A_key_point_follows_the_body_rules_at_its_own_line(string point, string fragment)
    {
        var extra = "key_points:\n  patient:\n    - a\n    - b\n" + point + "\n  clinician:\n    - a\n    - b\n    - c";
        var set = ContentTree.LoadArticle(Article(extra));
        ProblemAssert.Only(set, File, 12, fragment);
        Assert.Empty(set.Versions);
    }

    [Fact]
    public void A_key_point_longer_than_the_limit_is_refused()
    {
        var extra = "key_points:\n  patient:\n    - a\n    - b\n    - " + new string('x', KeyPointsParser.MaxLength + 1) + "\n  clinician:\n    - a\n    - b\n    - c";
        ProblemAssert.Only(ContentTree.LoadArticle(Article(extra)), File, 12, "keep each under 300");
    }

    [Fact]
    public void The_newest_article_version_needs_key_points_when_the_rule_is_on_and_older_versions_are_exempt()
    {
        using var tree = new ContentTree()
            .Article("old", 1)
            .Write("articles/old/2.md", Article(Valid))
            .Article("new", 1)
            .Article("new", 2)
            .Page("about");
        var strict = new ContentLoader(new ContentRenderer()) { RequireKeyPointsOnLatestArticleVersion = true }.Load(tree.Root);
        ProblemAssert.Only(strict, "articles/new/2.md", 1, "the newest version of an article needs key_points");
        Assert.Equal(["articles/new/1.md", "articles/old/1.md", "articles/old/2.md", "pages/about/1.md"], strict.Versions.Select(v => v.File).Order());

        ProblemAssert.None(new ContentLoader(new ContentRenderer()) { RequireKeyPointsOnLatestArticleVersion = false }.Load(tree.Root));
    }

    [Fact]
    public void A_page_may_have_key_points()
    {
        using var tree = new ContentTree().Write("pages/about/1.md", ContentTree.PageFrontMatter.Replace("author: editor@ibminfo.example\n", "author: editor@ibminfo.example\n" + Valid + "\n", StringComparison.Ordinal) + ContentTree.Body);
        var set = tree.Load();
        ProblemAssert.None(set);
        Assert.NotNull(Assert.Single(set.Versions).FrontMatter.KeyPoints);
    }

    [Theory]
    [InlineData("urgent_help: true", true)]
    [InlineData("urgent_help: false", false)]
    [InlineData("order: 2", false)]
    public void Urgent_help_is_read(string extra, bool expected) =>
        Assert.Equal(expected, Assert.Single(ContentTree.LoadArticle(Article(extra)).Versions).FrontMatter.UrgentHelp);

    [Fact]
    public void Urgent_help_must_be_true_or_false() =>
        ProblemAssert.Only(ContentTree.LoadArticle(Article("urgent_help: yes please")), File, 8, "urgent_help 'yes please' must be true or false");
}
