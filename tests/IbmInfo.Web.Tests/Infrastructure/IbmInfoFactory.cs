using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>
/// The real app over real HTTP (in-process test server), on its own SQLite file and the given content folder.
/// Migrations and the content sync run at start, as in production. A factory on its own fresh data folder starts on
/// a copy of a database migrated once per test run (<see cref="MigratedTemplate"/>), so the migrations are not run
/// again for every test. Given a <paramref name="dataDirectory"/> (the database, keys and logs), the factory uses it
/// as it finds it, migrations included, and leaves it in place, so a second factory can "restart" on it.
/// </summary>
public class IbmInfoFactory(string contentRoot, string? dataDirectory = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory ?? Path.Combine(Path.GetTempPath(), "ibminfo-data-" + Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(DataDirectory, "ibminfo.db");

    /// <summary>The database the app runs on: the test run's (<see cref="TestDatabase"/>) unless a test that needs one says.</summary>
    public DatabaseProvider Provider { get; init; } = TestDatabase.Provider;

    /// <summary>On PostgreSQL, the database this app uses; null on SQLite.</summary>
    public string? PostgreSqlDatabase => Provider == DatabaseProvider.PostgreSql ? TestDatabase.PostgreSqlDatabaseFor(DataDirectory) : null;

    /// <summary>The settings that point an app or a command at this factory's database.</summary>
    public virtual IEnumerable<(string Key, string Value)> DatabaseSettings() => PostgreSqlDatabase is string database
        ? [("Database:Provider", "PostgreSql"), ("ConnectionStrings:IbmInfo", TestDatabase.PostgreSqlConnectionString(database)), ("Database:MigrateAtStart", "true")]
        : [("ConnectionStrings:IbmInfo", $"Data Source={DatabasePath}")];
    public string ContentRoot => contentRoot;

    /// <summary>Extra settings a test wants (before the host is built).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>
    /// The app's clock, in place of the system's: set before the app starts by a test that asserts a date the app
    /// wrote or shows, so that it cannot fail when the run crosses midnight.
    /// </summary>
    public TimeProvider? Clock { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        if (PostgreSqlDatabase is string database) TestDatabase.CreatePostgreSqlIfMissing(database, migrated: dataDirectory is null);
        else if (dataDirectory is null && !File.Exists(DatabasePath)) File.Copy(MigratedTemplate.Value, DatabasePath);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in DatabaseSettings()) builder.UseSetting(key, value);
        builder.UseSetting("Content:Root", contentRoot);
        builder.UseSetting("Serilog:WriteTo:1:Args:path", Path.Combine(DataDirectory, "logs", "ibminfo-.log"));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (Clock is { } clock) builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }

    /// <summary>
    /// An empty database with every migration applied, made once per test run by the app's own migrations; the app
    /// still runs <c>MigrateAsync</c> at start on its copy and finds nothing left to apply.
    /// </summary>
    public static Lazy<string> MigratedTemplate { get; } = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibminfo-migrated-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<SqliteIbmInfoDb>().UseSqlite($"Data Source={path};Pooling=False").Options;
        using (var db = new SqliteIbmInfoDb(options)) db.Database.Migrate();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    /// <summary>Runs a content sync now, as an editor's new commit would on restart.</summary>
    public async Task<SyncReport> SyncAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ContentSync>().RunAsync(contentRoot);
    }

    /// <summary>
    /// Runs the built app as a command (<c>users …</c>, <c>db backup …</c>) in its own process on this app's database
    /// and content, with <paramref name="stdin"/> as its standard input; returns its exit code and all it printed.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(string? stdin, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IbmInfo.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in DatabaseSettings()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["Content__Root"] = contentRoot;
        start.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(DataDirectory, "logs", "cli-.log");
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Works on the database directly, for arranging a state (the review workflow has its own tests).</summary>
    public async Task WithDbAsync(Func<IbmInfoDb, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        await action(db);
    }

    /// <summary>
    /// A review step through the real workflow — audit trail, search index, cached pages dropped — as a reviewer who
    /// did not write the version would take it.
    /// </summary>
    public async Task StepAsync(string slug, int number, ReviewStatus to, string? note = null, ReviewActor? actor = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Article.Slug == slug && v.Number == number);
        actor ??= new ReviewActor("reviewer@example.org", "Dr Test Reviewer", IsEditor: true, IsReviewer: true);
        var result = await scope.ServiceProvider.GetRequiredService<ReviewWorkflow>()
            .ApplyAsync(version.Id, version.ConcurrencyStamp, to, note, actor);
        Xunit.Assert.True(result.Succeeded, result.Message);
    }

    /// <summary>
    /// Sets a version's status directly in the database (for states the workflow would take many steps to reach);
    /// the search index follows, the page cache is not told.
    /// </summary>
    public Task SetStatusAsync(string slug, int number, ReviewStatus status, string? reviewer = null, DateOnly? nextReviewDue = null) =>
        WithDbAsync(async db =>
        {
            var version = await db.Versions.Include(v => v.Article).SingleAsync(v => v.Article.Slug == slug && v.Number == number);
            version.Status = status;
            if (status == ReviewStatus.Approved)
            {
                version.ReviewedBy = reviewer ?? "reviewer@example.org";
                version.ReviewedByName = "Dr Test Reviewer";
                version.ReviewedAt = new DateTime(2026, 11, 10, 9, 0, 0, DateTimeKind.Utc);
                version.NextReviewDue = nextReviewDue ?? new DateOnly(2027, 11, 10);
            }
            await db.SaveChangesAsync();
            await using var scope = Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ISearchIndex>().ReindexArticlesAsync([version.ArticleId], default);
        });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (dataDirectory is not null) return;
        if (PostgreSqlDatabase is string database) TestDatabase.DropPostgreSql(database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class HttpExtensions
{
    private static readonly HtmlParser Parser = new();

    /// <summary>GETs a page and parses it; the status code is returned alongside.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, IDocument Document)> GetPageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, await Parser.ParseDocumentAsync(html));
    }

    public static string Text(this IDocument document, string selector) =>
        document.QuerySelector(selector)?.TextContent.Trim() ?? throw new Xunit.Sdk.XunitException($"no element matches '{selector}'");
}
