using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// On PostgreSQL, keeps this node's caches in step with the others: a connection of its own <c>LISTEN</c>s on
/// <see cref="SiteChanges.Channel"/>, and each generation heard moves this node's generation on and drops its cached
/// reader pages. After connecting (and after every reconnection) it reads the generation, so a change made while it
/// was not listening is not missed; it reads it again whenever a minute passes without a notification, which also
/// proves the connection alive. A dropped connection is retried after 1, 2, 4 … seconds, at most 30 apart.
/// Not registered on SQLite, where one process makes every change itself.
/// </summary>
internal sealed class SiteChangeListener(DatabaseAccess database, ContentStatus status, IOutputCacheStore pages, ILogger<SiteChangeListener> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietCheck = TimeSpan.FromMinutes(1);

    /// <summary>How the listening connection is named in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "ibminfo site changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(generation =>
                {
                    if (failures > 0) logger.LogInformation("Listening for other nodes' changes again after {Failures} failed attempt(s); content generation {Generation} read again", failures, generation);
                    else logger.LogInformation("Listening for other nodes' changes on {Channel}; content generation {Generation}", SiteChanges.Channel, generation);
                    retry = FirstRetry;
                    failures = 0;
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                logger.LogWarning("Lost the connection that hears other nodes' changes ({Error}); connecting again in {Seconds} s",
                    e.GetBaseException().Message, retry.TotalSeconds);
                try { await Task.Delay(retry, stoppingToken); }
                catch (OperationCanceledException) { return; }
                retry = retry * 2 > LongestRetry ? LongestRetry : retry * 2;
            }
        }
    }

    private async Task ListenAsync(Action<long> listening, CancellationToken stoppingToken)
    {
        // Not pooled: the connection lives as long as the listener, and a pooled one would be reset (UNLISTEN) on return.
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 15, ApplicationName = ApplicationName };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        var heard = new List<string>();
        connection.Notification += (_, e) => heard.Add(e.Payload);
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {SiteChanges.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        // Listening first, then reading: a change committed in between is both read and heard, and followed once.
        var now = await SiteChanges.ReadAsync(connection, stoppingToken);
        await FollowAsync(now, stoppingToken);
        listening(now);
        while (true)
        {
            // Notifications are raised on this thread, inside WaitAsync.
            var any = await connection.WaitAsync(QuietCheck, stoppingToken);
            if (!any)
            {
                await FollowAsync(await SiteChanges.ReadAsync(connection, stoppingToken), stoppingToken);
                continue;
            }
            foreach (var payload in heard)
                if (long.TryParse(payload, System.Globalization.CultureInfo.InvariantCulture, out var generation))
                    await FollowAsync(generation, stoppingToken);
            heard.Clear();
        }
    }

    private async Task FollowAsync(long generation, CancellationToken cancellationToken)
    {
        if (!status.Follow(generation)) return;
        logger.LogDebug("Content generation {Generation} in the database: dropping the cached reader pages", generation);
        await pages.EvictByTagAsync(PageCaching.Tag, cancellationToken);
    }
}
