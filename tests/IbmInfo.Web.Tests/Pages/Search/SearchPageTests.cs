using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.Search;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Search;

public sealed class SearchPageTests(SearchPageTests.Site site) : SharedAppTest<SearchPageTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("swallowing", 1, """
                ## Eating

                Food can stick in the throat.
                """, title: "Swallowing problems", category: "living-with-ibm");
            Content.WriteArticle("falls", 1, """
                ## Falls

                Weak thighs make falls more likely. Some people also have swallowing difficulty later.

                ::: patient
                Steroids do not help.
                :::

                ::: clinician
                Corticosteroids are ineffective.
                :::
                """, title: "Preventing falls", category: "living-with-ibm");
            Content.WriteArticle("falls", 2, """
                ## Falls

                A walking aid helps on stairs.
                """, title: "Preventing falls", category: "living-with-ibm", change: "Rewritten.");
        }
    }

    private readonly HttpClient _client = site.App.CreateClient();

    [Fact]
    public async Task Results_rank_a_title_match_above_a_body_match_and_mark_the_words()
    {
        await ApproveAsync("falls", 1);
        var (status, page) = await _client.GetPageAsync("/search?q=swallowing");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2 results for “swallowing”.", page.Text(".search-count"));
        var results = page.QuerySelectorAll(".search-results li");
        Assert.Equal("/articles/swallowing", results[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Swallowing", results[0].QuerySelector("h2 mark")!.TextContent);
        Assert.Equal("/articles/falls", results[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("swallowing", results[1].QuerySelector(".search-snippet mark")!.TextContent);
    }

    [Fact]
    public async Task Only_the_version_readers_see_is_searched_and_a_review_step_shows_at_once()
    {
        // falls v2 is current (nothing approved: the latest); v1's words are not found.
        var (_, old) = await _client.GetPageAsync("/search?q=thighs");
        Assert.Equal("No results for “thighs”.", old.Text(".search-count"));

        await ApproveAsync("falls", 1);
        var (_, approved) = await _client.GetPageAsync("/search?q=thighs");
        Assert.Equal("1 result for “thighs”.", approved.Text(".search-count"));
        var (_, newer) = await _client.GetPageAsync("/search?q=stairs");
        Assert.Equal("No results for “stairs”.", newer.Text(".search-count"));

        // Withdrawn: readers are back on the latest version, v2, and so is search.
        await StepAsync("falls", 1, ReviewStatus.Retired, "Withdrawn for a test.");
        var (_, retired) = await _client.GetPageAsync("/search?q=thighs");
        Assert.Equal("No results for “thighs”.", retired.Text(".search-count"));
        var (_, latest) = await _client.GetPageAsync("/search?q=stairs");
        Assert.Equal("1 result for “stairs”.", latest.Text(".search-count"));
    }

    [Fact]
    public async Task A_new_version_from_a_content_sync_is_searched_at_once()
    {
        var (_, before) = await _client.GetPageAsync("/search?q=ramps");
        Assert.Equal("No results for “ramps”.", before.Text(".search-count"));

        Content.WriteArticle("falls", 3, "## Falls\n\nRamps help at the front door.\n", title: "Preventing falls", category: "living-with-ibm", change: "Ramps.");
        await App.SyncAsync();

        var (_, after) = await _client.GetPageAsync("/search?q=ramps");
        Assert.Equal("1 result for “ramps”.", after.Text(".search-count"));
        var (_, replaced) = await _client.GetPageAsync("/search?q=stairs");
        Assert.Equal("No results for “stairs”.", replaced.Text(".search-count"));
    }

    [Fact]
    public async Task Many_results_come_a_page_at_a_time_with_plain_links_between_pages()
    {
        for (var i = 1; i <= 15; i++)
        {
            Content.WriteArticle($"kayak-{i:00}", 1, $"## Paddling\n\nA kayak trip, number {i}.\n", title: $"Trip {i}", category: "living-with-ibm");
        }
        await App.SyncAsync();

        var (_, first) = await _client.GetPageAsync("/search?q=kayak");
        Assert.Equal("15 results for “kayak”. Page 1 of 2.", Squeeze(first.Text(".search-count")));
        Assert.Equal(IndexModel.PageSize, first.QuerySelectorAll(".search-results li").Length);
        Assert.Null(first.QuerySelector("nav.search-pages a[rel=prev]"));
        var next = first.QuerySelector("nav.search-pages a[rel=next]")!;
        Assert.Equal("/search?q=kayak&page=2", next.GetAttribute("href"));
        Assert.Equal("Next page of results", next.TextContent);

        var (status, second) = await _client.GetPageAsync(next.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("15 results for “kayak”. Page 2 of 2.", Squeeze(second.Text(".search-count")));
        Assert.Equal(5, second.QuerySelectorAll(".search-results li").Length);
        Assert.Null(second.QuerySelector("nav.search-pages a[rel=next]"));
        Assert.Equal("/search?q=kayak", second.QuerySelector("nav.search-pages a[rel=prev]")!.GetAttribute("href"));

        // Every trip once across the two pages: no result repeated, none skipped.
        var urls = first.QuerySelectorAll(".search-results h2 a").Concat(second.QuerySelectorAll(".search-results h2 a"))
            .Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(15, urls.Distinct().Count());
    }

    [Theory]
    [InlineData("99", 2)]
    [InlineData("0", 1)]
    [InlineData("-3", 1)]
    [InlineData("two", 1)]
    [InlineData("99999999999999999999", 1)]
    public async Task A_page_number_out_of_range_or_not_a_number_shows_the_nearest_page(string page, int shown)
    {
        for (var i = 1; i <= 15; i++)
        {
            Content.WriteArticle($"kayak-{i:00}", 1, $"A kayak trip, number {i}.\n", title: $"Trip {i}", category: "living-with-ibm");
        }
        await App.SyncAsync();

        var (status, result) = await _client.GetPageAsync("/search?q=kayak&page=" + page);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Page {shown} of 2.", result.Text(".search-count"));
    }

    [Fact]
    public async Task Results_follow_the_readers_audience_and_fall_back_to_all_text()
    {
        await ApproveAsync("falls", 1);

        var (_, patient) = await _client.GetPageAsync("/search?q=steroids&audience=patient");
        Assert.Equal("1 result for “steroids”.", patient.Text(".search-count"));
        Assert.Null(patient.QuerySelector(".notice"));

        var (_, clinician) = await _client.GetPageAsync("/search?q=steroids&audience=clinician");
        Assert.Contains("None of the text for healthcare professionals has these words", clinician.Text(".notice"));
        Assert.Equal("1 result for “steroids”.", clinician.Text(".search-count"));
    }

    [Fact]
    public async Task Several_words_need_all_of_them_or_say_any_word_results_are_shown()
    {
        var (_, both) = await _client.GetPageAsync("/search?q=food+throat");
        Assert.Equal("1 result for “food throat”.", both.Text(".search-count"));

        var (_, any) = await _client.GetPageAsync("/search?q=food+stairs");  // "stairs" is only in falls v2
        Assert.Contains("2 results", any.Text(".search-count"));
        Assert.Contains("any of your words", any.Text(".search-count"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"swallowing")]
    [InlineData("*")]
    [InlineData("swallow*")]
    [InlineData("NEAR(food throat)")]
    [InlineData("-food")]
    [InlineData("title:food")]
    [InlineData("food OR")]
    [InlineData("AND")]
    [InlineData("'; DROP TABLE Articles; --")]
    [InlineData("^food")]
    [InlineData("{title body}: food")]
    [InlineData("food & throat | !swallowing <-> falls:*")]
    [InlineData("(food OR throat) AND NOT falls")]
    [InlineData("food\\ \\\"throat\\")]
    [InlineData("food:A | throat:*B")]
    public async Task Hostile_or_fts_syntax_queries_get_a_calm_answer(string query)
    {
        var (status, page) = await _client.GetPageAsync("/search?q=" + Uri.EscapeDataString(query));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Search IbmInfo", page.Text("h1"));
        Assert.Equal(query.Trim(), page.QuerySelector("#search-query")!.GetAttribute("value"));
        var (_, home) = await _client.GetPageAsync("/");
        Assert.NotEmpty(home.QuerySelectorAll(".card"));
    }

    [Fact]
    public async Task Control_characters_and_a_2000_character_query_of_syntax_get_results_for_the_words_in_them()
    {
        var (status, page) = await _client.GetPageAsync("/search?q=" + Uri.EscapeDataString("\u0001food\u0007 \u001bthroat\u007f\t"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["/articles/swallowing"], page.QuerySelectorAll(".search-results h2 a").Select(a => a.GetAttribute("href")));

        var syntax = string.Concat(Enumerable.Repeat("\"food\" OR *throat -(NEAR:^ & | !<-> \\", 60))[..2000];
        var (longStatus, longPage) = await _client.GetPageAsync("/search?q=" + Uri.EscapeDataString(syntax));
        Assert.Equal(HttpStatusCode.OK, longStatus);
        Assert.Contains("first 200 characters", longPage.Text(".notice"));
        Assert.Equal(["/articles/swallowing"], longPage.QuerySelectorAll(".search-results h2 a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_query_is_echoed_escaped_never_as_markup()
    {
        using var response = await _client.GetAsync("/search?q=" + Uri.EscapeDataString("<script>alert(1)</script> food"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; food", html);
    }

    [Fact]
    public async Task Empty_and_wordless_queries_get_advice_instead_of_results()
    {
        var (emptyStatus, empty) = await _client.GetPageAsync("/search?q=");
        Assert.Equal(HttpStatusCode.OK, emptyStatus);
        Assert.Contains("Type one or two words", empty.Text("main"));
        Assert.Null(empty.QuerySelector(".search-count"));

        var (_, symbols) = await _client.GetPageAsync("/search?q=" + Uri.EscapeDataString("*** \"\" --"));
        Assert.Contains("could not find any words to search for", symbols.Text("main"));
    }

    [Fact]
    public async Task A_very_long_query_is_cut_to_200_characters_and_says_so()
    {
        var query = "food " + new string('x', 500);
        var (status, page) = await _client.GetPageAsync("/search?q=" + query);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("first 200 characters", page.Text(".notice"));
        Assert.Equal(200, page.QuerySelector("#search-query")!.GetAttribute("value")!.Length);
    }

    private Task StepAsync(string slug, int number, ReviewStatus to, string? note = null) => App.StepAsync(slug, number, to, note);

    private async Task ApproveAsync(string slug, int number)
    {
        await StepAsync(slug, number, ReviewStatus.UnderReview);
        await StepAsync(slug, number, ReviewStatus.Approved);
    }

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
