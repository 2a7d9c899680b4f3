using System.Diagnostics;
using System.Net;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// Two nodes behind nginx agree: a change made through one is served by both within a second, a signed-in reviewer
/// and a form work on either, a reader's question is stored once, and one node imports content at a time.
/// </summary>
public sealed class MultiNodeTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private const string Pending = "Pending review.";

    [Fact]
    public async Task Approving_through_node_A_shows_the_approved_page_on_both_nodes_and_through_nginx_within_a_second()
    {
        var readers = new[] { ("A", nodes.A.BaseAddress), ("B", nodes.B.BaseAddress), ("nginx", nodes.Balancer.BaseAddress), ("nginx again", nodes.Balancer.BaseAddress) };
        var before = new Dictionary<string, string?>();
        foreach (var (name, address) in readers)
        {
            // Twice each: the second answer comes from the node's page cache, which the approval must empty.
            await ReadAsync(address, "/articles/falls");
            var (status, html, etag) = await ReadAsync(address, "/articles/falls");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(Pending, html);
            Assert.NotNull(etag);
            before[name] = etag;
        }

        var reviewer = Browser(nodes.A.BaseAddress, new CookieContainer());
        await SignInAsync(reviewer);
        await StepAsync(reviewer, "falls", "UnderReview");
        await StepAsync(reviewer, "falls", "Approved", "Checked against the Cochrane review.");
        var approved = Stopwatch.StartNew();

        // Readers asking at the same time, each again as soon as it has its answer: when each first gets the approved page.
        var seen = await Task.WhenAll(readers.Select(async reader =>
        {
            var (name, address) = reader;
            while (approved.Elapsed < TimeSpan.FromSeconds(10))
            {
                var (status, html, etag) = await ReadAsync(address, "/articles/falls");
                if (status == HttpStatusCode.OK && !html.Contains(Pending, StringComparison.Ordinal) && etag != before[name])
                    return (Name: name, At: approved.Elapsed);
            }
            return (Name: name, At: TimeSpan.MaxValue);
        }));
        foreach (var (name, at) in seen) output.WriteLine($"{name}: the approved page after {at.TotalMilliseconds:0} ms");
        Assert.All(seen, s => Assert.True(s.At < OneSecond, $"{s.Name} served the approved page only after {s.At.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task Search_on_both_nodes_finds_a_version_approved_through_node_A_within_a_second()
    {
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            var (status, html, _) = await ReadAsync(node.BaseAddress, "/search?q=swallowing");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Pending review", Result(html, "/articles/swallowing"));
        }

        var reviewer = Browser(nodes.A.BaseAddress, new CookieContainer());
        await SignInAsync(reviewer);
        await StepAsync(reviewer, "swallowing", "UnderReview");
        await StepAsync(reviewer, "swallowing", "Approved", "Checked.");
        var approved = Stopwatch.StartNew();

        foreach (var node in new[] { nodes.A, nodes.B })
        {
            string result;
            do
            {
                var (_, html, _) = await ReadAsync(node.BaseAddress, "/search?q=swallowing");
                result = Result(html, "/articles/swallowing");
            }
            while ((result.Length == 0 || result.Contains("Pending review", StringComparison.Ordinal)) && approved.Elapsed < TimeSpan.FromSeconds(10));
            Assert.NotEqual("", result);
            Assert.DoesNotContain("Pending review", result);
            Assert.True(approved.Elapsed < OneSecond, $"{node.BaseAddress}: search found the approved version only after {approved.Elapsed.TotalMilliseconds:0} ms");
        }
    }

    [Fact]
    public async Task Questions_posted_through_nginx_are_each_stored_once()
    {
        var reader = Browser(nodes.Balancer.BaseAddress, new CookieContainer());
        var (_, page) = await reader.GetPageAsync("/articles/falls");
        var asked = new List<string>();
        // Round-robin: one lands on each node.
        for (var i = 0; i < 2; i++)
        {
            var question = $"Does a stick help? ({Guid.NewGuid():N})";
            using var response = await reader.SubmitAsync(page, ".follow-up form", ("name", "A reader"), ("question", question));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            asked.Add(question);
        }
        foreach (var question in asked)
            Assert.Equal(1L, await nodes.ScalarAsync<long>("""SELECT count(*) FROM "Questions" WHERE "Question" = @q""", ("q", question)));
    }

    [Fact]
    public async Task A_reviewer_signed_in_on_node_A_is_signed_in_on_node_B()
    {
        var cookies = new CookieContainer();
        var onA = Browser(nodes.A.BaseAddress, cookies);
        using (var before = await Browser(nodes.B.BaseAddress, new CookieContainer()).GetAsync("/editor"))
            Assert.Equal(HttpStatusCode.Redirect, before.StatusCode); // B signs nobody in by itself

        await SignInAsync(onA);
        // Cookies belong to the host, not the port: B is sent the cookie A set, as a browser behind nginx would send it.
        var onB = Browser(nodes.B.BaseAddress, cookies);
        var (status, page) = await onB.GetPageAsync("/editor");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(page.QuerySelector("form[action='/account/sign-out']"));
    }

    [Fact]
    public async Task A_form_rendered_by_node_A_is_accepted_by_node_B()
    {
        var cookies = new CookieContainer();
        var (_, form) = await Browser(nodes.A.BaseAddress, cookies).GetPageAsync("/account/sign-in");

        using var response = await Browser(nodes.B.BaseAddress, cookies).SubmitAsync(form, "form.stacked-form",
            new() { ["Email"] = TwoNodes.Reviewer, ["Password"] = Editorial.Password }, "/account/sign-in");

        // Refused antiforgery would be a 400; a wrong password the form again (200).
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task While_another_node_imports_an_import_skips_and_says_so_then_imports_and_every_node_shows_it_within_a_second()
    {
        var home = (await ReadAsync(nodes.B.BaseAddress, "/")).Html;
        Assert.DoesNotContain("Keeping your balance", home);
        nodes.Content.WriteArticle("balance", 1, "## Balance\n\nBalance training helps [@praxis-2025].", title: "Keeping your balance");

        // Another node's import holds the lock for its transaction.
        await using (var otherNode = TestDatabase.Open(nodes.Database))
        await using (var importing = await otherNode.BeginTransactionAsync())
        {
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgreSqlIbmInfoDb.ImportLock})", otherNode, importing))
                await take.ExecuteNonQueryAsync();

            var skipped = await nodes.RunCommandAsync(null, "content", "import");
            Assert.True(skipped.ExitCode == 0, skipped.Output);
            Assert.Contains("another node was importing; skipped", skipped.Output);
            Assert.Equal(0L, await nodes.ScalarAsync<long>("""SELECT count(*) FROM "Articles" WHERE "Slug" = 'balance'"""));
            Assert.Equal("another node was importing; skipped",
                await nodes.ScalarAsync<string>("""SELECT "Skipped" FROM "ImportRuns" ORDER BY "Id" DESC LIMIT 1"""));

            // A node starting meanwhile skips its start-up import too, and is healthy: it serves what the database holds.
            using var third = nodes.StartNode();
            await third.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            await third.WaitForLineAsync("skipped: another node was importing", TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, (await ReadAsync(third.BaseAddress, "/articles/falls")).Status);
        }

        var imported = await nodes.RunCommandAsync(null, "content", "import");
        Assert.True(imported.ExitCode == 0, imported.Output);
        Assert.Contains("added articles/balance/1.md", imported.Output);
        var done = Stopwatch.StartNew();
        Assert.Equal(1L, await nodes.ScalarAsync<long>("""SELECT count(*) FROM "Versions" v JOIN "Articles" a ON a."Id" = v."ArticleId" WHERE a."Slug" = 'balance'"""));

        // The command's change reaches the running nodes, whose home pages were cached without it.
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            while (!(await ReadAsync(node.BaseAddress, "/")).Html.Contains("Keeping your balance", StringComparison.Ordinal) && done.Elapsed < TimeSpan.FromSeconds(10))
                await Task.Delay(20);
            Assert.True(done.Elapsed < OneSecond, $"{node.BaseAddress} listed the imported article only after {done.Elapsed.TotalMilliseconds:0} ms");
        }
    }

    [Fact]
    public async Task A_node_whose_listening_connection_dropped_reconnects_and_catches_up_with_a_change_it_did_not_hear()
    {
        await ReadAsync(nodes.B.BaseAddress, "/articles/fatigue");
        Assert.Contains(Pending, (await ReadAsync(nodes.B.BaseAddress, "/articles/fatigue")).Html);
        var reviewer = Browser(nodes.A.BaseAddress, new CookieContainer());
        await SignInAsync(reviewer);
        await StepAsync(reviewer, "fatigue", "UnderReview");

        // Both nodes lose their listening connection (a database restart, a network cut); the approval is made
        // through A while B is reconnecting, so B never hears of it.
        var dropped = await nodes.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()) t",
            ("name", IbmInfo.Web.Hosting.SiteChangeListener.ApplicationName));
        Assert.True(dropped >= 2, $"{dropped} listening connections dropped");
        await StepAsync(reviewer, "fatigue", "Approved", "Checked.");
        var approved = Stopwatch.StartNew();

        while ((await ReadAsync(nodes.B.BaseAddress, "/articles/fatigue")).Html.Contains(Pending, StringComparison.Ordinal) && approved.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(50);
        output.WriteLine($"B served the approved page {approved.Elapsed.TotalMilliseconds:0} ms after the approval");
        Assert.DoesNotContain(Pending, (await ReadAsync(nodes.B.BaseAddress, "/articles/fatigue")).Html);
        Assert.True(approved.Elapsed < TimeSpan.FromSeconds(5), $"B caught up only after {approved.Elapsed.TotalMilliseconds:0} ms");
        await nodes.B.WaitForLineAsync("Lost the connection that hears other nodes' changes", TimeSpan.FromSeconds(5));
        await nodes.B.WaitForLineAsync("Listening for other nodes' changes again", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Each_version_is_stored_once_after_both_nodes_imported_at_start_up()
    {
        Assert.Equal(1L, await nodes.ScalarAsync<long>("""SELECT count(*) FROM "Versions" v JOIN "Articles" a ON a."Id" = v."ArticleId" WHERE a."Slug" = 'falls'"""));
        var runs = await nodes.ScalarAsync<long>("""SELECT count(*) FROM "ImportRuns" WHERE "By" = 'start-up'""");
        Assert.True(runs >= 2, $"{runs} start-up import records; each node records its own, done or skipped");
        foreach (var node in new[] { nodes.A, nodes.B })
            Assert.True(node.HasLogged("Listening for other nodes' changes"), node.Output);
    }

    /// <summary>An anonymous reader's request: no cookies, so the page cache answers when it can.</summary>
    private static async Task<(HttpStatusCode Status, string Html, string? ETag)> ReadAsync(Uri node, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node };
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag);
    }

    private static HttpClient Browser(Uri node, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = node };

    private static async Task SignInAsync(HttpClient client)
    {
        using var response = await client.SignInAsync(TwoNodes.Reviewer);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>A review step posted through the review page's decision form, with its token and stamp.</summary>
    private static async Task StepAsync(HttpClient client, string slug, string to, string note = "")
    {
        var url = $"/editor/review/{slug}/1";
        var (status, page) = await client.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(page, "__RequestVerificationToken"),
            ["stamp"] = Field(page, "stamp"),
            ["to"] = to,
            ["Note"] = note,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{to}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Field(IDocument page, string name) =>
        page.QuerySelector($"input[name={name}]")?.GetAttribute("value") ?? throw new Xunit.Sdk.XunitException($"no {name} field on the review page");

    /// <summary>The search result that links to <paramref name="href"/>, as text; empty when there is none.</summary>
    private static string Result(string html, string href)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        return document.QuerySelectorAll($"a[href='{href}']").Select(a => a.Closest("li")?.TextContent).FirstOrDefault() ?? "";
    }
}
