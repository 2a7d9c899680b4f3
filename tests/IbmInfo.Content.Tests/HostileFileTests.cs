namespace IbmInfo.Content.Tests;

/// <summary>Files written to break the loader: each becomes a problem for that file, and the other files still load.</summary>
public class HostileFileTests
{
    private static void AssertRefusedAlone(ContentTree tree, string file, string fragment)
    {
        tree.Article("good");
        var set = tree.Load();
        Assert.True(set.Problems.Any(p => p.File == file && p.Message.Contains(fragment, StringComparison.Ordinal)),
            $"expected a problem in {file} with '{fragment}', got:\n{ProblemAssert.List(set)}");
        Assert.All(set.Problems, p => Assert.Equal(file, p.File));
        Assert.Contains(set.Versions, v => v.File == "articles/good/1.md");
        Assert.DoesNotContain(set.Versions, v => v.File == file);
    }

    [Theory]
    [InlineData("title: [unclosed\nsummary: x\n")]
    [InlineData("title: {unclosed\nsummary: x\n")]
    public void An_unclosed_bracket_before_the_last_line_of_front_matter_is_a_problem(string yaml)
    {
        using var tree = new ContentTree().Write("articles/bad/1.md", $"---\n{yaml}---\n\n## Intro\n\nText.\n");
        AssertRefusedAlone(tree, "articles/bad/1.md", "on this line is never closed");
    }

    [Theory]
    [InlineData(">", 10_000)]
    [InlineData("- ", 200)]
    [InlineData("[", 20_000)]
    [InlineData("> - ", 5_000)]
    public void Deeply_nested_markdown_is_a_problem(string unit, int count)
    {
        var body = unit == "- "
            ? string.Concat(Enumerable.Range(0, count).Select(i => new string(' ', i * 2) + "- item\n"))
            : "## Intro\n\n" + string.Concat(Enumerable.Repeat(unit, count)) + " text\n";
        using var tree = new ContentTree().Article("bad", body: body);
        AssertRefusedAlone(tree, "articles/bad/1.md", "nested");
    }

    [Fact]
    public void Deeply_nested_yaml_is_a_problem_not_a_crash()
    {
        using var tree = new ContentTree().Write("articles/bad/1.md",
            "---\ntitle: " + new string('[', 100_000) + "\n---\n\n## Intro\n\nText.\n");
        AssertRefusedAlone(tree, "articles/bad/1.md", "nested");
    }

    [Fact]
    public void A_dangling_symlink_is_a_problem()
    {
        using var tree = new ContentTree();
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles/bad"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "articles/bad/1.md"), Path.Combine(tree.Root, "nowhere.md"));
        AssertRefusedAlone(tree, "articles/bad/1.md", "link");
    }

