using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

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

    /// <summary>
    /// The PBKDF2 rounds of the passwords this app hashes. Hashing at the production cost (Identity's 100,000) was 5 %
    /// of the web tests' CPU and 12 % of the page tests', for accounts that exist only for a test; the sign-in timing
    /// tests set null, for the production cost. A hash records its rounds, so either verifies wherever it was made.
    /// </summary>
    public int? PasswordHashIterations { get; init; } = 1_000;

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
        if (PasswordHashIterations is int rounds) builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = rounds));
    }

    /// <summary>
    /// An empty database with every migration applied, made once per test run by the app's own migrations; the app
    /// still runs <c>MigrateAsync</c> at start on its copy and finds nothing left to apply.
    /// </summary>
    public static Lazy<string> MigratedTemplate { get; } = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibminfo-migrated-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<SqliteIbmInfoDb>().UseSqlite($"Data Source={path};Pooling=False")
            .AddInterceptors(SqliteSettings.ConnectionInterceptor).Options;
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

    /// <summary>What a command started for this app is given, as the process would get it from its environment.</summary>
    private IEnumerable<(string Key, string Value)> CommandSettings() =>
        [.. DatabaseSettings(), ("Content:Root", contentRoot), ("Serilog:WriteTo:1:Args:path", Path.Combine(DataDirectory, "logs", "cli-.log"))];

    /// <summary>
    /// Runs a command (<c>users …</c>, <c>content import</c>, <c>db backup …</c>) on this app's database and content,
    /// with <paramref name="stdin"/> as its standard input; returns its exit code and all it printed. It runs inside the
    /// test process (<see cref="RunCommandInTestProcessAsync"/>); <see cref="RunCommandProcessAsync"/> starts the built dll.
    /// </summary>
    public Task<(int ExitCode, string Output)> RunCommandAsync(string? stdin, params string[] args) =>
        RunCommandInTestProcessAsync(CommandSettings(), stdin, args);

    /// <summary>
    /// A command through the very code the published app runs, minus the process: the app built as <c>Program.cs</c>
    /// builds it, with <paramref name="settings"/> where the process reads its environment, and
    /// <see cref="Commands.RunAsync"/> given strings for its console. The output is what it wrote, then what it wrote as
    /// errors, as from the process; the app's console log lines are in the output, where a process prints them. Unlike
    /// <c>Program.cs</c> it leaves Serilog's static logger alone: the app logs through a logger of its own
    /// (<see cref="Logging.AddSerilogLogging"/>), and the other tests' apps use the static one. The app is disposed
    /// afterwards and the connections it pooled are closed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandInTestProcessAsync(IEnumerable<(string Key, string Value)> settings, string? stdin, params string[] args)
    {
        var (printed, printedErrors) = (new StringWriter(), new StringWriter());
        // Log events may come from other threads than the command's own writes.
        var (output, error) = (TextWriter.Synchronized(printed), TextWriter.Synchronized(printedErrors));
        var builder = HostingExtensions.CreateSiteBuilder(args);
        // A later value wins, as a variable set twice in the process's environment would.
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings) values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        builder.AddIbmInfo();
        // Beside the configured sinks (Serilog.Settings reads sinks from the services too), as the console would show it.
        builder.Services.AddSingleton<ILogEventSink>(new LogLines(output));
        int exitCode;
        DatabaseAccess database;
        await using (var app = builder.Build())
        {
            database = app.Services.GetRequiredService<DatabaseAccess>();
            exitCode = await Commands.RunAsync(app, args, new CommandConsole(new StringReader(stdin ?? ""), output, error));
        }
        // The connections it left in the pools closed, as the end of its process would.
        if (database.Provider == DatabaseProvider.PostgreSql) Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(database.ConnectionString));
        else SqliteConnection.ClearPool(new SqliteConnection(database.ConnectionString));
        return (exitCode, printed.ToString() + printedErrors.ToString());
    }

    /// <summary>Log events written as the app's console sink writes them.</summary>
    private sealed class LogLines(TextWriter writer) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _format = new(Logging.ConsoleTemplate);

        public void Emit(LogEvent logEvent) => _format.Format(logEvent, writer);
    }

    /// <summary>
    /// Runs the built app as a command in its own process, as an operator does: what only the process shows (its exit
    /// code, standard input, output and error, and <c>Program.cs</c>'s handling of a site that cannot start).
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunCommandProcessAsync(string? stdin, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IbmInfo.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in CommandSettings()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
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
