using System.Net;
using System.Text;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// Content files damaged between syncs (not UTF-8, cut short, deleted, the references file broken): the rest of the
/// site stays up, every damaged article keeps its last good version, and the health check stays green, because the
/// site is serving what it should. The sync rules themselves are in <c>ContentSyncTests</c>.
/// </summary>
public sealed class BadContentFileTests : AppTest
{
    private readonly HttpClient _client;

    public BadContentFileTests()
    {
        Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        Content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids");
        Content.WriteArticle("steroids", 2, "## Steroids\n\nStill no proven benefit [@cochrane-2015].", title: "Steroids", change: "Reworded.");
        Content.WriteArticle("swallowing", 1, "## Swallowing\n\nAsk for a swallowing assessment [@praxis-2025].", title: "Swallowing");
        _client = App.CreateClient();
    }

    private async Task AssertServesAsync(string slug, string text)
    {
        var (status, page) = await _client.GetPageAsync($"/articles/{slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(text, page.Text(".article-body"));
    }

    [Fact]
    public async Task Files_that_are_not_UTF8_cut_short_or_deleted_leave_their_last_good_versions_and_the_rest_of_the_site_up()
    {
        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved);
        // An approved version's file saved in Latin-1 by an editor, a newer version cut off in its front matter,
        // and a whole article's folder deleted.
        var latin1 = Encoding.Latin1.GetBytes(File.ReadAllText(Path.Combine(Content.Root, "articles/falls/1.md")).Replace("likely", "likely — très"));
        File.WriteAllBytes(Path.Combine(Content.Root, "articles/falls/1.md"), latin1);
        Content.Write("articles/steroids/2.md", "---\ntitle: Steroids\nsummary: cut sh");
        Directory.Delete(Path.Combine(Content.Root, "articles/swallowing"), recursive: true);
        Content.WriteArticle("exercise", 1, "## Exercise\n\nGentle exercise is safe [@praxis-2025].", title: "Exercise");

        var report = await App.SyncAsync();

        Assert.Contains(report.Problems, p => p.File == "articles/falls/1.md" && p.Message.Contains("not UTF-8"));
        Assert.Contains(report.Problems, p => p.File == "articles/steroids/2.md");
        await AssertServesAsync("falls", "Weak thighs make falls likely");
        await AssertServesAsync("steroids", "Still no proven benefit");
        await AssertServesAsync("swallowing", "Ask for a swallowing assessment");
        await AssertServesAsync("exercise", "Gentle exercise is safe");
        using var health = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (searchStatus, results) = await _client.GetPageAsync("/search?q=swallowing");
        Assert.Equal(HttpStatusCode.OK, searchStatus);
        Assert.Contains("Swallowing", results.Text("main"));
    }

    [Fact]
    public async Task A_broken_or_missing_references_file_leaves_every_article_and_its_reference_list_as_it_was()
    {
        Content.Write("references.yml", "cochrane-2015:\n  kind: [unclosed\n");
        var broken = await App.SyncAsync();
        Assert.Contains(broken.Problems, p => p.File == "references.yml");
        await AssertServesAsync("falls", "Weak thighs make falls likely");
        var (_, page) = await _client.GetPageAsync("/articles/falls");
        Assert.Contains("Treatment for inclusion body myositis", page.Text(".reference-list"));

        Content.Delete("references.yml");
        var missing = await App.SyncAsync();
        Assert.Contains(missing.Problems, p => p.File == "references.yml" && p.Message.Contains("missing"));
        await AssertServesAsync("steroids", "Still no proven benefit");
        var (referencesStatus, references) = await _client.GetPageAsync("/references/cochrane-2015");
        Assert.Equal(HttpStatusCode.OK, referencesStatus);
        Assert.Contains("Treatment for inclusion body myositis", references.Text("main"));
    }

    /// <summary>Files written to break a loader: nesting that overflows a parser's stack, YAML left open, links to nowhere, a pipe.</summary>
    private void WriteHostileFiles()
    {
        Content.Write("articles/deep/1.md", "---\ntitle: " + new string('[', 100_000) + "\n---\n\n## Deep\n\nText.\n");
        Content.Write("articles/unclosed/1.md", "---\ntitle: [Steroids\nsummary: x\ncategory: management\n---\n\n## Steroids\n\nText.\n");
        Content.Write("articles/quotes/1.md", "---\ntitle: Quotes\nsummary: x\ncategory: management\ndate: 2026-11-01\nchange: x\nauthor: a@example.org\n---\n\n## Quotes\n\n"
            + new string('>', 10_000) + " deep\n");
        Directory.CreateDirectory(Path.Combine(Content.Root, "articles/dangling"));
        File.CreateSymbolicLink(Path.Combine(Content.Root, "articles/dangling/1.md"), Path.Combine(Content.Root, "nowhere.md"));
        Directory.CreateDirectory(Path.Combine(Content.Root, "articles/pipe"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(Content.Root, "articles/pipe/1.md"))) mkfifo.WaitForExit();
        Content.WritePage("audience", 1, "## Who we are\n\nA page whose address the audience switch takes.");
    }

