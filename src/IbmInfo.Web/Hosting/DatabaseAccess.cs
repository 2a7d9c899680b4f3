using IbmInfo.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SQLitePCL;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Which database the site uses (<c>Database:Provider</c>, <c>ConnectionStrings:IbmInfo</c>) and whether it may be
/// written. On SQLite this is decided once, when the app first opens the database: a file that exists but cannot be
/// written (mode 0444, a read-only folder or mount) is opened read-only, so the site serves what it holds instead of
/// failing to start; <see cref="StartupSync"/> then skips the migrations and the content sync, and <c>/healthz</c>
/// says why. A missing file is not read-only: the migrations create it. On PostgreSQL the server decides, and
/// <c>/healthz</c> asks it.
/// </summary>
public sealed class DatabaseAccess
{
    public DatabaseAccess(IConfiguration configuration, IHostEnvironment environment)
    {
        Provider = ProviderFrom(configuration);
        MigrateAtStart = configuration.GetValue("Database:MigrateAtStart", Provider == DatabaseProvider.Sqlite);
        if (Provider == DatabaseProvider.PostgreSql)
        {
            ConnectionString = PostgreSqlConnectionString(configuration);
            return;
        }
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

    public DatabaseProvider Provider { get; }

    /// <summary>
    /// <c>Database:MigrateAtStart</c>: whether the site applies its migrations as it starts. On by default for SQLite
    /// (one site, one file); off by default for PostgreSQL, where several nodes start at once and migrating is a deploy
    /// step (<c>db migrate</c>).
    /// </summary>
    public bool MigrateAtStart { get; }

    /// <summary>What the app's database connections use: the configured string, or a read-only one.</summary>
    public string ConnectionString { get; }

    /// <summary><c>Database:Provider</c>: <c>Sqlite</c> (the default) or <c>PostgreSql</c>.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var configured = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(configured)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(configured.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new CannotStartException($"Database:Provider is \"{configured}\": it must be Sqlite (the default) or PostgreSql.");
    }

    /// <summary>The PostgreSQL connection string, which must name a database; its errors say which setting to fix.</summary>
    private static string PostgreSqlConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("IbmInfo");
        if (string.IsNullOrWhiteSpace(configured))
            throw new CannotStartException("Database:Provider is PostgreSql, so ConnectionStrings:IbmInfo must be set, e.g. \"Host=db.example.org;Database=ibminfo;Username=ibminfo;Password=…\".");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(configured);
        }
        catch (ArgumentException e)
        {
            throw new CannotStartException(LooksLikeSqlite(configured)
                ? "Database:Provider is PostgreSql, but ConnectionStrings:IbmInfo names a SQLite file (Data Source=…): give a PostgreSQL connection string, e.g. \"Host=db.example.org;Database=ibminfo;Username=ibminfo;Password=…\", or remove Database:Provider to use SQLite."
                : $"ConnectionStrings:IbmInfo is not a PostgreSQL connection string ({e.Message}); it must be like \"Host=db.example.org;Database=ibminfo;Username=ibminfo;Password=…\".");
        }
        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
            throw new CannotStartException("ConnectionStrings:IbmInfo must name the PostgreSQL server (Host=…) and the database (Database=…).");
        return builder.ConnectionString;
    }

    private static bool LooksLikeSqlite(string connectionString) =>
        connectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase) || connectionString.Contains("Filename", StringComparison.OrdinalIgnoreCase);

    /// <summary>The database file; null for PostgreSQL and for an in-memory database.</summary>
    public string? FilePath { get; }

    /// <summary>Why the database is served read-only; null when the site may write to it.</summary>
    public string? ReadOnlyReason { get; }

    /// <summary>Why nothing can be stored just now, or null when the database can be written; cheap enough for every health probe.</summary>
    public async Task<string?> CannotWriteAsync(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.PostgreSql) return await PostgreSqlCannotWriteAsync(cancellationToken);
        if (FilePath is null) return null;
        if (ReadOnlyReason is not null) return $"the database {FilePath} cannot be written ({ReadOnlyReason}): the site serves it read-only";
        if (!File.Exists(FilePath)) return $"the database file {FilePath} is missing: restore it from a backup and restart the site";
        var free = new DriveInfo(Path.GetDirectoryName(FilePath)!).AvailableFreeSpace;
        if (free < MinimumFreeBytes) return $"the disk holding {FilePath} is full ({free / 1024:N0} KB free)";
        return ProbeWrite(ConnectionString).Reason;
    }

    /// <summary>Whether the server answers within a few seconds and takes writes (not a read-only standby).</summary>
    private async Task<string?> PostgreSqlCannotWriteAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 3, CommandTimeout = 3 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_setting('transaction_read_only')", connection);
            return (string?)await command.ExecuteScalarAsync(cancellationToken) == "off"
                ? null
                : $"the PostgreSQL database {builder.Database} on {builder.Host} takes no writes (a read-only server or standby)";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return $"the PostgreSQL database {builder.Database} on {builder.Host} cannot be reached ({e.Message})";
        }
    }

    /// <summary>Room a write needs: the write-ahead log grows by a few pages per write, a sync by megabytes.</summary>
    private const long MinimumFreeBytes = 1024 * 1024;

    /// <summary>
    /// Takes the write lock and lets it go again without writing: refused by a read-only file, not by a busy one. Asked
    /// of SQLite itself, which answers "busy" at once (its busy timeout is 0 on this connection), where a command
    /// would retry for at least a second: while an import writes, every probe would wait that second to learn that
    /// another connection is writing.
    /// </summary>
    private static (string? Reason, bool FolderReadOnly) ProbeWrite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(builder.DataSource)) return (null, false);
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            var begin = raw.sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE") & 0xFF; // the primary result code
            if (begin is raw.SQLITE_BUSY or raw.SQLITE_LOCKED) return (null, false); // another connection is writing: the file can be written
            SqliteException.ThrowExceptionForRC(begin, connection.Handle);
            raw.sqlite3_exec(connection.Handle, "ROLLBACK");
            return (null, false);
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
    /// <summary>
    /// SQLite's busy, locked, read-only, I/O error, disk full and cannot-open codes, or the file gone; PostgreSQL
    /// unreachable, out of room (class 53), shutting down (57P), read-only (25006) or a lock timeout (55P03).
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DatabaseFileMissingException) return true;
            if (e is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 13 or 14 }) return true;
            if (e is PostgresException postgres)
                return postgres.SqlState.StartsWith("53", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || postgres.SqlState is "25006" or "55P03";
            if (e is NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }

    /// <summary>
    /// The site's database context on the configured provider: every SQLite-only piece (the busy timeout, the guard
    /// against a deleted file) is registered with SQLite alone.
    /// </summary>
    public static IServiceCollection AddIbmInfoDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DatabaseAccess>();
        if (DatabaseAccess.ProviderFrom(configuration) == DatabaseProvider.PostgreSql)
            return services.AddDbContext<IbmInfoDb, PostgreSqlIbmInfoDb>((provider, options) => options.UseNpgsql(
                provider.GetRequiredService<DatabaseAccess>().ConnectionString,
                npgsql => npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
        return services.AddDbContext<IbmInfoDb, SqliteIbmInfoDb>((provider, options) => options.UseSqlite(
                provider.GetRequiredService<DatabaseAccess>().ConnectionString,
                sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .AddInterceptors(SqliteSettings.ConnectionInterceptor)
            .AddDatabaseFileGuard(provider.GetRequiredService<DatabaseAccess>()));
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
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await access.CannotWriteAsync(cancellationToken) is string reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy("the database can be written");
}
