using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// Told whenever what readers see may have changed — a content sync, a review transition, a submitted version, an
/// account command — after it has been committed, so that every cached reader page is dropped. The one place all
/// writers call. On SQLite (one process) the generation is this process's counter. On PostgreSQL it is the one row of
/// <c>SiteGeneration</c>, bumped here with a <c>pg_notify</c> in the same transaction, so every node's
/// <see cref="SiteChangeListener"/> hears of it once it can be read.
/// </summary>
public sealed class SiteChanges(ContentStatus status, IOutputCacheStore pages, DatabaseAccess database, ILogger<SiteChanges> logger)
{
    /// <summary>The channel every node listens on; the payload is the new generation.</summary>
    public const string Channel = "ibminfo_site_changes";

    public async Task NotifyAsync(CancellationToken cancellationToken = default)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            try
            {
                status.Made(await BumpAsync(database.ConnectionString, cancellationToken));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The change itself is committed: this node drops its pages all the same; the others see the change
                // when their listener next reads the generation.
                logger.LogWarning(e, "Could not bump the content generation in the database; the other nodes see the change when they next read it");
            }
        }
        // The generation first: a page still being rendered from the old state is stored under the old one, unseen.
        status.Changed();
        await pages.EvictByTagAsync(PageCaching.Tag, cancellationToken);
    }

    /// <summary>One statement, so one transaction: the notification is delivered on commit, with the value it carries.</summary>
    private static async Task<long> BumpAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var bump = new NpgsqlCommand(
            $"""
            WITH bumped AS (UPDATE "SiteGeneration" SET "Value" = "Value" + 1 WHERE "Id" = {SiteGeneration.OnlyRow} RETURNING "Value")
            SELECT "Value", pg_notify('{Channel}', "Value"::text) FROM bumped
            """, connection);
        return (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The database's generation now, for a node that may have missed notifications.</summary>
    internal static async Task<long> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"""SELECT "Value" FROM "SiteGeneration" WHERE "Id" = {SiteGeneration.OnlyRow}""", connection);
        return (long)(await read.ExecuteScalarAsync(cancellationToken))!;
    }
}
