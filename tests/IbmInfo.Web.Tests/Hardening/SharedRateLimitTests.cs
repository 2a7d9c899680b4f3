using System.Net;
using System.Net.Sockets;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Two nodes behind one balancer, each with its own database: with <c>Redis:Configuration</c> they share one count per
/// reader; without it each counts alone; with Redis out of reach each counts alone again and nothing fails.
/// </summary>
public sealed class SharedRateLimitTests : IDisposable
{
    private readonly ProxiedApp _a = new();
    private readonly ProxiedApp _b = new();

    private void Nodes(string? redis)
    {
        foreach (var node in new[] { _a, _b })
        {
            node.App.Settings["RateLimits:FormPostsPerMinute"] = "3";
            node.App.Settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
            if (redis is not null) node.App.Settings["Redis:Configuration"] = redis;
        }
    }

    [Fact]
    public async Task With_redis_posts_through_one_node_count_on_the_other()
    {
        Nodes(TestRedis.Configuration);
        var reader = TestRedis.NewReaderAddress();

        for (var i = 1; i <= 3; i++)
        {
            using var accepted = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), $"Question {i}?");
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }
        using var refused = await ProxiedApp.AskAsync(_b.Client(forwardedFor: reader), "Question 4?");
        using var otherReader = await ProxiedApp.AskAsync(_b.Client(forwardedFor: TestRedis.NewReaderAddress()), "Someone else's question?");

        await RateLimitTests.AssertCalmRefusalAsync(refused);
        Assert.Equal(HttpStatusCode.Redirect, otherReader.StatusCode);
        await _a.App.WithDbAsync(async db => Assert.Equal(3, await db.Questions.CountAsync()));
        await _b.App.WithDbAsync(async db => Assert.Equal(1, await db.Questions.CountAsync()));
    }

    [Fact]
    public async Task Without_redis_each_node_counts_alone()
    {
        Nodes(redis: null);
        var reader = TestRedis.NewReaderAddress();

        foreach (var node in new[] { _a, _b })
        {
            for (var i = 1; i <= 3; i++)
            {
                using var accepted = await ProxiedApp.AskAsync(node.Client(forwardedFor: reader), $"Question {i}?");
                Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            }
            using var refused = await ProxiedApp.AskAsync(node.Client(forwardedFor: reader), "Question 4?");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }
    }

    [Fact]
    public async Task With_redis_out_of_reach_each_node_counts_alone_and_says_so_in_the_log()
    {
        Nodes(redis: $"127.0.0.1:{NothingListens()},connectTimeout=500");
        var reader = TestRedis.NewReaderAddress();

        for (var i = 1; i <= 3; i++)
        {
            using var accepted = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), $"Question {i}?");
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }
        using var refused = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), "Question 4?");
        using var onTheOtherNode = await ProxiedApp.AskAsync(_b.Client(forwardedFor: reader), "Question 4, again?");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "no Retry-After");
        Assert.Equal(HttpStatusCode.Redirect, onTheOtherNode.StatusCode);
        Assert.Single(_a.Log().Split('\n'), line => line.StartsWith("Warning: Redis", StringComparison.Ordinal) && line.Contains("cannot be reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_redis_stops_answering_posts_are_still_answered_and_counted_by_the_node()
    {
        using var link = new RedisLink(TestRedis.Configuration);
        Nodes($"127.0.0.1:{link.Port},asyncTimeout=1000,syncTimeout=1000");
        var reader = TestRedis.NewReaderAddress();
        using var counted = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), "Question 1?");
        Assert.Equal(HttpStatusCode.Redirect, counted.StatusCode);

        link.Freeze();
        // The node's own count starts afresh: three more are let through, the fourth is refused as usual.
        for (var i = 2; i <= 4; i++)
        {
            using var accepted = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), $"Question {i}?");
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }
        using var refused = await ProxiedApp.AskAsync(_a.Client(forwardedFor: reader), "Question 5?");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Single(_a.Log().Split('\n'), line => line.StartsWith("Warning: Redis", StringComparison.Ordinal) && line.Contains("cannot be reached", StringComparison.Ordinal));
        Assert.DoesNotContain("Error:", _a.Log());
    }

    [Fact]
    public async Task The_health_check_names_redis_and_stays_200_when_it_is_down()
    {
        _a.App.Settings["Redis:Configuration"] = TestRedis.Configuration;
        _b.App.Settings["Redis:Configuration"] = $"127.0.0.1:{NothingListens()},connectTimeout=500";

        var (upStatus, up) = await HealthAsync(_a);
        var (downStatus, down) = await HealthAsync(_b);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (upStatus, up));
        Assert.Equal(HttpStatusCode.OK, downStatus);
        Assert.StartsWith("Degraded\n", down, StringComparison.Ordinal);
        Assert.Contains("redis: Degraded", down);
    }

    /// <summary>The answer of <c>/healthz</c> once the content has loaded.</summary>
    private static async Task<(HttpStatusCode, string)> HealthAsync(ProxiedApp node)
    {
        using var client = node.Client();
        for (var i = 0; ; i++)
        {
            using var response = await client.GetAsync("/healthz");
            var body = await response.Content.ReadAsStringAsync();
            if (!body.Contains("content: Unhealthy", StringComparison.Ordinal) || i == 100) return (response.StatusCode, body);
            await Task.Delay(100);
        }
    }

    private static int NothingListens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
