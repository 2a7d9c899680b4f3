using System.Threading.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RedisRateLimiting;
using StackExchange.Redis;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// With <c>Redis:Configuration</c> set, the rate limits are counted in Redis, so every node behind the balancer adds to
/// one count per client address; without it each node counts alone (<see cref="RateLimits"/>). Redis being out of
/// reach must not take the site down: while it cannot be reached each node counts alone again, and says so in the log
/// (one Warning when Redis goes, one Information when it is back).
/// </summary>
internal sealed class SharedRateLimits(IConnectionMultiplexer redis, ILogger<SharedRateLimits> logger)
{
    public const string Setting = "Redis:Configuration";

    /// <summary>What the keys in Redis start with, so that a Redis shared with other programs shows whose they are.</summary>
    private const string KeyPrefix = "ibminfo:rate:";

    /// <summary>After a failed call, posts are counted here alone this long before Redis is tried again, so that a
    /// Redis that hangs costs one slow post, not every post its timeout.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    private int _unreachable;
    private long _retryAt;

    public static void AddWhenConfigured(WebApplicationBuilder builder)
    {
        if (builder.Configuration[Setting] is not { Length: > 0 } configuration) return;
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{Setting} is not a StackExchange.Redis configuration string (such as 127.0.0.1:6379,password=…): {e.Message}", e);
        }
        // Start, and keep serving, while Redis is down; the multiplexer reconnects by itself.
        options.AbortOnConnectFail = false;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSingleton<SharedRateLimits>();
        builder.Services.AddHostedService<ConnectAtStart>();
        // Degraded, not Unhealthy: the site serves and limits without Redis, so a balancer must keep the node (200).
        builder.Services.AddHealthChecks().AddRedis(services => services.GetRequiredService<IConnectionMultiplexer>(),
            name: "redis", failureStatus: HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// Connects while the site starts (waiting at most the configuration's <c>connectTimeout</c>, 5 s by default), not
    /// on a reader's first post, and says at once when Redis cannot be reached.
    /// </summary>
    private sealed class ConnectAtStart(SharedRateLimits limits) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!limits.Reachable) limits.CountingAlone(null);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public RateLimitPartition<string> FixedWindow(string key, FixedWindowRateLimiterOptions window) =>
        RateLimitPartition.Get(key, k => new SharedOrLocal(this,
            new RedisFixedWindowRateLimiter<string>(KeyPrefix + k, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = window.PermitLimit,
                Window = window.Window,
            }),
            new FixedWindowRateLimiter(window)));

    private bool Reachable => redis.IsConnected && Environment.TickCount64 >= Interlocked.Read(ref _retryAt);

    // The addresses only: the configuration string may hold a password.
    private string Where => string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()));

    private void CountingAlone(Exception? error)
    {
        if (error is not null) Interlocked.Exchange(ref _retryAt, Environment.TickCount64 + (long)RetryAfterFailure.TotalMilliseconds);
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
            logger.LogWarning(error, "Redis ({Redis}) cannot be reached: rate limits are counted by this node alone until it is back", Where);
    }

    private void CountingShared()
    {
        if (Interlocked.Exchange(ref _unreachable, 0) == 1)
            logger.LogInformation("Redis ({Redis}) is back: rate limits are shared by every node again", Where);
    }

    /// <summary>One client's allowance: in Redis when it answers, else this node's own count.</summary>
    private sealed class SharedOrLocal(SharedRateLimits owner, RateLimiter shared, RateLimiter local) : RateLimiter
    {
        // Idle (and so removable) only when both are.
        public override TimeSpan? IdleDuration =>
            shared.IdleDuration is { } a && local.IdleDuration is { } b ? (a < b ? a : b) : null;

        // This node's own count: asking Redis for statistics would be a call of its own.
        public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            if (!owner.Reachable)
            {
                owner.CountingAlone(null);
                return local.AttemptAcquire(permitCount);
            }
            try
            {
                // Not taken as a sign that Redis answers: a refusal here sends the middleware on to AcquireAsync.
                return shared.AttemptAcquire(permitCount);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                owner.CountingAlone(e);
                return local.AttemptAcquire(permitCount);
            }
        }

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (!owner.Reachable)
            {
                owner.CountingAlone(null);
                return await local.AcquireAsync(permitCount, cancellationToken);
            }
            try
            {
                var lease = await shared.AcquireAsync(permitCount, cancellationToken);
                owner.CountingShared();
                return lease;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                owner.CountingAlone(e);
                return await local.AcquireAsync(permitCount, cancellationToken);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                shared.Dispose();
                local.Dispose();
            }
            base.Dispose(disposing);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await shared.DisposeAsync();
            await local.DisposeAsync();
        }
    }
}
