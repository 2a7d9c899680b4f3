using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Before the server takes requests: applies the migrations, then syncs the content folder. A failed sync is
/// logged and leaves the last good state in the database being served.
/// </summary>
internal sealed class StartupSync(IServiceScopeFactory scopes, ContentOptions content, ILogger<StartupSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        await db.Database.MigrateAsync(cancellationToken);
        try
        {
            await scope.ServiceProvider.GetRequiredService<ContentSync>().RunAsync(content.Root, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Content sync failed; the site keeps serving what the database had");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Healthy once content has been synced at least once since start.</summary>
internal sealed class ContentHealthCheck(ContentStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Loaded
            ? HealthCheckResult.Healthy($"content synced at {status.LastSyncAt:O} with {status.Problems.Count} problem(s)")
            : HealthCheckResult.Unhealthy("content has not been synced"));
}
