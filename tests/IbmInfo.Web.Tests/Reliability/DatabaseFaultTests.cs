using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// The database's disk fills up, its file is deleted under the running site, or it is read-only at start: the app as
/// a real process each time. A reader's question is never confirmed and then lost: it is stored, or refused with 503
/// and the form shown again with their text; <c>/healthz</c> says the database cannot be written. The full disk and the
/// read-only folder are real: a small tmpfs, mounted (as root) for the test and remounted read-only.
/// </summary>
public sealed class DatabaseFaultTests : IDisposable
{
    private readonly ITestOutputHelper _output;

    private const string Slug = "steroids";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);
    private static readonly Dictionary<string, string> NoRateLimit = new() { ["RateLimits__FormPostsPerMinute"] = "100000" };

    private readonly ContentTree _content = new();
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("ibminfo-dbfault-").FullName;
    private bool _mounted;
    private string DatabasePath => Path.Combine(_dataFolder, "ibminfo.db");

    public DatabaseFaultTests(ITestOutputHelper output)
    {
        _output = output;
        _content.WriteArticle(Slug, 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids");
    }

    private void MountSmallDisk(string size)
    {
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", _dataFolder);
        _mounted = true;
    }

    private static HttpClient NoRedirects(SiteProcess site) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static FormUrlEncodedContent Question(string text) =>
        new([new("version", "1"), new("name", "Sam"), new("question", text)]);

    /// <summary>The question form as the reader gets it back: status, and the text in the box.</summary>
    private static async Task<(HttpStatusCode Status, string? Kept)> AskAsync(HttpClient client, string text)
    {
        using var response = await client.PostAsync($"/articles/{Slug}/questions", Question(text));
        if (response.StatusCode == HttpStatusCode.Redirect) return (response.StatusCode, null);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, page.QuerySelector("#question-text")?.TextContent.TrimStart('\n'));
    }

    private async Task<List<string>> StoredQuestionsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Question FROM Questions";
        var stored = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        return stored;
    }

    [Fact]
    public async Task With_the_disk_full_a_question_is_stored_or_given_back_with_503_and_healthz_says_so()
    {
        MountSmallDisk("24m");
        using var site = SiteProcess.Start(DatabasePath, _content.Root, NoRateLimit);
        await site.WaitUntilHealthyAsync(Bounded);
        var client = NoRedirects(site);
        var filler = Path.Combine(_dataFolder, "filler");
        FillDisk(filler);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await site.Client.GetAsync("/healthz")).StatusCode);
        var confirmed = new List<string>();
        (HttpStatusCode Status, string? Kept) refused = default;
        string? refusedText = null;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 3000 && watch.Elapsed < Bounded; i++)
        {
            var text = $"Question {i}: " + new string('q', 1900);
            var answer = await AskAsync(client, text);
            if (answer.Status == HttpStatusCode.Redirect) { confirmed.Add(text); continue; }
            (refused, refusedText) = (answer, text);
            break;
        }
        _output.WriteLine($"{confirmed.Count} questions stored before the first refusal");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(refusedText, refused.Kept);
        File.Delete(filler);
        Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(client, refusedText!)).Status);
        Assert.Equal(HttpStatusCode.OK, (await site.Client.GetAsync("/healthz")).StatusCode);
        site.Kill();
        var stored = await StoredQuestionsAsync();
        Assert.All(confirmed, text => Assert.Contains(text, stored));
        Assert.Contains(refusedText, stored);
    }

    [Fact]
    public async Task With_the_database_deleted_under_the_site_a_question_gets_503_with_its_text_and_healthz_says_so()
    {
        using var site = SiteProcess.Start(DatabasePath, _content.Root, NoRateLimit);
        await site.WaitUntilHealthyAsync(Bounded);
        var client = NoRedirects(site);
        Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(client, "Before the fault: is creatine safe?")).Status);
        // Read once before the fault, so it is in the page cache: a page rendered afresh may need a new connection,
        // which finds no file.
        using (var before = await site.Client.GetAsync($"/articles/{Slug}")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        File.Delete(DatabasePath);
        var (status, kept) = await AskAsync(client, "After the fault: is creatine safe?");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("After the fault: is creatine safe?", kept);
        using var health = await site.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var page = await site.Client.GetAsync($"/articles/{Slug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // readers still get what is cached
    }

    [Fact]
    public async Task A_read_only_database_at_start_is_served_read_only()
    {
        MountSmallDisk("24m");
        using (var first = SiteProcess.Start(DatabasePath, _content.Root, NoRateLimit))
        {
            await first.WaitUntilHealthyAsync(Bounded);
            Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(NoRedirects(first), "Asked before the folder became read-only")).Status);
            first.Kill();
        }
        // What a clean stop leaves: everything in the database file itself, the write-ahead log empty.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        Run("mount", "-o", "remount,ro", _dataFolder);

        using var site = SiteProcess.Start(DatabasePath, _content.Root, NoRateLimit);
        var status = await site.FirstAnswerAsync($"/articles/{Slug}", Bounded);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(site.HasLogged("cannot be written"), site.Output);
        using var health = await site.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var (asked, kept) = await AskAsync(NoRedirects(site), "Asked while read-only");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, asked);
        Assert.Equal("Asked while read-only", kept);
    }

    private static void FillDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var block = new byte[1 << 16];
        try
        {
            while (true) file.Write(block);
        }
        catch (IOException)
        {
            // No space left: exactly what the test wants. Whatever is left over is less than one block.
        }
        try { file.Flush(); } catch (IOException) { }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed (the database fault tests mount a tmpfs, which needs root): {process.StandardError.ReadToEnd()}");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_mounted) Run("umount", "-l", _dataFolder);
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _content.Dispose();
    }
}
