namespace IbmInfo.Content.Tests;

/// <summary>One test per rule of references.yml. A bad reference is left out; the others still load.</summary>
public class ReferencesTests
{
    private const string File = ContentLoader.ReferencesFile;

    /// <summary>A valid reference 'x' on lines 1–6 (kind on 2, year on 6), then <paramref name="more"/> from line 7.</summary>
    private static string X(string more = "", Func<string, string>? edit = null) =>
        (edit ?? (s => s))("x:\n  kind: Review\n  authors: Rose MR\n  title: Treatment\n  publisher: Cochrane\n  year: 2015\n") + more;

    private const string Good = "good:\n  kind: Guideline\n  authors: NICE\n  title: Guidance\n  publisher: NICE\n  year: 2020\n";

    private static ContentSet Load(string yaml)
    {
        using var tree = new ContentTree(references: yaml);
        return tree.Load();
    }

    [Fact]
    public void Valid_references_are_read()
    {
        var set = Load(X("  pmid: \"12345678\"\n  doi: 10.1002/14651858.CD001555.pub5\n  url: https://example.org/x\n") + "pi:\n  kind: Patient information\n  authors: Myositis UK\n  title: IBM\n  publisher: Myositis UK\n  year: 2024\n"
            + "web:\n  kind: Web page\n  title: An answer\n  publisher: A service\n  year: 2025\n");
        ProblemAssert.None(set);
        Assert.Equal(new Reference("x", ReferenceKind.Review, "Rose MR", "Treatment", "Cochrane", 2015, "12345678", "10.1002/14651858.CD001555.pub5", "https://example.org/x"), set.References["x"]);
        Assert.Equal("https://doi.org/10.1002/14651858.CD001555.pub5", set.References["x"].Link);
        Assert.Equal("Patient information", set.References["pi"].KindLabel);
        Assert.Equal("Web page", set.References["web"].KindLabel);
    }

    [Fact]
    public void A_web_page_without_a_date_gives_the_day_it_was_read_and_a_source_may_name_no_author()
    {
        var set = Load("page:\n  kind: Patient information\n  title: IBM treatment\n  publisher: A charity\n  accessed: 2026-12-01\n  note: Not dated.\n"
            + X(edit: s => s.Replace("  year: 2015\n", "  year: 2015\n  accessed: 2026-11-30\n", StringComparison.Ordinal)));
        ProblemAssert.None(set);
        var page = set.References["page"];
        Assert.Equal(("", null, new DateOnly(2026, 12, 1), "Not dated."), (page.Authors, page.Year, page.Accessed, page.Note));
        Assert.Equal("no date (accessed 1 December 2026)", page.DateLabel);
        Assert.Equal("2015 (accessed 30 November 2026)", set.References["x"].DateLabel);
        Assert.Equal("2015", (set.References["x"] with { Accessed = null }).DateLabel);
    }

    [Fact]
    public void A_missing_references_file_is_reported()
    {
        using var tree = new ContentTree(references: null).Article("x", body: "## Intro\n\nNo citation.\n");
        var set = tree.Load();
        ProblemAssert.Only(set, File, 1, "the references file is missing");
        Assert.Single(set.Versions);
    }

    [Theory]
    [InlineData("x:\n  kind: Review\n  title: [unclosed\n", 3)]
    [InlineData("x:\n  kind: Review\n authors: bad indent\n", 3)]
    [InlineData("x:\n  kind: Review\n  title: \"unclosed\n", 3)]
    public void Malformed_yaml_is_reported_at_its_line(string yaml, int line) =>
        ProblemAssert.Only(Load(yaml), File, line, "the YAML is malformed");

    [Fact]
    public void A_file_that_is_not_a_mapping_is_reported() =>
        ProblemAssert.Only(Load("- a\n- b\n"), File, 1, "must map each reference key to its fields");

