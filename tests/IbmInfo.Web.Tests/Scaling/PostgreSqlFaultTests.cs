using System.Net;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// The PostgreSQL server stops taking writes under the running site (a failover to a read-only standby, or an
/// operator's <c>default_transaction_read_only</c>): a reader's question is refused with 503 and their text kept, never
/// confirmed and lost; <c>/healthz</c> says why; pages are still served; once writes are back the next question is
/// stored, once. Runs on the test run's PostgreSQL server whichever provider the other tests use.
/// </summary>
public sealed class PostgreSqlFaultTests : IDisposable
{
    private readonly ContentTree _content = new();
    private readonly IbmInfoFactory _app;

    public PostgreSqlFaultTests()
    {
        _content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids");
        _app = new IbmInfoFactory(_content.Root) { Provider = DatabaseProvider.PostgreSql };
        _app.Settings["RateLimits:FormPostsPerMinute"] = "100000";
    }

    /// <summary>Sets the database's writes on or off for every new session and ends the open ones, so the change applies at once.</summary>
    private void Writes(bool allowed)
    {
        using (var connection = TestDatabase.Open("postgres"))
        {
            foreach (var sql in new[]
            {
                $"ALTER DATABASE {_app.PostgreSqlDatabase} SET default_transaction_read_only = {(allowed ? "off" : "on")}",
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_app.PostgreSqlDatabase}'",
            })
            {
                using var command = new NpgsqlCommand(sql, connection);
                command.ExecuteNonQuery();
            }
        }
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task<(HttpStatusCode Status, string? Kept)> AskAsync(HttpClient client, string text)
    {
        using var response = await client.PostAsync("/articles/steroids/questions",
            new FormUrlEncodedContent([new("version", "1"), new("name", "Sam"), new("question", text)]));
        if (response.StatusCode == HttpStatusCode.Redirect) return (response.StatusCode, null);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, page.QuerySelector("#question-text")?.TextContent.TrimStart('\n'));
    }

    [Fact]
    public async Task With_writes_refused_a_question_gets_503_with_its_text_healthz_says_why_and_pages_are_still_served()
    {
        var client = _app.NoRedirects();
        Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(client, "Before: is creatine safe?")).Status);

        Writes(allowed: false);
        var (status, kept) = await AskAsync(client, "During: is creatine safe?");
        using var health = await client.GetAsync("/healthz");
        var healthText = await health.Content.ReadAsStringAsync();
        using var page = await client.GetAsync("/articles/steroids");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("During: is creatine safe?", kept);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("takes no writes", healthText);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        Writes(allowed: true);
        Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(client, "After: is creatine safe?")).Status);
        using var healthy = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        await _app.WithDbAsync(async db => Assert.Equal(
            ["After: is creatine safe?", "Before: is creatine safe?"],
            await db.Questions.Select(q => q.Question).OrderBy(q => q).ToListAsync()));
    }

    public void Dispose()
    {
        _app.Dispose();
        _content.Dispose();
    }
}
