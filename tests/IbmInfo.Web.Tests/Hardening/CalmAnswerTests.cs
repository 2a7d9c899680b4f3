using System.Net;
using System.Net.Sockets;
using System.Text;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Requests that once answered 500 — an unsupported method on a reader page, a broken <c>Host</c>, a NUL in a form
/// field, too many form fields, the error page asked for by its address — each get a 4xx with the calm page, over
/// real HTTP, and a reader's question is never lost to them.
/// </summary>
public sealed class CalmAnswerTests(HostileSite site) : IClassFixture<HostileSite>
{
    private const string Slug = HostileSite.Slug;

    public static TheoryData<string, string> UnsupportedMethods => new()
    {
        { "PUT", "/articles/treatment-evidence" },
        { "DELETE", "/articles/treatment-evidence" },
        { "PATCH", "/articles/treatment-evidence" },
        { "PUT", "/articles/treatment-evidence/v/1" },
        { "DELETE", "/" },
        { "PUT", "/search?q=steroids" },
        { "PATCH", "/articles/treatment-evidence/history" },
        { "DELETE", "/articles/" + Slug + "/questions" },
        { "PUT", "/articles/" + Slug + "/feedback" },
        { "PUT", "/alert-card" },
        { "DELETE", "/references" },
        { "PROPFIND", "/articles/treatment-evidence" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedMethods))]
    public async Task An_unsupported_method_gets_405_with_Allow_and_the_calm_page(string method, string url)
    {
        using var response = await site.Raw().SendAsync(site.Request(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var allowed = response.Content.Headers.Allow;
        Assert.Contains("GET", allowed);
        Assert.DoesNotContain(method, allowed);
        Assert.Equal(url.Contains("/questions") || url.Contains("/feedback"), allowed.Contains("POST"));
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal("We could not accept that request", page!.Text("h1"));
    }

    /// <summary>Broken hosts, and whether they reach the app: Kestrel itself refuses, with an empty 400, characters no host may have.</summary>
    public static TheoryData<string, bool> BrokenHosts => new()
    {
        { "", true },
        { new string('h', 5000) + ".example", true },
        { "example.org:99999", true },
        { "example.org:", false },
        { "example.org:abc", false },
        { "[::1", false },
        { "exa mple.org", false },
    };

    [Theory]
    [MemberData(nameof(BrokenHosts))]
    public async Task An_empty_over_long_or_bad_port_Host_gets_400(string host, bool reachesTheApp)
    {
        foreach (var path in new[] { "/", "/articles/treatment-evidence", "/sitemap.xml", "/feed.atom", "/alert-card" })
        {
            var (status, body) = await RawHttpAsync($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

            Assert.True(status == 400, $"Host '{Shorten(host)}' on {path} answered {status}");
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            if (reachesTheApp) Assert.Contains("<h1>We could not accept that request</h1>", body);
        }
    }

    [Fact]
    public async Task The_error_page_asked_for_by_its_address_is_not_an_error()
    {
        foreach (var code in new[] { "500", "503", "502", "404", "403", "400", "429" })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Head })
            {
                using var response = await site.Raw().SendAsync(site.Request(method, "/error/" + code));

                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                if (method != HttpMethod.Head) Assert.Equal("Page not found", (await HostileSite.AssertCalmAsync(response))!.Text("h1"));
            }
        }
        using var plain = await site.Raw().GetAsync("/error");
        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
    }

    public static TheoryData<string, string> ControlCharacters => new()
    {
        { "question", "\0" },
        { "question", "\u0001" },
        { "question", "\u001b" },
        { "question", "\u007f" },
        { "question", "\u0085" },
        { "question", "\uFFFF" },
        { "name", "\0" },
        { "name", "\u0008" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task A_control_character_in_a_question_gets_422_and_the_form_back_with_what_the_reader_typed(string field, string control)
    {
        var (client, article) = await ReaderAsync();
        var before = await QuestionsAsync();
        var question = $"Can I take creatine{(field == "question" ? control : "")} with my statin?\nThanks.";
        var name = $"Sam{(field == "name" ? control : "")} Jones";

        using var response = await client.PostAsync($"/articles/{Slug}/questions", Forms.Fields(article, ".follow-up form", ("name", name), ("question", question)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Contains("invisible control characters", page!.Text(".follow-up [role=alert]"));
        // What they typed comes back, without the character that no keyboard makes, ready to send again.
        Assert.Equal(question.Replace(control, ""), page!.QuerySelector("#question-text")!.TextContent.TrimStart('\n'));
        Assert.Equal(name.Replace(control, ""), page.QuerySelector("#question-name")!.GetAttribute("value"));
        Assert.Equal(before, await QuestionsAsync());

        using var again = await client.PostAsync($"/articles/{Slug}/questions", Forms.Fields(page, ".follow-up form",
            ("name", page.QuerySelector("#question-name")!.GetAttribute("value")!), ("question", page.QuerySelector("#question-text")!.TextContent.TrimStart('\n'))));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(before + 1, await QuestionsAsync());
    }

    [Fact]
    public async Task Tabs_new_lines_and_right_to_left_marks_are_kept_as_typed()
    {
        var (client, article) = await ReaderAsync();
        const string question = "Line one\tafter a tab\nLine two: \u202Bשלום\u202C";

        using var response = await client.PostAsync($"/articles/{Slug}/questions", Forms.Fields(article, ".follow-up form", ("question", question)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await site.App.WithDbAsync(async db => Assert.True(await db.Questions.AnyAsync(q => q.Question == question)));
    }

    public static TheoryData<string> FieldFloods => ["/articles/" + Slug + "/questions", "/articles/" + Slug + "/feedback", "/account/sign-in"];

    [Theory]
    [MemberData(nameof(FieldFloods))]
    public async Task More_than_1024_form_fields_get_400_and_the_calm_page(string url)
    {
        var before = await QuestionsAsync();
        var fields = Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))
            .Append(new("question", "Flooded")).Append(new("useful", "yes"));

        using var response = await site.Raw().PostAsync(url, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal("We could not accept that request", page!.Text("h1"));
        Assert.Equal(before, await QuestionsAsync());
    }

    private async Task<int> QuestionsAsync()
    {
        var count = 0;
        await site.App.WithDbAsync(async db => count = await db.Questions.CountAsync(q => q.Article.Slug == Slug));
        return count;
    }

    private async Task<(HttpClient Client, AngleSharp.Dom.IDocument Article)> ReaderAsync()
    {
        var client = site.Browser();
        var (status, article) = await client.GetPageAsync($"/articles/{Slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        return (client, article);
    }

    /// <summary>Sends bytes no HttpClient would (it checks the Host header), and reads the status line and body.</summary>
    private async Task<(int Status, string Body)> RawHttpAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(site.BaseUrl.Host, site.BaseUrl.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var status = int.Parse(answer.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, answer);
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
