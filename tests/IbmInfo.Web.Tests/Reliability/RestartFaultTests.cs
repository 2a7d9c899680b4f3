using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// The app as a real process, killed and restarted as an operator's machine might do to it: mid-sync, and with its
/// database file gone. Each test runs the built dll on 127.0.0.1 with its own database and content folder.
/// </summary>
public sealed class RestartFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string SyncWriting = "writing them in one transaction";
    private const string SyncDone = "unchanged,";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);
    private static readonly string[] StateA = ["falls", "steroids", "swallowing"];

    /// <summary>
    /// Articles of two versions each in the content change: enough that the sync's transaction writes about ten times
    /// the 2 MB of SQLite's page cache (some 40 kB a version with its renderings and search index: 20 MB), so its
    /// uncommitted pages must spill into the write-ahead log at the latest a tenth of the way in, whatever the machine's
    /// speed. That spill, not a time, is what the kill waits for. The restart's sync of them lasts long enough that its
    /// first page is served before the sync ends even when the whole suite shares the machine: with 75 articles, a
    /// 1.2–1.5 s margin, it once was not, and 150 left 1.3 s once the restart's sync began beside the server's start.
    /// </summary>
    private const int BulkArticles = 250;

    /// <summary>The write-ahead log's own header: written before the first page, so growth up to it is no page yet.</summary>
    private const int WalHeaderBytes = 32;
    private static readonly string LastBulk = $"/articles/bulk-{BulkArticles:000}";

    private readonly ContentTree _content = new();
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("ibminfo-reliability-").FullName;
    private string DatabasePath => Path.Combine(_dataFolder, "ibminfo.db");

    private void WriteStateA()
    {
        _content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        _content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids");
        _content.WriteArticle("swallowing", 1, "## Swallowing\n\nAsk for a swallowing assessment [@praxis-2025].", title: "Swallowing");
    }

    /// <summary>A content change big enough that its sync takes a noticeable time: a new version of one article and many new articles.</summary>
    private void WriteStateB(int articles)
    {
        _content.WriteArticle("falls", 2, "## Falls\n\nA walking aid helps [@cochrane-2015].", title: "Preventing falls", change: "Walking aids.");
        for (var i = 1; i <= articles; i++)
            for (var n = 1; n <= 2; n++)
                _content.WriteArticle($"bulk-{i:000}", n, LongBody(i, n), title: $"Bulk article {i}", change: $"Version {n}.");
    }

    private static string LongBody(int article, int version)
    {
        var body = new StringBuilder();
        for (var section = 1; section <= 8; section++)
        {
            body.Append($"## Section {section} of article {article}\n\n");
            body.Append($"Paragraph {version}.{section}: inclusion body myositis weakens the thigh and finger muscles slowly, over years [@cochrane-2015]. ");
            body.Append("A physiotherapist can suggest exercises and aids that keep you moving safely [@praxis-2025].\n\n");
            body.Append("::: clinician\nCheck swallowing and breathing at each visit.\n:::\n\n");
            body.Append("- a walking stick\n- a raised chair\n- grab rails\n\n");
        }
        return body.ToString();
    }

    private async Task AssertServesStateAAsync(SiteProcess site)
    {
        foreach (var slug in StateA)
        {
            using var response = await site.Client.GetAsync($"/articles/{slug}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Killed_mid_sync_the_database_keeps_the_last_good_state_which_a_restart_serves_at_once_then_completes_the_sync()
    {
        WriteStateA();
        using (var first = SiteProcess.Start(DatabasePath, _content.Root))
        {
            await first.WaitUntilHealthyAsync(Bounded);
            await AssertServesStateAAsync(first);
            first.Kill();
        }
        var stateA = DatabaseSnapshot.Read(DatabasePath);
        Assert.Equal(3, stateA["Versions"].Count);

        WriteStateB(articles: BulkArticles);
        using (var killed = SiteProcess.Start(DatabasePath, _content.Root))
        {
            await killed.WaitForLineAsync(SyncWriting, Bounded);
            // Killed once uncommitted pages of the sync have reached the write-ahead log on disk: a restart must ignore
            // them. Only the sync writes once it has logged that it is writing (it holds the write lock), so any growth
            // of the log from here on is its uncommitted pages.
            var wal = new FileInfo(DatabasePath + "-wal");
            var walBefore = wal.Exists ? wal.Length : 0;
            var writing = Stopwatch.StartNew();
            long WalGrowth() { wal.Refresh(); return (wal.Exists ? wal.Length : 0) - walBefore; }
            while (!killed.HasLogged(SyncDone) && writing.Elapsed < Bounded && WalGrowth() <= WalHeaderBytes)
                await Task.Delay(5);
            var uncommitted = WalGrowth();
            killed.Kill();
            Assert.False(killed.HasLogged(SyncDone), "the sync finished before the kill; make the content change bigger:\n" + killed.Output);
            Assert.True(uncommitted > WalHeaderBytes, "no uncommitted page reached the write-ahead log before the kill");
            output.WriteLine($"killed {killed.SinceStart.ElapsedMilliseconds} ms after start, {writing.ElapsedMilliseconds} ms into the sync's transaction, " +
                $"with {uncommitted:N0} bytes of it in the write-ahead log");
        }

        DatabaseSnapshot.Equal(stateA, DatabaseSnapshot.Read(DatabasePath));

        using var restarted = SiteProcess.Start(DatabasePath, _content.Root);
        var firstAnswer = await restarted.FirstAnswerAsync("/articles/falls", Bounded);
        var servedAfter = restarted.SinceStart.ElapsedMilliseconds;
        using (var health = await restarted.Client.GetAsync("/healthz"))
        {
            var syncedAlready = restarted.HasLogged(SyncDone);
            Assert.Equal(HttpStatusCode.OK, firstAnswer);
            Assert.False(syncedAlready, "the sync finished before the first page was served; make the content change bigger");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        await AssertServesStateAAsync(restarted);
        using (var notYet = await restarted.Client.GetAsync(LastBulk))
            Assert.True(notYet.StatusCode == HttpStatusCode.NotFound || restarted.HasLogged(SyncDone));

        await restarted.WaitUntilHealthyAsync(Bounded);
        var healthyAfter = restarted.SinceStart.ElapsedMilliseconds;
        using (var bulk = await restarted.Client.GetAsync(LastBulk))
            Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        var (_, falls) = await restarted.Client.GetPageAsync("/articles/falls");
        Assert.Contains("A walking aid helps", falls.Text(".article-body"));
        Assert.Equal($"{3 + 1 + 2 * BulkArticles}", DatabaseSnapshot.Scalar(DatabasePath, "SELECT count(*) FROM Versions"));
        output.WriteLine($"restart: first page served {servedAfter} ms after start, healthy (sync of {1 + 2 * BulkArticles} new versions done) after {healthyAfter} ms; " +
            $"database {new FileInfo(DatabasePath).Length:N0} bytes, write-ahead log {new FileInfo(DatabasePath + "-wal").Length:N0} bytes");
        restarted.Kill();

        using var unchanged = SiteProcess.Start(DatabasePath, _content.Root);
        Assert.Equal(HttpStatusCode.OK, await unchanged.FirstAnswerAsync(LastBulk, Bounded));
        var unchangedServedAfter = unchanged.SinceStart.ElapsedMilliseconds;
        await unchanged.WaitUntilHealthyAsync(Bounded);
        output.WriteLine($"unchanged restart ({DatabaseSnapshot.Scalar(DatabasePath, "SELECT count(*) FROM Versions")} versions): first page served {unchangedServedAfter} ms after start, healthy after {unchanged.SinceStart.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_missing_database_file_is_recreated_by_the_migrations_and_the_content_synced_again()
    {
        WriteStateA();
        using (var first = SiteProcess.Start(DatabasePath, _content.Root))
        {
            await first.WaitUntilHealthyAsync(Bounded);
            first.Kill();
        }
        foreach (var file in Directory.GetFiles(_dataFolder, "ibminfo.db*")) File.Delete(file);

        using var restarted = SiteProcess.Start(DatabasePath, _content.Root);
        await restarted.WaitUntilHealthyAsync(Bounded);

        await AssertServesStateAAsync(restarted);
        Assert.True(File.Exists(DatabasePath));
        Assert.Equal("3", DatabaseSnapshot.Scalar(DatabasePath, "SELECT count(*) FROM Versions"));
        Assert.Equal("wal", DatabaseSnapshot.Scalar(DatabasePath, "PRAGMA journal_mode"));
        Assert.Equal(SqliteSettings.PageSize.ToString(CultureInfo.InvariantCulture), DatabaseSnapshot.Scalar(DatabasePath, "PRAGMA page_size"));
        output.WriteLine($"healthy {restarted.SinceStart.ElapsedMilliseconds} ms after start on a missing database");
    }

    public void Dispose()
    {
        _content.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
