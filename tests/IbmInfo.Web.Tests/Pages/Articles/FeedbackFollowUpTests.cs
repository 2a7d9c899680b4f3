using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>"Was this page useful?" posted as a browser would: counted per version, and after a "No" the optional "what was missing?".</summary>
public sealed class FeedbackFollowUpTests(FeedbackFollowUpTests.Site site) : SharedAppTest<FeedbackFollowUpTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely.\n", title: "Preventing falls");
            Content.WriteArticle("falls", 2, "## Falls\n\nA walking aid helps.\n", title: "Preventing falls", change: "Rewritten.");
        }
    }

    private readonly HttpClient _client = site.App.NoRedirects();

    private async Task<HttpResponseMessage> AnswerAsync(string url, string useful)
    {
        var (_, article) = await _client.GetPageAsync(url);
        return await _client.SubmitAsync(article, ".page-feedback form", ("useful", useful));
    }

    /// <summary>Answers "No" and follows the redirect to the follow-up page.</summary>
    private async Task<(string Url, AngleSharp.Dom.IDocument Page)> SayNoAsync(string url = "/articles/falls")
    {
        using var no = await AnswerAsync(url, "no");
        Assert.Equal(HttpStatusCode.Redirect, no.StatusCode);
        var next = no.Headers.Location!.OriginalString;
        Assert.StartsWith("/articles/falls/feedback/missing?answer=", next);
        var (status, page) = await _client.GetPageAsync(next);
        Assert.Equal(HttpStatusCode.OK, status);
        return (next, page);
    }

    private Task<HttpResponseMessage> SendMissingAsync((string Url, AngleSharp.Dom.IDocument Page) followUp, string missing) =>
        _client.SubmitAsync(followUp.Page, "main form.stacked-form", new() { ["missing"] = missing }, followUp.Url);

    [Fact]
    public async Task Answers_are_counted_per_version_with_the_share_that_found_the_page_useful()
    {
        foreach (var (url, useful) in new[] { ("/articles/falls/v/1", "no"), ("/articles/falls/v/1", "no"), ("/articles/falls/v/1", "yes"), ("/articles/falls", "yes"), ("/articles/falls", "yes"), ("/articles/falls", "yes"), ("/articles/falls", "no") })
        {
            using var response = await AnswerAsync(url, useful);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        var editor = await App.SignedInAsync("ed@example.org", "Editor");

        var (status, page) = await editor.GetPageAsync("/editor/feedback");

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = page.QuerySelectorAll("#useful ~ .table-scroll tbody tr")
            .Select(r => r.QuerySelectorAll("td").Take(5).Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal([["Preventing falls", "Version 2", "3", "1", "75 %"], ["Preventing falls", "Version 1", "1", "2", "33 %"]], rows);
        Assert.Equal("/articles/falls/v/1", page.QuerySelector("#useful ~ .table-scroll tbody tr:last-child a")!.GetAttribute("href"));
        using var anonymous = await _client.GetAsync("/editor/feedback");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_no_asks_what_was_missing_and_the_answer_is_stored_with_it_and_shown_to_editors()
    {
        var followUp = await SayNoAsync("/articles/falls/v/1");
        Assert.Contains("What was missing", followUp.Page.Text("h1"));
        Assert.Contains("has been counted", followUp.Page.Text(".confirmation"));
        await App.WithDbAsync(async db => Assert.False((await db.Feedback.SingleAsync()).Useful));

        using var sent = await SendMissingAsync(followUp, "  Nothing on <b>grab rails</b> in the bathroom.\r\nOr on hip protectors.  ");

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/articles/falls/v/1?feedback=thanks#page-feedback", sent.Headers.Location!.OriginalString);
        await App.WithDbAsync(async db =>
        {
            var feedback = await db.Feedback.SingleAsync();
            Assert.Equal((1, false, "Nothing on <b>grab rails</b> in the bathroom.\nOr on hip protectors."), (feedback.VersionNumber, feedback.Useful, feedback.Missing));
        });
        // Sent again (a reload): the first answer stays.
        using var again = await SendMissingAsync(followUp, "Something else");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await App.WithDbAsync(async db => Assert.StartsWith("Nothing on", (await db.Feedback.SingleAsync()).Missing));

        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, page) = await editor.GetPageAsync("/editor/feedback");
        Assert.Contains("(1)", page.Text("#missing-heading"));
        var item = page.QuerySelector(".missing-list .message")!;
        Assert.Contains("Nothing on <b>grab rails</b> in the bathroom.", item.QuerySelector(".message-text")!.TextContent);
        Assert.Empty(item.QuerySelectorAll(".message-text b"));
        Assert.Contains("Preventing falls, version 1", item.TextContent);
    }

    [Fact]
    public async Task Skipping_or_sending_nothing_keeps_the_no_and_says_thank_you()
    {
        var followUp = await SayNoAsync();
        Assert.Equal("/articles/falls?feedback=thanks#page-feedback", followUp.Page.QuerySelector("main p a[href*='feedback=thanks']")!.GetAttribute("href"));

        using var empty = await SendMissingAsync(followUp, "   ");

        Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
        Assert.Equal("/articles/falls?feedback=thanks#page-feedback", empty.Headers.Location!.OriginalString);
        await App.WithDbAsync(async db => Assert.Equal((false, (string?)null), (await db.Feedback.Select(f => new { f.Useful, f.Missing }).SingleAsync()) is var row ? (row.Useful, row.Missing) : default));
        using var yes = await AnswerAsync("/articles/falls", "yes");
        Assert.Equal("/articles/falls?feedback=thanks#page-feedback", yes.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(1001, "", "1,000 characters or fewer (it has 1,001)")]
    [InlineData(30, "\u001b[31m", "invisible control characters")]
    public async Task Over_long_or_control_character_text_is_refused_with_the_readers_text_kept(int length, string control, string error)
    {
        var followUp = await SayNoAsync();
        var text = new string('m', length);

        using var response = await SendMissingAsync(followUp, control + text);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains(error, page.Text("#missing-error"));
        Assert.Equal("true", page.QuerySelector("#missing-text")!.GetAttribute("aria-invalid"));
        // What the reader typed, less the invisible characters, is there to send again.
        Assert.Equal(control.Length == 0 ? text : "[31m" + text, page.QuerySelector("#missing-text")!.TextContent);
        await App.WithDbAsync(async db => Assert.Null((await db.Feedback.SingleAsync()).Missing));
    }

    [Theory]
    [InlineData("")]
    [InlineData("made-up")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_follow_up_without_a_valid_reference_to_an_answer_is_404_and_changes_nothing(string answer)
    {
        await SayNoAsync();

        var (status, _) = await _client.GetPageAsync($"/articles/falls/feedback/missing?answer={answer}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        await App.WithDbAsync(async db => Assert.Null((await db.Feedback.SingleAsync()).Missing));
    }

    [Fact]
    public async Task A_reference_made_for_one_article_does_not_work_on_another_address()
    {
        var (url, _) = await SayNoAsync();
        var (status, _) = await _client.GetPageAsync(url.Replace("/articles/falls/", "/articles/other/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
