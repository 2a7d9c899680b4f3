using IbmInfo.Web.Publishing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>
/// One app for all the tests of a class (an xunit class fixture), on the content folder its constructor writes. The
/// app starts once; before each test, <see cref="ResetAsync"/> puts the content folder and the whole database back as
/// that first start left them (accounts, review steps and readers' messages gone) and drops every cached page, so each
/// test meets the state a fresh app would show it, without paying for a start. Derive a class that writes the
/// content, and derive the test class from <see cref="SharedAppTest{TSite}"/>. A test that needs settings, a clock
/// or a start of its own belongs in an <see cref="AppTest"/> class instead.
/// </summary>
public class SharedApp : IDisposable
{
    private IbmInfoFactory? _app;
    private SqliteConnection? _database;
    private Dictionary<string, byte[]> _files = [];
    private HashSet<string> _folders = [];

    public ContentTree Content { get; } = new();

    /// <summary>The app's clock, set by a derived constructor whose tests compare dates (see <see cref="RunningClock"/>).</summary>
    protected TimeProvider? Clock { get; init; }

    /// <summary>The app, started on first use: by then the derived constructor has written the content.</summary>
    public IbmInfoFactory App
    {
        get
        {
            if (_app is not null) return _app;
            var app = new IbmInfoFactory(Content.Root) { Clock = Clock };
            // Many tests post to one app within a minute here; the limits themselves are tested on apps of their own.
            app.Settings["RateLimits:FormPostsPerMinute"] = "100000";
            app.Settings["RateLimits:SignInPostsPerMinute"] = "100000";
            app.CreateClient().Dispose(); // starts it: migrations, then the first sync
            _files = Directory.GetFiles(Content.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
            _folders = [.. Directory.GetDirectories(Content.Root, "*", SearchOption.AllDirectories)];
            if (app.PostgreSqlDatabase is string database)
            {
                TestDatabase.TakeSnapshot(database);
                return _app = app;
            }
            _database = new SqliteConnection("Data Source=:memory:");
            _database.Open();
            using (var live = Open(app)) Copy(live, _database);
            return _app = app;
        }
    }

    /// <summary>Puts content and database back as the first start left them, and drops every cached page.</summary>
    public async Task ResetAsync()
    {
        var app = App;
        var contentChanged = RestoreContent();
        if (app.PostgreSqlDatabase is string database) TestDatabase.RestoreSnapshot(database);
        else using (var live = Open(app)) Copy(_database!, live);
        // A sync of the restored folder finds nothing to write, but resets the problems the dashboard shows.
        if (contentChanged) await app.SyncAsync();
        await app.Services.GetRequiredService<SiteChanges>().NotifyAsync();
    }

    /// <summary>
    /// SQLite's online backup, tried again while the app's own background work (the first sync's last writes, the
    /// import watcher) briefly holds the lock: the backup API answers "locked" at once rather than waiting.
    /// </summary>
    private static void Copy(SqliteConnection from, SqliteConnection to)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 50) // SQLITE_BUSY, SQLITE_LOCKED
            {
                Thread.Sleep(100);
            }
        }
    }

    private static SqliteConnection Open(IbmInfoFactory app)
    {
        var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private bool RestoreContent()
    {
        var changed = false;
        foreach (var file in Directory.GetFiles(Content.Root, "*", SearchOption.AllDirectories).Where(f => !_files.ContainsKey(f)))
        {
            File.Delete(file);
            changed = true;
        }
        foreach (var folder in Directory.GetDirectories(Content.Root, "*", SearchOption.AllDirectories).Where(d => !_folders.Contains(d)).OrderDescending())
            Directory.Delete(folder, recursive: true);
        foreach (var (file, bytes) in _files.Where(f => !File.Exists(f.Key) || !File.ReadAllBytes(f.Key).AsSpan().SequenceEqual(f.Value)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
            changed = true;
        }
        return changed;
    }

    public void Dispose()
    {
        _database?.Dispose();
        _app?.Dispose();
        Content.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A test class sharing one <typeparamref name="TSite"/> app with the other tests of its class; the app is reset
/// before each test (see <see cref="SharedApp"/>).
/// </summary>
public abstract class SharedAppTest<TSite>(TSite site) : IClassFixture<TSite>, IAsyncLifetime where TSite : SharedApp
{
    protected TSite Shared => site;
    protected ContentTree Content => site.Content;
    protected IbmInfoFactory App => site.App;

    public virtual Task InitializeAsync() => site.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
