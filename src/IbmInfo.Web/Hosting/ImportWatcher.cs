using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Notices an import made by another process (<c>content import</c> run beside the site) and drops the cached
/// reader pages, as an import made here does at once. It reads the newest import's id every few seconds: one
/// indexed integer. The site's own newest import (<see cref="ContentStatus.LastImportRunId"/>) has dropped them already.
/// <c>Content:ImportWatchMilliseconds</c> sets how often (3 seconds by default; the tests look more often).
/// </summary>
internal sealed class ImportWatcher(
    IServiceScopeFactory scopes, SiteChanges changes, ContentStatus status, IConfiguration configuration, ILogger<ImportWatcher> logger) : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(configuration.GetValue("Content:ImportWatchMilliseconds", 3000));

    // The newest import when the site started; null until it could be read.
    private int? _seen;
    private bool _known;

    /// <summary>
    /// Reads the newest import before the server takes requests (the migrations have run by then: this is registered
    /// after <see cref="StartupSync"/>), so an import made in the first seconds is not taken for the starting state.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _seen = await NewestImportAsync(cancellationToken);
            _known = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A read-only or not yet migrated database: the first read that works drops the pages once.
            logger.LogDebug(e, "Could not read the import record at start");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, stoppingToken);
                var last = await NewestImportAsync(stoppingToken);
                if ((!_known || last != _seen) && last != status.LastImportRunId)
                {
                    logger.LogInformation("An import was recorded (run {Run}); dropping the cached reader pages", last);
                    await changes.NotifyAsync(stoppingToken);
                }
                (_seen, _known) = (last, true);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be busy: try again next time.
                logger.LogDebug(e, "Could not read the import record");
            }
        }
    }

    private async Task<int?> NewestImportAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        return await db.ImportRuns.MaxAsync(r => (int?)r.Id, cancellationToken);
    }
}
