using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>The database file is in write-ahead-log mode after start, with 16 KB pages, and the app's connections wait on a lock.</summary>
public sealed class SqliteModeTests : AppTest
{
    public SqliteModeTests() => Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely.");

    [Fact]
    public async Task After_start_the_database_file_is_in_write_ahead_log_mode_with_16_KB_pages_and_connections_wait_30_seconds_on_a_lock()
    {
        App.CreateClient().Dispose(); // starts the app

        // One of the app's connections held open: SQLite removes the -wal file when the last connection closes.
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        await db.Database.OpenConnectionAsync();
        // Opening is lazy: a connection joins the write-ahead log only when it first reads the file.
        await using (var read = db.Database.GetDbConnection().CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_master";
            await read.ExecuteScalarAsync();
        }

        // Read on a connection of the test's own: the mode is a property of the file, not of the app's connections.
        Assert.Equal("wal", DatabaseSnapshot.Scalar(App.DatabasePath, "PRAGMA journal_mode"));
        Assert.True(File.Exists(App.DatabasePath + "-wal"));
        Assert.Equal(SqliteSettings.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), DatabaseSnapshot.Scalar(App.DatabasePath, "PRAGMA page_size"));

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        Assert.Equal((long)SqliteSettings.BusyTimeoutMilliseconds, await command.ExecuteScalarAsync());
    }
}
