namespace IbmInfo.Content.Tests;

/// <summary>One test per body rule. The body starts on line 9 of the file, after the front matter.</summary>
public class BodyValidationTests
{
    private const string File = "articles/test/1.md";

    private static ContentSet Load(string body) => ContentTree.LoadArticle(ContentTree.ArticleFrontMatter + body);

    [Theory]
    [InlineData("## Intro\n\nText.\n\n# Title\n", 13, "a level-1 heading")]
    [InlineData("Title\n=====\n", 9, "a level-1 heading")]
    [InlineData("## Intro\n\n<div>\nText\n</div>\n", 11, "raw HTML is not allowed")]
    [InlineData("## Intro\n\nSome <b>bold</b> text.\n", 11, "raw HTML is not allowed")]
    [InlineData("## Intro\n\nText\n<!-- a note -->\n", 12, "raw HTML is not allowed")]
    [InlineData("## Intro\n\nLine one\nline two <span>x</span>\nline three\n", 12, "raw HTML is not allowed")]
    [InlineData("## Intro\n\nText [@zz].\n", 11, "unknown citation key '@zz'")]
    [InlineData("## Intro\n\nText [@a; @zz].\n", 11, "unknown citation key '@zz'")]
    [InlineData("## Intro\n\nText [@ bad.\n", 11, "malformed citation")]
    [InlineData("## Intro\n\nText [@a, @b].\n", 11, "malformed citation")]
    [InlineData("## Intro\n\n::: warning\nText.\n:::\n", 11, "unknown block '::: warning'")]
    [InlineData("## Intro\n\n::: patient\nText.\n", 11, "this audience block is never closed")]
    [InlineData("## Intro\n\nText.\n:::\n", 12, "':::' closes an audience block, but none is open")]
    [InlineData("## Intro\n\nText [x](javascript:alert(1)).\n", 11, "the link 'javascript:alert(1)' is not allowed")]
    [InlineData("## Intro\n\nText [x](//evil.example/).\n", 11, "the link '//evil.example/' is not allowed")]
    [InlineData("## Intro\n\nText <javascript:alert(1)>.\n", 11, "the link 'javascript:alert(1)' is not allowed")]
    [InlineData("## Intro\n\n![A muscle](https://example.org/muscle.png)\n", 11, "images are not supported")]
    [InlineData("## Intro {onclick=\"alert(1)\"}\n", 9, "only an anchor '{#name}'")]
    [InlineData("## Intro\n\nText [x](https://example.org){.visually-hidden}\n", 11, "only an anchor '{#name}'")]
    public void A_body_problem_is_reported_once_at_its_line(string body, int line, string fragment)
    {
        var set = Load(body);
        ProblemAssert.Only(set, File, line, fragment);
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData("## Intro\n\n::: patient\nA.\n\n::: clinician\nB.\n:::\n:::\n", 14)]
    [InlineData("## Intro\n\n- item\n\n  ::: patient\n  Text.\n  :::\n", 13)]
    [InlineData("## Intro\n\n> ::: clinician\n> Text.\n> :::\n", 11)]
    public void A_nested_audience_block_is_reported(string body, int line)
    {
        var set = Load(body);
        Assert.True(set.Problems.Any(p => p.Line == line && p.Message.Contains("inside", StringComparison.Ordinal)), ProblemAssert.List(set));
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n   \n\n")]
    public void An_empty_body_is_reported(string body)
    {
        var set = Load(body);
        ProblemAssert.Only(set, File, 9, "the body is empty");
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData("## Intro\n\n```\n<div>[@zz] ::: warning\n# not a heading\n```\n")]
    [InlineData("## Intro\n\nThe `<b>` tag and `[@zz]` and `:::` in code.\n")]
    [InlineData("## Steroids {#corticosteroids}\n\n::: patient\nRest [@a].\n:::\n\n::: clinician\nCK [@a; @b].\n:::\n\nSee [the NHS](https://www.nhs.uk/), [us](mailto:help@example.org), [about](/articles/about-ibm), [above](#corticosteroids), <https://example.org>.\n")]
    [InlineData("## Intro\n\nWrite \\[@key] to cite.\n")]
    [InlineData("## Intro\n\n[@Myositis UK](https://www.example.org) is a link.\n")]
    [InlineData("## Table\n\n| Drug | Result |\n|---|---|\n| IVIg | no benefit [@a] |\n")]
    public void Valid_bodies_have_no_problem(string body)
    {
        var set = Load(body);
        ProblemAssert.None(set);
        Assert.Single(set.Versions);
    }
}
