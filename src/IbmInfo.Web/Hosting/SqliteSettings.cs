using System.Data.Common;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// How the site uses its SQLite file: write-ahead logging, so pages keep being read while a content sync or a
/// reader's question is being written; a busy timeout, so a write that meets another write waits its turn instead of
/// failing; and 16 KB pages in a new file.
/// </summary>
public static class SqliteSettings
{
    /// <summary>How long a write waits for another one to finish before it gives up.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    /// <summary>
    /// The page size of a database file the app creates. Most of what the site stores is rendered text of 15–30 KB a
    /// row; with SQLite's default 4 KB pages each row is a chain of overflow pages, each written to the log and copied
    /// back on its own. 16 KB pages took about a seventh off the first start with 1,000 articles (docs/performance.md,
    /// seventh round). A file that exists keeps the page size it has.
    /// </summary>
    public const int PageSize = 16_384;

    /// <summary>Sets the busy timeout, and the page size for a file not yet written, on every connection the app opens.</summary>
    public static readonly IInterceptor ConnectionInterceptor = new ConnectionPragmas();

    /// <summary>
    /// Switches the database file to write-ahead logging. The mode is kept in the file, so this is done once at start;
    /// the commands that open the file later (users, db backup) find it already set.
    /// </summary>
    public static async Task UseWriteAheadLogAsync(IbmInfoDb db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite()) return;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            // An in-memory database answers "memory": nothing to do there.
            if (mode is not ("wal" or "memory")) throw new InvalidOperationException($"SQLite refused write-ahead logging (journal_mode is {mode}).");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite's <c>Default Timeout</c> retries its own commands in a loop of its own and leaves SQLite's
    /// busy timeout at 0; set here, SQLite itself waits, in short back-off steps, wherever it meets a lock. The page
    /// size takes effect only where the connection creates the file (the first migration), and changes nothing after.
    /// </summary>
    private sealed class ConnectionPragmas : DbConnectionInterceptor
    {
        private static readonly string Pragma = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA page_size={PageSize};";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
