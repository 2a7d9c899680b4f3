using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>One address cannot flood the readers' forms or guess passwords quickly; reading is never limited.</summary>
public sealed class RateLimitTests : AppTest
{
    /// <summary>A refused post as the reader meets it: 429, when to try again, and the calm page.</summary>
    internal static async Task AssertCalmRefusalAsync(HttpResponseMessage refused)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.InRange(retryAfter.TotalSeconds, 1, 60);
        var page = await refused.ReadPageAsync();
        Assert.Equal("Please wait a minute", page.Text("h1"));
        Assert.Contains("Nothing is wrong with what you wrote", page.Text("main"));
    }

    public RateLimitTests()
    {
        Content.WriteArticle("falls", 1, "## Falls\n\nA walking aid helps.", title: "Preventing falls");
    }

    private async Task<HttpResponseMessage> AskAsync(HttpClient client, string question)
    {
        var (_, article) = await client.GetPageAsync("/articles/falls");
        return await client.SubmitAsync(article, ".follow-up form", ("name", "Sam"), ("question", question));
    }

    [Fact]
    public async Task Posts_beyond_the_limit_get_429_with_retry_after_and_a_calm_page_and_are_not_stored()
    {
        App.Settings["RateLimits:FormPostsPerMinute"] = "3";
        var client = App.NoRedirects();

        for (var i = 1; i <= 3; i++)
        {
            using var accepted = await AskAsync(client, $"Question {i}?");
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }
        using var refused = await AskAsync(client, "Question 4?");
        // The feedback form shares the allowance: it is the same reader at the same address.
        var (_, article) = await client.GetPageAsync("/articles/falls");
        using var feedback = await client.SubmitAsync(article, ".page-feedback form", ("useful", "yes"));

        await AssertCalmRefusalAsync(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, feedback.StatusCode);
        await App.WithDbAsync(async db =>
        {
            Assert.Equal(3, await db.Questions.CountAsync());
            Assert.Equal(0, await db.Feedback.CountAsync());
        });
    }

    [Fact]
    public async Task Reading_the_form_pages_is_never_limited()
    {
        App.Settings["RateLimits:FormPostsPerMinute"] = "1";
        App.Settings["RateLimits:SignInPostsPerMinute"] = "1";
        var client = App.NoRedirects();

        for (var i = 0; i < 15; i++)
        {
            foreach (var url in new[] { "/articles/falls/questions", "/articles/falls/feedback", "/account/sign-in", "/articles/falls" })
            {
                using var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_are_refused_even_with_the_right_password()
    {
        App.Settings["RateLimits:SignInPostsPerMinute"] = "2";
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();

        using var first = await client.SignInAsync("ed@example.org", "a wrong guess at it");
        using var second = await client.SignInAsync("ed@example.org", "another wrong guess");
        using var third = await client.SignInAsync("ed@example.org");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.Contains("Retry-After"));
        Assert.DoesNotContain(third.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ibminfo.signin=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RateLimits:FormPostsPerMinute", "0")]
    [InlineData("RateLimits:SignInPostsPerMinute", "-5")]
    public void A_limit_below_one_stops_the_app_at_start_with_the_setting_named(string setting, string value)
    {
        App.Settings[setting] = value;

        var error = Assert.Throws<OptionsValidationException>(() => App.CreateClient());

        Assert.Contains(setting, error.Message);
    }
}