    private static readonly string[] HostileFiles =
        ["articles/deep/1.md", "articles/unclosed/1.md", "articles/quotes/1.md", "articles/dangling/1.md", "articles/pipe/1.md", "pages/audience"];

    [Fact]
    public async Task On_a_fresh_database_hostile_files_are_reported_and_every_other_article_is_served()
    {
        WriteHostileFiles();
        // Started only now, so its first sync, on an empty database, meets the hostile files.
        using var fresh = new IbmInfoFactory(Content.Root);
        var client = fresh.CreateClient();

        await AssertServesAsync(client, "falls", "Weak thighs make falls likely");
        await AssertServesAsync(client, "steroids", "Still no proven benefit");
        await AssertServesAsync(client, "swallowing", "Ask for a swallowing assessment");
        using (var health = await client.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var slug in new[] { "deep", "unclosed", "quotes", "dangling", "pipe" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/articles/{slug}")).StatusCode);
        // /audience is still the audience switch, not the page that wanted its address.
        var (_, audience) = await client.GetPageAsync("/audience");
        Assert.DoesNotContain("Who we are", audience.Text("main"));

        var editor = await fresh.SignedInAsync("rev@example.org", "Reviewer");
        var (status, dashboard) = await editor.GetPageAsync("/editor");
        Assert.Equal(HttpStatusCode.OK, status);
        var problems = dashboard.Text(".problem-list");
        foreach (var file in HostileFiles) Assert.Contains(file + ":", problems);
        Assert.DoesNotContain("Exception", problems);
    }

    [Fact]
    public async Task A_failed_sync_is_retried_and_healthz_says_why_it_is_unhealthy_until_then()
    {
        var data = Path.Combine(Path.GetTempPath(), "ibminfo-data-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var first = new IbmInfoFactory(Content.Root, data)) first.CreateClient().Dispose();
            // A database that refuses every new version for now, as a full disk would.
            await using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "ibminfo.db")};Pooling=false"))
            {
                await db.OpenAsync();
                await using var create = db.CreateCommand();
                create.CommandText = "CREATE TRIGGER refuse_versions BEFORE INSERT ON Versions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";
                await create.ExecuteNonQueryAsync();
            }
            Content.WriteArticle("exercise", 1, "## Exercise\n\nGentle exercise is safe [@praxis-2025].", title: "Exercise");

            using var restarted = new IbmInfoFactory(Content.Root, data);
            var client = restarted.CreateClient();
            var body = await PollHealthAsync(client, b => b.Contains("content sync failed", StringComparison.Ordinal), HttpStatusCode.ServiceUnavailable);
            Assert.Contains("database or disk is full", body);
            Assert.Contains("trying again at", body);
            Assert.Contains("database: Healthy", body);
            await AssertServesAsync(client, "falls", "Weak thighs make falls likely");

            await using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "ibminfo.db")};Pooling=false"))
            {
                await db.OpenAsync();
                await using var drop = db.CreateCommand();
                drop.CommandText = "DROP TRIGGER refuse_versions;";
                await drop.ExecuteNonQueryAsync();
            }
            Assert.Equal("Healthy", await PollHealthAsync(client, b => b == "Healthy", HttpStatusCode.OK));
            await AssertServesAsync(client, "exercise", "Gentle exercise is safe");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task AssertServesAsync(HttpClient client, string slug, string text)
    {
        var (status, page) = await client.GetPageAsync($"/articles/{slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(text, page.Text(".article-body"));
    }

    /// <summary>Asks /healthz until its body passes <paramref name="until"/> (60 s at most: the retries start 1 s apart and double).</summary>
    private static async Task<string> PollHealthAsync(HttpClient client, Func<string, bool> until, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync("/healthz");
            var body = await response.Content.ReadAsStringAsync();
            if (until(body))
            {
                Assert.Equal(expected, response.StatusCode);
                return body;
            }
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"/healthz never matched; last {(int)response.StatusCode}: {body}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Every_id_the_pages_give_their_own_parts_is_one_a_heading_may_not_take()
    {
        Content.WritePage("about", 1, "## Who we are\n\nText.");
        await App.SyncAsync();
        var editor = await App.SignedInAsync("rev@example.org", "Reviewer");
        foreach (var (client, url) in new[] { (_client, "/articles/falls"), (_client, "/articles/falls/v/1"), (_client, "/about"), (editor, "/editor/review/falls/1") })
        {
            var (status, page) = await client.GetPageAsync(url);
            Assert.Equal(HttpStatusCode.OK, status);
            var ids = page.QuerySelectorAll("[id]").Where(e => e.Closest(".article-body") is null).Select(e => e.Id!).ToList();
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.True(PageAnchors.IsReserved(id), $"{url} gives an element the id '{id}', which PageAnchors does not list: add it there, so no heading can take it"));
        }
    }
}
