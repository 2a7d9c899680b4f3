using System.Net;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Search;

/// <summary>Search as patients type: misspellings, their own words for things, questions, and a search that finds nothing.</summary>
/// <remarks>Every test only searches, so the class shares one app (<see cref="SharedApp"/>).</remarks>
public sealed class SearchAsPatientsTypeTests(SearchAsPatientsTypeTests.Site site) : SharedAppTest<SearchAsPatientsTypeTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("about-ibm", 1, """
                ## What it is

                Inclusion body myositis is a muscle disease that gets slowly worse.
                """, title: "About inclusion body myositis", category: "about-ibm");
            Content.WriteArticle("swallowing", 1, """
                ## Eating

                Swallowing can become hard. A speech and language therapist can help.
                """, title: "Swallowing problems", category: "living-with-ibm");
            Content.WriteArticle("treatments", 1, """
                ## Medicines

                Steroids have not been shown to help. There is no proven treatment yet.
                """, title: "Treatments that have been studied", category: "treatment-evidence");
            Content.WriteArticle("staying-active", 1, """
                ## Exercise

                Gentle exercise and physiotherapy help you stay strong for longer.
                """, title: "Staying active", category: "management");
            Content.Write("synonyms.yml", """
                cure: [treatment]
                choking: [swallowing]
                prednisolone: [steroids]
                physio: [physiotherapy]
                """);
        }
    }

    private async Task<AngleSharp.Dom.IDocument> SearchAsync(string query)
    {
        using var client = App.CreateClient();
        var (status, page) = await client.GetPageAsync("/search?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, status);
        return page;
    }

    private static List<string> ResultLinks(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll(".search-results h2 a").Select(a => a.GetAttribute("href")!).ToList();

    [Theory]
    [InlineData("myosytis", "myositis", "/articles/about-ibm")]
    [InlineData("swalowing", "swallowing", "/articles/swallowing")]
    [InlineData("steriods", "steroids", "/articles/treatments")]
    public async Task A_misspelt_word_gets_a_did_you_mean_link_and_the_results_for_it(string typed, string meant, string found)
    {
        var page = await SearchAsync(typed);
        var link = page.QuerySelector(".did-you-mean a")!;
        Assert.Equal(meant, link.TextContent);
        Assert.Equal("/search?q=" + meant, link.GetAttribute("href"));
        Assert.Contains($"results for “{meant}”", page.Text(".notice"));
        Assert.Contains(found, ResultLinks(page));
    }

    [Fact]
    public async Task A_word_three_edits_from_a_title_word_is_suggested_by_trigrams_on_postgresql_only()
    {
        // "mytosis" is three edits from "myositis": beyond the vocabulary's rule, within pg_trgm's similarity.
        var page = await SearchAsync("mytosis");
        if (TestDatabase.IsPostgreSql)
        {
            Assert.Equal("myositis", page.QuerySelector(".did-you-mean a")!.TextContent);
            Assert.Equal(["/articles/about-ibm"], ResultLinks(page));
        }
        else
        {
            Assert.Null(page.QuerySelector(".did-you-mean"));
            Assert.Equal("No results for “mytosis”.", page.Text(".search-count"));
        }
    }

    [Fact]
    public async Task A_word_spelt_right_gets_no_suggestion()
    {
        var page = await SearchAsync("swallowing");
        Assert.Null(page.QuerySelector(".did-you-mean"));
        Assert.Equal(["/articles/swallowing"], ResultLinks(page));
    }

    [Theory]
    [InlineData("cure", "/articles/treatments", "treatment")]
    [InlineData("choking", "/articles/swallowing", "Swallowing")]
    [InlineData("prednisolone", "/articles/treatments", "Steroids")]
    [InlineData("physio", "/articles/staying-active", "physiotherapy")]
    public async Task A_readers_word_finds_the_word_the_articles_use(string typed, string found, string marked)
    {
        var page = await SearchAsync(typed);
        Assert.Equal([found], ResultLinks(page));
        Assert.Contains(marked, page.QuerySelectorAll(".search-results mark").Select(m => m.TextContent));
        Assert.Null(page.QuerySelector(".did-you-mean"));
    }

    [Fact]
    public async Task A_question_is_searched_by_its_meaningful_words()
    {
        var page = await SearchAsync("can I exercise");
        Assert.Equal(["/articles/staying-active"], ResultLinks(page));
        Assert.Equal("1 result for “can I exercise”.", page.Text(".search-count"));
        Assert.Equal(["exercise"], page.QuerySelectorAll(".search-results mark").Select(m => m.TextContent.ToLowerInvariant()).Distinct());
        Assert.Contains("Searched for: exercise", page.Text("main"));
    }

    [Fact]
    public async Task A_search_that_finds_nothing_lists_the_topics_and_says_what_the_site_does_not_cover()
    {
        var page = await SearchAsync("zzzqqq");
        Assert.Equal("No results for “zzzqqq”.", page.Text(".search-count"));
        Assert.Null(page.QuerySelector(".did-you-mean"));
        var main = page.Text("main");
        Assert.Contains("It has no information yet on life expectancy, whether IBM runs in families, diet, or driving.", main);
        var topics = page.QuerySelectorAll("main li a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/articles/about-ibm", topics);
        Assert.Contains("/articles/staying-active", topics);
        Assert.Contains("Managing IBM", page.QuerySelectorAll("main h3").Select(h => h.TextContent));
    }

    [Fact]
    public async Task The_two_search_forms_have_different_names()
    {
        var page = await SearchAsync("exercise");
        var forms = page.QuerySelectorAll("form[role=search]");
        Assert.Equal(2, forms.Length);
        Assert.Equal("search-heading", forms[1].GetAttribute("aria-labelledby"));
        Assert.Null(forms[0].GetAttribute("aria-labelledby"));
    }
}
