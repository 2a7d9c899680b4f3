namespace IbmInfo.Content.Tests;

/// <summary>One test per front-matter rule: the problem is reported at its file and line, and the version is not loaded.</summary>
public class FrontMatterValidationTests
{
    private const string File = "articles/test/1.md";

    private const string Fields = """
        title: Treatments that have been studied
        summary: What the research shows.
        category: treatment-evidence
        date: 2026-11-22
        change: First version.
        author: editor@ibminfo.example
        """;

    /// <summary>An article whose front matter is <see cref="Fields"/> with <paramref name="edit"/> applied.</summary>
    private static string Article(Func<string, string> edit) => "---\n" + edit(Fields) + "\n---\n" + ContentTree.Body;

    private static void AssertOnly(ContentSet set, int line, string fragment, string file = File)
    {
        ProblemAssert.Only(set, file, line, fragment);
        Assert.Empty(set.Versions);
    }

    [Fact]
    public void The_helper_article_is_valid()
    {
        var set = ContentTree.LoadArticle(Article(f => f));
        ProblemAssert.None(set);
        var version = Assert.Single(set.Versions);
        Assert.Equal(new FrontMatter("Treatments that have been studied", "What the research shows.", "treatment-evidence",
            new DateOnly(2026, 11, 22), "First version.", "editor@ibminfo.example", 0), version.FrontMatter);
        Assert.Equal((ContentKind.Article, "test", 1, File), (version.Kind, version.Slug, version.Number, version.File));
    }

    [Theory]
    [InlineData("title: No dashes\n\n## Body\n")]
    [InlineData("\n---\ntitle: Blank line first\n---\n")]
    [InlineData("## Just a body\n")]
    public void A_file_must_start_with_front_matter(string text) =>
        AssertOnly(ContentTree.LoadArticle(text), 1, "must start with front matter");

    [Fact]
    public void Front_matter_must_be_closed() =>
        AssertOnly(ContentTree.LoadArticle("---\n" + Fields + "\n\n## Introduction\n\nText.\n"), 1, "never closed");

    [Theory]
    [InlineData("summary: What the research shows.", "summary: What: the research shows.", 3)]
    [InlineData("date: 2026-11-22", "date: 2026-11-22\n- nested", 6)]
    [InlineData("author: editor@ibminfo.example", "author: editor@ibminfo.example\n  indented: x", 8)]
    [InlineData("change: First version.", "change: \"First version.", 6)]
    public void Malformed_yaml_is_reported_at_its_line(string field, string replacement, int line) =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f.Replace(field, replacement, StringComparison.Ordinal))), line, "the YAML is malformed");

    [Theory]
    [InlineData("title")]
    [InlineData("summary")]
    [InlineData("category")]
    [InlineData("date")]
    [InlineData("change")]
    [InlineData("author")]
    public void A_missing_required_field_is_reported(string field) =>
        AssertOnly(ContentTree.LoadArticle(Article(f => string.Join('\n', f.Split('\n').Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal))))),
            1, $"the required field '{field}' is missing");

    [Theory]
    [InlineData("title")]
    [InlineData("summary")]
    public void An_empty_required_field_is_reported(string field) =>
        AssertOnly(ContentTree.LoadArticle(Article(f => string.Join('\n', f.Split('\n').Select(l => l.StartsWith(field + ":", StringComparison.Ordinal) ? field + ":" : l)))),
            1, $"the required field '{field}' is missing or empty");

    [Fact]
    public void An_unknown_field_is_reported_at_its_line() =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f.Replace("summary:", "sumary:", StringComparison.Ordinal) + "\nsummary: x")), 3, "unknown field 'sumary'");

    [Fact]
    public void A_duplicate_field_is_reported_at_its_line() =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f + "\ntitle: Again")), 8, "'title' is given twice");

    [Fact]
    public void An_unknown_category_is_reported() =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f.Replace("treatment-evidence", "treatments", StringComparison.Ordinal))), 4, "unknown category 'treatments'");

    [Theory]
    [InlineData("22/11/2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-11-22T10:00")]
    public void A_bad_date_is_reported(string date) =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f.Replace("2026-11-22", date, StringComparison.Ordinal))), 5, $"the date '{date}' is not a date");

    [Fact]
    public void A_bad_order_is_reported() =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f + "\norder: first")), 8, "order 'first' is not a whole number");

    [Fact]
    public void Order_is_read()
    {
        var set = ContentTree.LoadArticle(Article(f => f + "\norder: 3"));
        ProblemAssert.None(set);
        Assert.Equal(3, Assert.Single(set.Versions).FrontMatter.Order);
    }

    [Fact]
    public void A_field_with_a_list_is_reported() =>
        AssertOnly(ContentTree.LoadArticle(Article(f => f.Replace("title: Treatments that have been studied", "title:\n  - a\n  - b", StringComparison.Ordinal))), 2, "must be a single value");

    [Fact]
    public void A_page_has_no_category()
    {
        using var tree = new ContentTree().Write("pages/about/1.md", "---\n" + Fields + "\n---\n" + ContentTree.Body);
        AssertOnly(tree.Load(), 4, "pages have no category", "pages/about/1.md");
    }

    [Fact]
    public void A_page_needs_no_category()
    {
        using var tree = new ContentTree().Page("about");
        var set = tree.Load();
        ProblemAssert.None(set);
        var page = Assert.Single(set.Versions);
        Assert.Equal((ContentKind.Page, "about", null), (page.Kind, page.Slug, page.FrontMatter.Category));
    }
}