    [Theory]
    [InlineData("kind: Review", "kind: Book", 2, "unknown kind 'Book'")]
    [InlineData("year: 2015", "year: 15", 6, "the year '15' is not a plausible year")]
    [InlineData("year: 2015", "year: 2015a", 6, "the year '2015a'")]
    [InlineData("year: 2015", "year: 3015", 6, "the year '3015'")]
    [InlineData("  kind: Review\n", "", 1, "the reference 'x' has no 'kind'")]
    [InlineData("  title: Treatment\n", "  title:\n", 1, "the reference 'x' has no 'title'")]
    [InlineData("  publisher: Cochrane\n", "", 1, "has no 'publisher'")]
    [InlineData("  year: 2015\n", "", 1, "has no 'year'; for a web page that carries no date, give 'accessed: YYYY-MM-DD'")]
    [InlineData("year: 2015", "accessed: 1 December 2026", 6, "the access date '1 December 2026' must be a past date written YYYY-MM-DD")]
    [InlineData("year: 2015", "accessed: 2999-01-01", 6, "the access date '2999-01-01'")]
    [InlineData("title: Treatment", "title: [a, b]", 4, "the field 'title' of reference 'x' must be a single value")]
    public void A_bad_field_is_reported_at_its_line(string field, string replacement, int line, string fragment)
    {
        var set = Load(X(edit: s => s.Replace(field, replacement, StringComparison.Ordinal)) + Good);
        ProblemAssert.Only(set, File, line, fragment);
        Assert.Equal(["good"], set.References.Keys);
    }

    [Theory]
    [InlineData("  pmid: PMID12345678\n", "the PMID 'PMID12345678' must be digits only")]
    [InlineData("  doi: https://doi.org/10.1002/x\n", "the DOI 'https://doi.org/10.1002/x' must look like 10.1234/abc")]
    [InlineData("  doi: 10.1002/has space\n", "the DOI '10.1002/has space'")]
    [InlineData("  url: javascript:alert(1)\n", "the URL 'javascript:alert(1)' must be an absolute https://")]
    [InlineData("  url: www.example.org\n", "the URL 'www.example.org'")]
    [InlineData("  url: http://example.org/\n", "the URL 'http://example.org/' must be an absolute https://")]
    [InlineData("  sumary: typo\n", "unknown field 'sumary' in reference 'x'")]
    public void A_bad_optional_field_is_reported_at_its_line(string more, string fragment)
    {
        var set = Load(X(more) + Good);
        ProblemAssert.Only(set, File, 7, fragment);
        Assert.Equal(["good"], set.References.Keys);
    }

    [Theory]
    [InlineData("Bad_Key")]
    [InlineData("cochrane 2015")]
    [InlineData("-x")]
    public void An_invalid_key_is_reported(string key)
    {
        var set = Load(Good + X().Replace("x:", key + ":", StringComparison.Ordinal));
        ProblemAssert.Only(set, File, 7, $"the reference key '{key}' must be lower-case letters, digits and hyphens");
        Assert.Equal(["good"], set.References.Keys);
    }

    [Fact]
    public void A_reference_without_fields_is_reported() =>
        ProblemAssert.Only(Load(Good + "x: Rose 2015\n"), File, 7, "the reference 'x' must have fields");

    [Fact]
    public void A_duplicate_key_is_reported_with_its_line()
    {
        var set = Load(X() + Good + X());
        ProblemAssert.Only(set, File, 13, "'x' is given twice");
        Assert.Equal(["good", "x"], set.References.Keys.Order());
        Assert.Equal("Rose MR", set.References["x"].Authors);
    }

    [Fact]
    public void A_duplicate_field_is_reported_with_its_line_and_the_rest_is_read()
    {
        var set = Load(X("  year: 2016\n  pmid: x1\n") + Good);
        ProblemAssert.Has(set, File, 7, "'year' is given twice");
        ProblemAssert.Has(set, File, 8, "the PMID 'x1'");
        Assert.Equal(2, set.Problems.Count);
        Assert.Equal(["good"], set.References.Keys);
    }

    [Fact]
    public void A_complex_key_is_reported_not_thrown()
    {
        var set = Load(Good + "? [a, b]\n: c\n");
        ProblemAssert.Has(set, File, 7, "reference key");
        Assert.Contains("good", set.References.Keys);
    }

    [Fact]
    public void A_complex_front_matter_key_is_reported_not_thrown()
    {
        var set = ContentTree.LoadArticle(ContentTree.ArticleFrontMatter.Replace("---\ntitle", "---\n? [a, b]\n: c\ntitle", StringComparison.Ordinal) + ContentTree.Body);
        Assert.NotEmpty(set.Problems);
        Assert.Empty(set.Versions);
    }
}
