using System.Net;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>"Have a follow-up question?" and "Was this page useful?" on an article, posted as a browser would.</summary>
public sealed class ReaderMessagesTests(ReaderMessagesTests.Site site) : SharedAppTest<ReaderMessagesTests.Site>(site)
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

    [Fact]
    public async Task A_question_is_stored_with_its_article_and_version_and_the_reader_is_sent_to_a_confirmation()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls/v/1");

        using var response = await _client.SubmitAsync(article, ".follow-up form", ("name", " Sam "), ("question", "Does a stick help?\r\nOr a frame?"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/articles/falls/questions/sent?version=1", response.Headers.Location!.OriginalString);
        var (status, sent) = await _client.GetPageAsync(response.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("your question has been sent", sent.Text("h1"));
        Assert.Contains("What happens next", sent.Text("main"));
        Assert.Equal("/articles/falls/v/1", sent.QuerySelector("a.button")!.GetAttribute("href"));

        await App.WithDbAsync(async db =>
        {
            var question = await db.Questions.Include(q => q.Article).SingleAsync();
            Assert.Equal(("falls", 1, "Sam", "Does a stick help?\nOr a frame?", false),
                (question.Article.Slug, question.VersionNumber, question.Name, question.Question, question.Handled));
        });
    }

    [Fact]
    public async Task An_empty_question_is_refused_next_to_the_field_and_the_name_is_kept()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");

        using var response = await _client.SubmitAsync(article, ".follow-up form", ("name", "Sam"), ("question", "   "));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Enter your question.", page.Text("#question-error"));
        Assert.Equal("true", page.QuerySelector("#question-text")!.GetAttribute("aria-invalid"));
        Assert.Equal("Sam", page.QuerySelector("#question-name")!.GetAttribute("value"));
        Assert.Equal("2", page.QuerySelector(".follow-up input[name=version]")!.GetAttribute("value"));
        await App.WithDbAsync(async db => Assert.Equal(0, await db.Questions.CountAsync()));
    }

    [Fact]
    public async Task Too_long_a_question_or_name_is_refused_and_the_text_is_kept()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");
        var question = new string('q', 2001);

        using var response = await _client.SubmitAsync(article, ".follow-up form", ("name", new string('n', 101)), ("question", question));
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("2,000 characters or fewer (it has 2,001)", page.Text("#question-error"));
        Assert.Contains("100 characters or fewer", page.Text("#name-error"));
        Assert.Equal(question, page.QuerySelector("#question-text")!.TextContent);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    public async Task A_post_from_another_site_is_refused_and_nothing_is_stored(string header, string value)
    {
        foreach (var (path, field) in new[] { ("/articles/falls/questions", "question"), ("/articles/falls/feedback", "useful") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent([new("version", "1"), new(field, "yes")]),
            };
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        await App.WithDbAsync(async db =>
        {
            Assert.Equal(0, await db.Questions.CountAsync());
            Assert.Equal(0, await db.Feedback.CountAsync());
        });
    }

    [Fact]
    public async Task A_post_from_the_site_itself_is_taken_as_a_browser_sends_it()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");
        Assert.Null(article.QuerySelector("input[name=__RequestVerificationToken]"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/articles/falls/questions")
        {
            Content = new FormUrlEncodedContent([new("version", "2"), new("question", "Same site?")]),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", "http://localhost");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await App.WithDbAsync(async db => Assert.Equal("Same site?", (await db.Questions.SingleAsync()).Question));
    }

    [Fact]
    public async Task An_unknown_version_is_stored_against_the_current_one_and_an_unknown_article_is_404()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");
        using var response = await _client.SubmitAsync(article, ".follow-up form", ("version", "99"), ("question", "Still here?"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await App.WithDbAsync(async db => Assert.Equal(2, (await db.Questions.SingleAsync()).VersionNumber));

        var (status, _) = await _client.GetPageAsync("/articles/nothing/questions");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    public async Task Feedback_is_stored_and_the_article_says_thank_you(string answer, bool useful)
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");

        using var response = await _client.SubmitAsync(article, ".page-feedback form", ("useful", answer));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // A "No" first asks, optionally, what was missing (FeedbackFollowUpTests); either way the article thanks the reader.
        if (useful) Assert.Equal("/articles/falls?feedback=thanks#page-feedback", response.Headers.Location!.OriginalString);
        else Assert.StartsWith("/articles/falls/feedback/missing?answer=", response.Headers.Location!.OriginalString);
        var (_, thanked) = await _client.GetPageAsync("/articles/falls?feedback=thanks");
        Assert.Equal("Thank you for your feedback", thanked.Text("#page-feedback h2"));
        Assert.Null(thanked.QuerySelector(".page-feedback form"));
        await App.WithDbAsync(async db =>
        {
            var feedback = await db.Feedback.Include(f => f.Article).SingleAsync();
            Assert.Equal(("falls", 2, useful), (feedback.Article.Slug, feedback.VersionNumber, feedback.Useful));
        });
    }

    [Fact]
    public async Task Feedback_without_a_yes_or_no_asks_again()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");

        using var response = await _client.SubmitAsync(article, ".page-feedback form", ("useful", "maybe"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose “Yes” or “No”", await response.Content.ReadAsStringAsync());
        await App.WithDbAsync(async db => Assert.Equal(0, await db.Feedback.CountAsync()));
    }

    [Fact]
    public async Task The_audience_switch_is_a_plain_get_form_to_the_page_and_the_choice_is_remembered()
    {
        var (_, article) = await _client.GetPageAsync("/articles/falls");
        var form = article.QuerySelector(".audience-switch")!;
        Assert.Equal(("get", "/articles/falls"), (form.GetAttribute("method"), form.GetAttribute("action")));

        var (status, chosen) = await _client.GetPageAsync("/articles/falls?audience=clinician");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Healthcare professional", chosen.Text(".audience-switch button[aria-pressed=true]"));
        var (_, next) = await _client.GetPageAsync("/articles/falls");
        Assert.Contains("Healthcare professional", next.Text(".audience-switch button[aria-pressed=true]"));
    }

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
