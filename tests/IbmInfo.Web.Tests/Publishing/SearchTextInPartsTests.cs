using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>A long text is searched whole and its snippet shows where it matched, however far in.</summary>
public sealed class SearchTextInPartsTests : AppTest
{
    private static string Paragraphs(int count, int marked, string word) => string.Join("\n\n", Enumerable.Range(1, count).Select(i =>
        $"Paragraph {i} tells of a quiet morning walk along the river with friends and family, of bread, tea and the garden"
        + $" gate, of the weather turning and the long way home past the market and the school{(i == marked ? $", and of a {word} heard from an open window" : "")}."));

    [Fact]
    public async Task A_word_near_the_end_of_a_long_text_is_found_and_marked_in_a_short_snippet()
    {
        Content.WriteArticle("long-read", 1, "## Walks\n\n" + Paragraphs(80, 78, "harpsichord") + "\n", title: "Walking in all weathers");
        Content.WriteArticle("short-read", 1, "## Music\n\nA harpsichord and a harpsichord again.\n", title: "Music at home");
        using var client = App.CreateClient();

        var (_, page) = await client.GetPageAsync("/search?q=harpsichord");

        Assert.Equal("2 results for “harpsichord”.", page.Text(".search-count"));
        var results = page.QuerySelectorAll(".search-results li");
        var snippets = results.ToDictionary(r => r.QuerySelector("a")!.GetAttribute("href")!, r => r.QuerySelector(".search-snippet")!);
        var far = snippets["/articles/long-read"];
        Assert.Equal("harpsichord", far.QuerySelector("mark")!.TextContent);
        Assert.StartsWith("…", far.TextContent.Trim());
        Assert.EndsWith("…", far.TextContent.Trim());
        Assert.True(far.TextContent.Length < 400, far.TextContent);
        // The text with the word twice, in fewer words, ranks first, as before the text was kept in parts.
        Assert.Equal("/articles/short-read", results[0].QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void A_text_is_cut_at_line_ends_into_at_most_eight_parts_that_join_up_to_it()
    {
        var text = Paragraphs(200, 0, "");
        var parts = SqliteSearchIndex.Cut(text);

        Assert.Equal(SqliteSearchIndex.Parts, parts.Count);
        Assert.Equal(text, string.Concat(parts));
        Assert.All(parts[..^1], p => Assert.EndsWith("\n", p));
        Assert.All(parts[..^1], p => Assert.True(p.Length >= SqliteSearchIndex.LeastPartLength));

        Assert.Equal(["A short text.\nTwo lines."], SqliteSearchIndex.Cut("A short text.\nTwo lines."));
        var oneLine = new string('a', 5 * SqliteSearchIndex.LeastPartLength);
        Assert.Equal([oneLine], SqliteSearchIndex.Cut(oneLine));
        Assert.Equal([""], SqliteSearchIndex.Cut(""));
    }
}
