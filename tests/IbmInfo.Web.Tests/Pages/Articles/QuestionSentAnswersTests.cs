using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>After a question is sent, the confirmation shows the sections of our current articles that match it.</summary>
public sealed class QuestionSentAnswersTests(QuestionSentAnswersTests.Site site) : SharedAppTest<QuestionSentAnswersTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("staying-active", 1, """
                ## Walking

                A walking aid helps on stairs.

                ## Exercise {#exercise}

                Gentle exercise helps you stay strong. Too much exercise can tire the muscles.
                """, title: "Staying active", category: "management");
            Content.WriteArticle("swallowing", 1, """
                ## Eating

                Swallowing can become hard. A speech and language therapist can help.
                """, title: "Swallowing problems", category: "living-with-ibm");
        }
    }

    private async Task<(HttpResponseMessage Response, HttpClient Client)> AskAsync(string question)
    {
        var client = App.CreateBrowser();
        var (_, article) = await client.GetPageAsync("/articles/swallowing");
        var response = await client.SubmitAsync(article, ".follow-up form", ("question", question));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (response, client);
    }

    [Fact]
    public async Task The_sections_that_match_the_question_are_listed_with_their_anchor_and_review_status()
    {
        await App.SyncAsync();
        await App.StepAsync("staying-active", 1, ReviewStatus.UnderReview);
        await App.StepAsync("staying-active", 1, ReviewStatus.Approved);
        var (response, client) = await AskAsync("Can I still do exercise, or will it make me worse?");
        var location = response.Headers.Location!.OriginalString;
        Assert.DoesNotContain("exercise", location, StringComparison.OrdinalIgnoreCase);

        using var sent = await client.GetAsync(location);
        Assert.Equal("no-store", sent.Headers.CacheControl!.ToString());
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await sent.Content.ReadAsStringAsync());
        var answers = page.QuerySelectorAll(".answer-list li");
        var first = answers[0];
        Assert.Equal("Exercise", first.QuerySelector("h3 a")!.TextContent);
        Assert.Equal("/articles/staying-active#exercise", first.QuerySelector("h3 a")!.GetAttribute("href"));
        Assert.Contains("Staying active", first.TextContent);
        Assert.Equal("Reviewed", first.QuerySelector(".badge")!.TextContent);
        Assert.Contains("exercise", first.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.DoesNotContain("Can I still do exercise", page.Text("main"));

        // The question reached the editors as before.
        await App.WithDbAsync(async db => Assert.Equal("Can I still do exercise, or will it make me worse?", (await db.Questions.SingleAsync()).Question));

        // Read once: a reload shows the confirmation without them.
        var (_, reloaded) = await client.GetPageAsync(location);
        Assert.Null(reloaded.QuerySelector(".question-answers"));
        Assert.Contains("your question has been sent", reloaded.Text("h1"));
    }

    [Fact]
    public async Task A_pending_section_is_marked_pending()
    {
        var (response, client) = await AskAsync("Is swallowing going to get hard?");
        var (_, page) = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        var first = page.QuerySelectorAll(".answer-list li")[0];
        Assert.Equal("/articles/swallowing#eating", first.QuerySelector("h3 a")!.GetAttribute("href"));
        Assert.Equal("Pending review", first.QuerySelector(".badge")!.TextContent);
    }

    [Fact]
    public async Task When_nothing_matches_the_page_says_so_plainly()
    {
        var (response, client) = await AskAsync("What about my pension?");
        var (_, page) = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("None of our articles has a section that matches your question", page.Text(".question-answers"));
        Assert.Empty(page.QuerySelectorAll(".answer-list li"));
    }
}
