using System.Collections.Concurrent;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>The sync rules: what a change in the content folder does to the database and to what readers see.</summary>
/// <remarks>
/// The tests share one app (<see cref="SharedApp"/>): each changes the content folder and syncs, and the reset before
/// the next puts the folder and the database back as the app's first sync left them.
/// </remarks>
public sealed class ContentSyncTests(ContentSyncTests.Site site) : SharedAppTest<ContentSyncTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site() => Content.WriteArticle("sync-test", 1, "## First\n\nThe first text [@cochrane-2015].", author: "editor@example.org");
    }

    private readonly HttpClient _client = site.App.CreateClient();

    private Task<List<ArticleVersion>> VersionsAsync()
    {
        var result = new List<ArticleVersion>();
        return App.WithDbAsync(async db => result.AddRange(await db.Versions.Include(v => v.Transitions)
            .Where(v => v.Article.Slug == "sync-test").OrderBy(v => v.Number).ToListAsync())).ContinueWith(_ => result);
    }

    [Fact]
    public async Task A_new_version_file_becomes_a_submitted_version_with_its_first_audit_entry()
    {
        Content.WriteArticle("sync-test", 2, "## Second\n\nThe second text.", author: "editor@example.org");

        var report = await App.SyncAsync();

        Assert.Equal(1, report.Added);
        var versions = await VersionsAsync();
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        var second = versions[1];
        Assert.Equal(ReviewStatus.Submitted, second.Status);
        Assert.Equal("editor@example.org", second.SubmittedBy);
        Assert.NotNull(second.SubmittedById);
        Assert.Equal(await System.IO.File.ReadAllTextAsync(Path.Combine(Content.Root, "articles/sync-test/2.md")), second.Markdown);
        var entry = Assert.Single(second.Transitions);
        Assert.Null(entry.From);
        Assert.Equal(ReviewStatus.Submitted, entry.To);
    }

    [Fact]
    public async Task An_unchanged_folder_changes_nothing()
    {
        var before = await VersionsAsync();

        var report = await App.SyncAsync();

        Assert.Equal((0, 1), (report.Added, report.Unchanged));
        var after = await VersionsAsync();
        Assert.Equal(before.Single().ConcurrencyStamp, after.Single().ConcurrencyStamp);
        Assert.Single(after.Single().Transitions);
    }

    [Fact]
    public async Task An_unchanged_file_citing_a_reference_the_file_no_longer_lists_is_reported_and_keeps_its_text()
    {
        Content.Write("references.yml", ContentTree.DefaultReferences[..ContentTree.DefaultReferences.IndexOf("praxis-2025:", StringComparison.Ordinal)]
            .Replace("cochrane-2015:", "other-2020:", StringComparison.Ordinal));

        var report = await App.SyncAsync();

        Assert.Equal(1, report.Unchanged);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("articles/sync-test/1.md", problem.File);
        Assert.Contains("[@cochrane-2015]", problem.Message);
        Assert.Contains("no longer lists", problem.Message);
        var (_, page) = await _client.GetPageAsync("/articles/sync-test");
        Assert.Contains("The first text", page.Text(".article-body"));
    }

    [Fact]
    public async Task Many_folders_are_synced_in_batches_in_one_go_and_found_unchanged_next_time()
    {
        for (var i = 0; i < 45; i++)
        {
            Content.WriteArticle($"bulk-{i:00}", 1, $"## Part {i}\n\nText {i} [@praxis-2025].");
            Content.WriteArticle($"bulk-{i:00}", 2, $"## Part {i}\n\nNewer text {i}.", change: "Newer.");
        }

        var first = await App.SyncAsync();
        var second = await App.SyncAsync();

        Assert.Equal((90, 1), (first.Added, first.Unchanged));
        Assert.Equal((0, 91), (second.Added, second.Unchanged));
        await App.WithDbAsync(async db =>
        {
            Assert.Equal(46, await db.Articles.CountAsync());
            Assert.Equal(91 * 3, await db.Renderings.CountAsync());
            Assert.Equal(45, await db.Citations.CountAsync(c => c.ReferenceKey == "praxis-2025"));
        });
        var (_, page) = await _client.GetPageAsync("/articles/bulk-44");
        Assert.Contains("Newer text 44", page.Text(".article-body"));
    }

    [Fact]
    public async Task A_changed_file_is_refused_even_while_its_version_is_only_submitted_and_the_stored_text_stays()
    {
        var stored = (await VersionsAsync()).Single();
        Content.WriteArticle("sync-test", 1, "## First\n\nCorrected text [@praxis-2025].", author: "editor@example.org");

        var report = await App.SyncAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("articles/sync-test/1.md", 1), (problem.File, problem.Line));
        Assert.Contains("already stored with other text (Submitted", problem.Message);
        Assert.Contains("save the change as 2.md", problem.Message);
        var after = (await VersionsAsync()).Single();
        Assert.Equal((stored.ContentHash, stored.Markdown, stored.ConcurrencyStamp), (after.ContentHash, after.Markdown, after.ConcurrencyStamp));
        Assert.Contains("The first text", after.Markdown);
        var (_, page) = await _client.GetPageAsync("/articles/sync-test");
        Assert.Contains("The first text", page.Text(".article-body"));
        Assert.DoesNotContain("Corrected text", page.Text("main"));
    }

    [Fact]
    public async Task The_refusal_names_the_next_free_number_past_versions_added_in_the_same_import()
    {
        Content.WriteArticle("sync-test", 1, "## First\n\nAn edit in place.", author: "editor@example.org");
        Content.WriteArticle("sync-test", 2, "## Second\n\nA proper new version.", author: "editor@example.org");

        var report = await App.SyncAsync();

        Assert.Equal(["articles/sync-test/2.md"], report.AddedFiles);
        Assert.Contains("save the change as 3.md", Assert.Single(report.Problems).Message);
    }

    [Fact]
    public async Task A_file_naming_an_author_who_is_neither_an_account_nor_listed_is_refused_at_its_author_line()
    {
        Content.WriteArticle("sync-test", 2, "## Second\n\nBy a stranger.", author: "stranger@example.org");
        Content.WriteArticle("sync-test", 3, "## Third\n\nAfter it.", author: "editor@example.org");
        Content.WriteArticle("strangers", 1, "## Theirs\n\nA new article by a stranger.", author: "stranger@example.org");

        var report = await App.SyncAsync();

        Assert.Contains(report.Problems, p => p.ToString().StartsWith("articles/sync-test/2.md:7: the author 'stranger@example.org' is not an account here and not listed in authors.yml", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.File == "articles/sync-test/3.md" && p.Message.Contains("version 2 of 'sync-test' is not stored yet"));
        Assert.Equal([1], (await VersionsAsync()).Select(v => v.Number));
        await App.WithDbAsync(async db => Assert.False(await db.Articles.AnyAsync(a => a.Slug == "strangers")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _client.GetAsync("/articles/strangers")).StatusCode);
    }

    [Fact]
    public async Task A_listed_author_becomes_an_account_without_a_password_that_submitted_the_version()
    {
        string? accountId = null;
        bool hasPassword = true;
        await App.WithDbAsync(async db =>
        {
            var account = await db.Users.SingleAsync(u => u.Email == "editor@example.org");
            (accountId, hasPassword) = (account.Id, account.PasswordHash is not null);
        });

        var version = (await VersionsAsync()).Single();

        Assert.False(hasPassword);
        Assert.Equal(accountId, version.SubmittedById);
        Assert.Equal(VersionOrigin.ContentFolder, version.Origin);
        using var client = App.CreateBrowser();
        using var signIn = await client.SignInAsync("editor@example.org");
        Assert.NotEqual(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task A_changed_file_whose_version_was_reviewed_is_refused_and_the_reviewed_text_stays()
    {
        await App.SetStatusAsync("sync-test", 1, ReviewStatus.Approved);
        var approvedHash = (await VersionsAsync()).Single().ContentHash;
        Content.WriteArticle("sync-test", 1, "## First\n\nAn unreviewed edit.", author: "editor@example.org");

        var report = await App.SyncAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal("articles/sync-test/1.md", problem.File);
        Assert.Contains("already stored with other text (Approved", problem.Message);
        Assert.Contains("save the change as 2.md", problem.Message);
        Assert.Equal(approvedHash, (await VersionsAsync()).Single().ContentHash);
        var (_, page) = await _client.GetPageAsync("/articles/sync-test");
        Assert.Contains("The first text", page.Text(".article-body"));
        Assert.DoesNotContain("unreviewed edit", page.Text("main"));
        Assert.Null(page.QuerySelector(".caution"));
    }

    [Fact]
    public async Task A_bad_new_version_keeps_the_last_good_version_on_the_site_and_other_articles_up()
    {
        await App.SetStatusAsync("sync-test", 1, ReviewStatus.Approved);
        Content.Write("articles/sync-test/2.md", "---\ntitle: [unclosed\n---\nBody");
        Content.WriteArticle("other", 1, "## Other\n\nAnother article.");

        var report = await App.SyncAsync();

        Assert.Contains(report.Problems, p => p.File == "articles/sync-test/2.md" && p.Line == 2);
        Assert.Equal([1], (await VersionsAsync()).Select(v => v.Number));
        var (_, page) = await _client.GetPageAsync("/articles/sync-test");
        Assert.Contains("The first text", page.Text(".article-body"));
        var (_, other) = await _client.GetPageAsync("/articles/other");
        Assert.Equal("Test article", other.Text("h1"));
    }

    [Fact]
    public async Task A_removed_file_does_not_remove_its_version_from_the_record()
    {
        Content.Delete("articles/sync-test/1.md");

        await App.SyncAsync();

        Assert.Single(await VersionsAsync());
        var (_, page) = await _client.GetPageAsync("/articles/sync-test/v/1");
        Assert.Contains("The first text", page.Text(".article-body"));
    }

    [Fact]
    public async Task References_are_imported_and_each_version_records_what_it_cites()
    {
        var cited = new List<string>();
        await App.WithDbAsync(async db =>
        {
            Assert.Equal(2, await db.References.CountAsync());
            cited.AddRange(await db.Citations.Where(c => c.Version.Article.Slug == "sync-test").Select(c => c.ReferenceKey).ToListAsync());
        });
        Assert.Equal(["cochrane-2015"], cited);
    }

    [Fact]
    public async Task At_debug_level_the_import_logs_where_its_time_went()
    {
        // An app of its own, its import logged at Debug, as an operator would set it to find what holds an import up.
        var logged = new LoggedLines();
        using var factory = new IbmInfoFactory(Content.Root);
        factory.Settings["Serilog:MinimumLevel:Override:IbmInfo.Web.Publishing.ContentSync"] = "Debug";
        using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(logged)));
        using (app.CreateClient()) { } // starts it: the start-up import

        var line = Assert.Single(logged.Lines, l => l.StartsWith("Content import took", StringComparison.Ordinal));
        Assert.Matches(@"^Content import took \d+\.\d\d s: \d+\.\d\d s saving the versions, \d+\.\d\d s indexing them for search, \d+\.\d\d s committing, \d+\.\d\d s waiting for files to be read, checked and rendered$", line);
    }

    /// <summary>Every event the app logs, as its message reads.</summary>
    private sealed class LoggedLines : ILogEventSink
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Emit(LogEvent logEvent) => Lines.Enqueue(logEvent.RenderMessage());
    }

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