    [Fact]
    public void Deeply_nested_block_yaml_is_a_problem_not_a_crash()
    {
        using var tree = new ContentTree().Write("articles/bad/1.md",
            "---\ntitle: x\nsummary:\n" + string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n---\n\n## Intro\n\nText.\n");
        AssertRefusedAlone(tree, "articles/bad/1.md", "nested more than");
    }

    [Fact]
    public void Deeply_nested_references_are_a_problem_for_that_file()
    {
        using var tree = new ContentTree(references: ContentTree.References + "\nc: " + new string('{', 100_000) + "\n");
        tree.Article("good", body: "## Intro\n\nNo citations.\n");
        var set = tree.Load();
        ProblemAssert.Only(set, "references.yml", 15, "nested more than");
        Assert.Single(set.Versions);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_a_problem_and_is_not_read()
    {
        using var tree = new ContentTree().Article("bad", body: "## Intro\n\n" + new string('a', ContentLimits.MaxVersionFileBytes));
        AssertRefusedAlone(tree, "articles/bad/1.md", "over the limit of 256 KB");
    }

    [Theory]
    [InlineData("title: Bad\u0007 title\n", 2, "the control character U+0007")]
    [InlineData("title: \"Bad\\u0007 title\"\n", 2, "the control character U+0007")]
    [InlineData("title: \"Bad\\0 title\"\n", 2, "a NUL character")]
    [InlineData("title: \"Bad \\uD800 title\"\n", 2, "surrogate")]
    [InlineData("title: Bad \uFFFE title\n", 2, "the noncharacter U+FFFE")]
    [InlineData("title: Bad \uFFFF title\n", 2, "the noncharacter U+FFFF")]
    [InlineData("title: Bad\r title\n", 2, "a carriage return on its own")]
    public void A_forbidden_character_in_a_field_is_a_problem_at_its_line(string titleLine, int line, string fragment)
    {
        using var tree = new ContentTree().Write("articles/bad/1.md",
            ContentTree.ArticleFrontMatter.Replace("title: Treatments that have been studied\n", titleLine, StringComparison.Ordinal) + ContentTree.Body);
        var set = tree.Load();
        ProblemAssert.Has(set, "articles/bad/1.md", line, fragment);
        Assert.Empty(set.Versions);
    }

    [Theory]
    [InlineData("Text with a NUL \0 in it.", "a NUL character")]
    [InlineData("Text with a bell \u0007 in it.", "the control character U+0007")]
    [InlineData("Text with a \u0085 next-line.", "the control character U+0085")]
    [InlineData("A reference &#7; to a bell.", "'&#7;' stands for a character")]
    [InlineData("A reference &#xFFFE; to a noncharacter.", "'&#xFFFE;' stands for a character")]
    [InlineData("A reference &#xD800; to a surrogate.", "'&#xD800;' stands for a character")]
    public void A_forbidden_character_in_the_body_is_a_problem_at_its_line(string text, string fragment)
    {
        using var tree = new ContentTree().Article("bad", body: "## Intro\n\n" + text + "\n");
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/bad/1.md", 11, fragment);
    }

    [Fact]
    public void Emoji_and_accents_are_characters_like_any_other()
    {
        using var tree = new ContentTree().Article("fine", body: "## Intro\n\nCaf\u00e9, Ŵ ŷ, ≥ →, 👍🏽 and a tab\there [@a].\n");
        ProblemAssert.None(tree.Load());
    }

    [Fact]
    public void A_symlink_out_of_the_content_folder_is_a_problem()
    {
        using var outside = new ContentTree().Article("secret");
        using var tree = new ContentTree();
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles/bad"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "articles/bad/1.md"), Path.Combine(outside.Root, "articles/secret/1.md"));
        AssertRefusedAlone(tree, "articles/bad/1.md", "outside the content folder");
    }

    [Fact]
    public void A_symlinked_folder_out_of_the_content_folder_is_a_problem()
    {
        using var outside = new ContentTree().Article("secret");
        using var tree = new ContentTree();
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles"));
        Directory.CreateSymbolicLink(Path.Combine(tree.Root, "articles/bad"), Path.Combine(outside.Root, "articles/secret"));
        AssertRefusedAlone(tree, "articles/bad", "outside the content folder");
    }

    [Fact]
    public void A_symlink_within_the_content_folder_is_followed()
    {
        using var tree = new ContentTree().Article("good").Write("shared/text.md", ContentTree.ArticleFrontMatter + ContentTree.Body);
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles/linked"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "articles/linked/1.md"), "../good/1.md");
        var set = tree.Load();
        ProblemAssert.Only(set, "shared", 1, "nothing is read from here");
        Assert.Contains(set.Versions, v => v.File == "articles/linked/1.md");
    }

    [Fact]
    public async Task A_fifo_is_a_problem_and_is_never_opened()
    {
        using var tree = new ContentTree();
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles/bad"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(tree.Root, "articles/bad/1.md")))
            await mkfifo.WaitForExitAsync();
        // Opening a FIFO for reading blocks until a writer comes: a load that opened it would never finish.
        await Task.Run(() => AssertRefusedAlone(tree, "articles/bad/1.md", "not an ordinary file")).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void An_empty_file_and_a_folder_named_like_a_version_are_problems()
    {
        using var tree = new ContentTree().Write("articles/bad/1.md", "");
        Directory.CreateDirectory(Path.Combine(tree.Root, "articles/bad/2.md"));
        tree.Article("good");
        var set = tree.Load();
        ProblemAssert.Has(set, "articles/bad/1.md", 1, "the file is empty");
        ProblemAssert.Has(set, "articles/bad/2.md", 1, "this is a folder where a file should be");
        Assert.Equal(["articles/good/1.md"], set.Versions.Select(v => v.File));
    }

    [Theory]
    [InlineData("notes.md", "nothing is read from here")]
    [InlineData("drafts/1.md", "nothing is read from here")]
    [InlineData("articles/loose.md", "a file directly in articles/ is not read")]
    [InlineData("pages/loose.md", "a file directly in pages/ is not read")]
    public void A_file_where_no_content_lives_is_a_problem(string path, string fragment)
    {
        using var tree = new ContentTree().Article("good").Write(path, ContentTree.ArticleFrontMatter + ContentTree.Body);
        var set = tree.Load();
        ProblemAssert.Only(set, path.Split('/')[0] == "drafts" ? "drafts" : path, 1, fragment);
        Assert.Equal(["articles/good/1.md"], set.Versions.Select(v => v.File));
    }

    [Fact]
    public void A_subfolder_of_an_article_is_a_problem()
    {
        using var tree = new ContentTree().Article("good").Write("articles/good/old/1.md", ContentTree.ArticleFrontMatter + ContentTree.Body);
        var set = tree.Load();
        ProblemAssert.Only(set, "articles/good/old", 1, "folders inside an article's or page's folder are not read");
        Assert.Equal(["articles/good/1.md"], set.Versions.Select(v => v.File));
    }

    [Fact]
    public void A_control_character_in_a_file_name_cannot_forge_a_line_of_the_report()
    {
        using var tree = new ContentTree().Write("articles/good/1\nx.md", "text");
        var problem = tree.Load().Problems.First(p => p.File.EndsWith("x.md", StringComparison.Ordinal));
        Assert.Equal("articles/good/1\nx.md", problem.File);
        Assert.DoesNotContain('\n', problem.ToString());
        Assert.StartsWith("articles/good/1\\u000ax.md:1: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("## References\n\nText.\n", 9, "'#references' is one the page uses for its own reference list")]
    [InlineData("## Ref 2\n\nText.\n", 9, "'#ref-2' is one the page uses")]
    [InlineData("## Start {#main}\n\nText.\n", 9, "'#main' is one the page uses for its own parts")]
    [InlineData("## Ask us {#follow-up}\n\nText.\n", 9, "'#follow-up' is one the page uses")]
    [InlineData("## One {#same}\n\nText.\n\n## Two {#same}\n\nText.\n", 13, "already used by the heading on line 9")]
    [InlineData("## Summary\n\nText.\n\n## Summary\n\nText.\n", 13, "repeats the words of the heading on line 9")]
    public void A_heading_anchor_that_clashes_or_repeats_is_a_problem(string body, int line, string fragment)
    {
        using var tree = new ContentTree().Article("bad", body: body);
        ProblemAssert.Only(tree.Load(), "articles/bad/1.md", line, fragment);
    }

    [Fact]
    public void Repeated_heading_words_with_anchors_of_their_own_are_fine()
    {
        using var tree = new ContentTree().Article("fine", body: "## Summary {#summary-patients}\n\nText.\n\n## Summary {#summary-clinicians}\n\nText.\n");
        ProblemAssert.None(tree.Load());
    }

    [Fact]
    public void An_audience_block_left_open_is_a_problem()
    {
        using var tree = new ContentTree().Article("bad", body: "## Intro\n\n::: patient\nFor patients.\n\n## Next\n\nMore.\n");
        ProblemAssert.Only(tree.Load(), "articles/bad/1.md", 11, "this audience block is never closed");
    }

    [Theory]
    [InlineData("See [the charity](http://www.example.org/ibm).")]
    [InlineData("See <http://www.example.org/ibm>.")]
    public void An_http_link_is_a_problem_because_the_format_says_https(string text)
    {
        using var tree = new ContentTree().Article("bad", body: "## Intro\n\n" + text + "\n");
        ProblemAssert.Only(tree.Load(), "articles/bad/1.md", 11, "use an https:// address");
    }
}
