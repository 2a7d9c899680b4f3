using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Notices an import made by another process (<c>content import</c> run beside the site) and drops the cached
/// reader pages, as an import made here does at once. It reads the newest import's id every few seconds: one
/// indexed integer. The site's own imports are noticed too; dropping the cache a second time is harmless.
/// </summary>
internal sealed class ImportWatcher(IServiceScopeFactory scopes, SiteChanges changes, ILogger<ImportWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int? seen = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
                var last = await db.ImportRuns.MaxAsync(r => (int?)r.Id, stoppingToken);
                if (seen is not null && last != seen)
                {
                    logger.LogInformation("An import was recorded (run {Run}); dropping the cached reader pages", last);
                    await changes.NotifyAsync(stoppingToken);
                }
                seen = last;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may still be migrating at start, or be busy: try again next time.
                logger.LogDebug(e, "Could not read the import record");
            }
        }
    }
}
