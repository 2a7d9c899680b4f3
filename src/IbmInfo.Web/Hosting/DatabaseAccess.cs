using IbmInfo.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// The site's database file and whether it may be written. Decided once, when the app first opens the database: a
/// file that exists but cannot be written (mode 0444, a read-only folder or mount) is opened read-only, so the site
/// serves what it holds instead of failing to start; <see cref="StartupSync"/> then skips the migrations and the
/// content sync, and <c>/healthz</c> says why. A missing file is not read-only: the migrations create it.
/// </summary>
public sealed class DatabaseAccess
{
    public DatabaseAccess(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = Paths.ConnectionString(configuration, environment.ContentRootPath);
        var builder = new SqliteConnectionStringBuilder(configured);
        var isFile = !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory;
        FilePath = isFile ? builder.DataSource : null;
        (ReadOnlyReason, var folderReadOnly) = FilePath is null ? (null, false) : ProbeWrite(configured);
        if (ReadOnlyReason is not null)
        {
            builder.Mode = SqliteOpenMode.ReadOnly;
            // Without a writable folder SQLite cannot make the -shm file a WAL database is read through; "immutable"
            // tells it nobody changes the file, which a read-only mount guarantees.
            if (folderReadOnly) builder.DataSource = new Uri(FilePath!).AbsoluteUri + "?immutable=1";
        }
        ConnectionString = builder.ToString();
    }

    /// <summary>What the app's database connections use: the configured string, or a read-only one.</summary>
    public string ConnectionString { get; }

    /// <summary>The database file; null for an in-memory database.</summary>
    public string? FilePath { get; }

    /// <summary>Why the database is served read-only; null when the site may write to it.</summary>
    public string? ReadOnlyReason { get; }

    /// <summary>Why nothing can be stored just now, or null when the database can be written; cheap enough for every health probe.</summary>
    public string? CannotWrite()
    {
        if (FilePath is null) return null;
        if (ReadOnlyReason is not null) return $"the database {FilePath} cannot be written ({ReadOnlyReason}): the site serves it read-only";
        if (!File.Exists(FilePath)) return $"the database file {FilePath} is missing: restore it from a backup and restart the site";
        var free = new DriveInfo(Path.GetDirectoryName(FilePath)!).AvailableFreeSpace;
        if (free < MinimumFreeBytes) return $"the disk holding {FilePath} is full ({free / 1024:N0} KB free)";
        return ProbeWrite(ConnectionString).Reason;
    }

    /// <summary>Room a write needs: the write-ahead log grows by a few pages per write, a sync by megabytes.</summary>
    private const long MinimumFreeBytes = 1024 * 1024;

    /// <summary>Takes the write lock and lets it go again without writing: refused by a read-only file, not by a busy one.</summary>
    private static (string? Reason, bool FolderReadOnly) ProbeWrite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(builder.DataSource)) return (null, false);
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            command.CommandTimeout = 1;
            command.ExecuteNonQuery();
            return (null, false);
        }
        catch (SqliteException busy) when (busy.SqliteErrorCode is 5 or 6)
        {
            return (null, false); // another connection is writing: the file can be written
        }
        catch (SqliteException refused) when (refused.SqliteErrorCode == 8)
        {
            return ("the file is read-only", false);
        }
        catch (SqliteException cannotOpen) when (cannotOpen.SqliteErrorCode == 14)
        {
            return ("its folder is read-only", true);
        }
    }
}

/// <summary>What counts as "the database cannot store this just now", as opposed to a fault in the site itself.</summary>
public static class DatabaseFaults
{
    /// <summary>SQLite's busy, locked, read-only, I/O error, disk full and cannot-open codes, or the file gone.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseFileMissingException) return true;
            if (e is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 13 or 14 }) return true;
        }
        return false;
    }

    /// <summary>Registers the check that refuses a save once the database file has gone.</summary>
    public static DbContextOptionsBuilder AddDatabaseFileGuard(this DbContextOptionsBuilder options, DatabaseAccess access) =>
        options.AddInterceptors(new DatabaseFileGuard(access));

    /// <summary>
    /// SQLite keeps writing to a database file deleted under the running site (the open connections still hold it),
    /// so every save would be confirmed and then lost; this refuses the save instead, before anything is written.
    /// </summary>
    private sealed class DatabaseFileGuard(DatabaseAccess access) : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Check();
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check();
            return ValueTask.FromResult(result);
        }

        private void Check()
        {
            if (access.FilePath is string path && !File.Exists(path)) throw new DatabaseFileMissingException(path);
        }
    }
}

public sealed class DatabaseFileMissingException(string path)
    : Exception($"The database file {path} is missing: nothing is saved until it is restored and the site restarted.");

/// <summary><c>/healthz</c>'s "database" entry: unhealthy whenever what readers and editors send could not be stored.</summary>
internal sealed class DatabaseHealthCheck(DatabaseAccess access) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(access.CannotWrite() is string reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy("the database can be written"));
}
