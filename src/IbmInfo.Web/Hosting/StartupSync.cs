using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Applies the migrations (unless <c>Database:MigrateAtStart</c> is off; then it refuses to start on a database that
/// lacks one) and switches on SQLite's write-ahead logging before the server takes requests, then syncs the
/// content folder. On a first start (no content in the database yet) the sync runs before the server starts, so the
/// site is never seen empty; on a restart the server serves at once what the database holds (the last good state)
/// and the sync runs in the background, begun as the server starts, with <c>/healthz</c> unhealthy until it is done.
/// A sync that fails (the database busy or full, the folder unreadable) is logged, leaves the last good state being
/// served, and is tried again in the background after 1, 2, 4 … seconds, at most five minutes apart, until one
/// succeeds.
/// </summary>
internal sealed class StartupSync(IServiceScopeFactory scopes, ContentOptions content, DatabaseAccess database, ContentStatus status, TimeProvider clock, ILogger<StartupSync> logger) : IHostedService
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    // Never disposed: the host may call StopAsync again after disposing its services, and this one holds no timer.
    private readonly CancellationTokenSource _stopping = new();
    private bool _syncAfterStart;
    private Task _backgroundSync = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.ReadOnlyReason is string readOnly)
        {
            logger.LogError("The database {File} cannot be written ({Reason}): serving what it holds, read-only, without migrations or the content sync; readers' questions are refused until it can be written and the site restarted",
                database.FilePath, readOnly);
            return;
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
            if (database.MigrateAtStart) await MigrateAsync(db, cancellationToken);
            else if (await PendingMigrationsAsync(db, cancellationToken) is { Count: > 0 } pending)
                throw new CannotStartException($"The database has not had {pending.Count} migration(s) this release needs ({string.Join(", ", pending)}): run `IbmInfo.Web db migrate` once (a deploy step), then start the site. (Database:MigrateAtStart is off.)");
            await SqliteSettings.UseWriteAheadLogAsync(db, cancellationToken);
            _syncAfterStart = await db.Articles.AnyAsync(cancellationToken);
        }
        if (_syncAfterStart)
            logger.LogInformation("Serving the content the database holds; the sync from {Root} runs beside the server", content.Root);
        else if (!await TrySyncAsync(retryIn: FirstRetry, cancellationToken))
            _syncAfterStart = true; // the server starts all the same, and the sync is retried in the background
        // Begun now rather than once the server has started: the sync reads the files on one core while the server
        // starts on the other, and the server serves what the database holds meanwhile.
        if (_syncAfterStart) _backgroundSync = Task.Run(() => SyncUntilDoneAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// The migrations the database lacks. An empty database has no history table: asked for it anyway, PostgreSQL
    /// answers with an error that EF logs, which would read as a fault on a first deploy.
    /// </summary>
    internal static async Task<List<string>> PendingMigrationsAsync(IbmInfoDb db, CancellationToken cancellationToken) =>
        await HistoryExistsAsync(db, cancellationToken)
            ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
            : db.Database.GetMigrations().ToList();

    /// <summary>Npgsql's history repository answers "exists" by reading the table; information_schema asks without an error.</summary>
    private static async Task<bool> HistoryExistsAsync(IbmInfoDb db, CancellationToken cancellationToken) => db is PostgreSqlIbmInfoDb
        ? await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {HistoryRepository.DefaultTableName}").SingleAsync(cancellationToken) > 0
        : await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken);

    /// <summary>Applies the migrations the database lacks; returns their names.</summary>
    internal static async Task<List<string>> MigrateAsync(IbmInfoDb db, CancellationToken cancellationToken)
    {
        // The history table first: on an empty PostgreSQL database EF reads it before making it, and logs the failed
        // read as an error.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        // With nothing to apply, MigrateAsync would only take the migration lock and compare the model with the last
        // migration's snapshot, a fifth of a second of every restart; MigrationsTests makes that comparison instead.
        if (pending.Count > 0) await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        // The sync is one transaction: cancelled, it rolls back and the database keeps the last good state.
        await _backgroundSync.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SyncUntilDoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            // After a failed first sync, the first try here is already a retry: wait before it.
            if (status.LastFailure is not null) await Task.Delay(FirstRetry, clock, cancellationToken);
            for (var delay = FirstRetry; !await TrySyncAsync(Next(delay), cancellationToken); delay = Next(delay))
                await Task.Delay(Next(delay), clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static TimeSpan Next(TimeSpan delay) => delay * 2 > LongestRetry ? LongestRetry : delay * 2;

    /// <summary>One sync; a failure is logged and recorded for <c>/healthz</c>, with when it is tried again.</summary>
    private async Task<bool> TrySyncAsync(TimeSpan retryIn, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ContentSync>().RunAsync(content.Root, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var retryAt = clock.GetUtcNow().UtcDateTime + retryIn;
            status.LastFailure = $"the content sync failed at {clock.GetUtcNow().UtcDateTime:O} ({e.GetBaseException().Message.ReplaceLineEndings(" ")}); trying again at {retryAt:O}";
            logger.LogError(e, "Content sync failed; the site keeps serving what the database had, and tries again in {RetrySeconds} s", retryIn.TotalSeconds);
            return false;
        }
    }
}

/// <summary>Healthy once content has been synced at least once since start; until then, says why not.</summary>
internal sealed class ContentHealthCheck(ContentStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Loaded
            ? HealthCheckResult.Healthy($"content synced at {status.LastSyncAt:O} with {status.Problems.Count} problem(s)")
            : HealthCheckResult.Unhealthy(status.LastFailure ?? "the content has not been synced yet since the site started"));
}
