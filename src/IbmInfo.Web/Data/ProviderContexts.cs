using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IbmInfo.Web.Data;

/// <summary>The databases the site runs on (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the app: the default, for a site on one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server that several app nodes share.</summary>
    PostgreSql,
}

/// <summary>The model on SQLite, with its own migrations (<c>Data/Migrations/Sqlite</c>).</summary>
public sealed class SqliteIbmInfoDb(DbContextOptions<SqliteIbmInfoDb> options) : IbmInfoDb(options)
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(ReviewTrail.SqlFunctionInterceptor.Instance);
}

/// <summary>The model on PostgreSQL, with its own migrations (<c>Data/Migrations/PostgreSql</c>).</summary>
public sealed class PostgreSqlIbmInfoDb(DbContextOptions<PostgreSqlIbmInfoDb> options) : IbmInfoDb(options)
{
    /// <summary>The advisory lock that writers of trail entries take, one at a time, for the rest of their transaction.</summary>
    public const long TrailLock = 0x1b31_0001;

    /// <summary>
    /// A transaction here does not lock anything by itself (read committed): two reviewers' steps would both chain from
    /// the same newest entry, and the unique index on the previous hash would refuse the second. The advisory lock
    /// makes the second wait, then read the first one's entry.
    /// </summary>
    protected override async Task LockTrailAsync(CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TrailLock})", cancellationToken);

    /// <summary>The advisory lock a content import holds for its transaction, so that one node imports at a time.</summary>
    public const long ImportLock = 0x1b31_0002;

    /// <summary>Does not wait: a node that finds another importing the same folder skips, and serves what that one stores.</summary>
    public override async Task<bool> TryLockImportAsync(CancellationToken cancellationToken) =>
        await Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({ImportLock}) AS \"Value\"").SingleAsync(cancellationToken);
}

/// <summary>For <c>dotnet ef migrations add … --context SqliteIbmInfoDb</c>: the tool needs no database to compare models.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIbmInfoDb>
{
    public SqliteIbmInfoDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIbmInfoDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgreSqlIbmInfoDb</c>.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlIbmInfoDb>
{
    public PostgreSqlIbmInfoDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlIbmInfoDb>().UseNpgsql("Host=localhost;Database=ibminfo").Options);
}
