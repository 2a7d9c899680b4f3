using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Behind a load balancer the reader's address and scheme come from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, but only when the balancer is a listed proxy: anyone else's headers change nothing.
/// </summary>
public sealed class TrustedProxyTests : IDisposable
{
    private readonly ProxiedApp _site = new();

    private void TrustThisMachineAsTheBalancer() => _site.App.Settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";

    [Fact]
    public async Task A_trusted_balancers_forwarded_address_is_what_the_rate_limit_counts()
    {
        TrustThisMachineAsTheBalancer();
        _site.App.Settings["RateLimits:FormPostsPerMinute"] = "2";
        // nginx's $proxy_add_x_forwarded_for appends the address it saw to whatever the reader sent: the last one counts.
        var first = _site.Client(forwardedFor: "198.51.100.1, 203.0.113.10");
        var sameReaderMadeUpAddress = _site.Client(forwardedFor: "198.51.100.2, 203.0.113.10");
        var otherReader = _site.Client(forwardedFor: "203.0.113.11");

        using var one = await ProxiedApp.AskAsync(first, "Question 1?");
        using var two = await ProxiedApp.AskAsync(sameReaderMadeUpAddress, "Question 2?");
        using var three = await ProxiedApp.AskAsync(sameReaderMadeUpAddress, "Question 3?");
        using var other = await ProxiedApp.AskAsync(otherReader, "Another reader's question?");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, two.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
        Assert.True(three.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, "no Retry-After of 1-60 s");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        await _site.App.WithDbAsync(async db => Assert.Equal(3, await db.Questions.CountAsync()));
    }

    [Fact]
    public async Task The_sign_in_log_names_the_forwarded_address()
    {
        TrustThisMachineAsTheBalancer();
        var client = _site.Client(forwardedFor: "203.0.113.20");

        using var refused = await client.SignInAsync("nobody@example.org", "not a password of anyone");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        await WaitForLogAsync("Sign-in refused for \"nobody@example.org\" from \"203.0.113.20\"");
    }

    [Fact]
    public async Task Forwarded_headers_from_a_sender_that_is_not_a_listed_proxy_are_ignored()
    {
        _site.App.Settings["ForwardedHeaders:KnownProxies:0"] = "192.0.2.99"; // some other machine is the balancer
        _site.App.Settings["RateLimits:FormPostsPerMinute"] = "2";

        using var one = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.31"), "Question 1?");
        using var two = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.32"), "Question 2?");
        using var three = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.33"), "Question 3?");
        using var signIn = await _site.Client(forwardedFor: "203.0.113.34").SignInAsync("nobody@example.org", "not a password of anyone");

        Assert.Equal(HttpStatusCode.Redirect, two.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
        await WaitForLogAsync("Sign-in refused for \"nobody@example.org\" from \"127.0.0.1\"");
        Assert.DoesNotContain("203.0.113.", _site.Log());
    }

    [Fact]
    public async Task With_no_proxy_listed_forwarded_headers_are_ignored()
    {
        _site.App.Settings["RateLimits:FormPostsPerMinute"] = "1";

        using var one = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.41"), "Question 1?");
        using var two = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.42"), "Question 2?");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, two.StatusCode);
    }

    [Fact]
    public async Task Https_at_the_balancer_gives_hsts_and_a_secure_cookie_only_when_the_balancer_is_trusted()
    {
        TrustThisMachineAsTheBalancer();

        using var trusted = await GetAsHttpsAsync(_site.Client(forwardedProto: "https"));
        using var plain = await GetAsHttpsAsync(_site.Client());

        Assert.True(trusted.Headers.Contains("Strict-Transport-Security"), "no HSTS for a request that reached the balancer over https");
        Assert.Contains(AudienceCookie(trusted), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"), "HSTS over plain http");
        Assert.DoesNotContain(AudienceCookie(plain), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task X_forwarded_proto_from_an_untrusted_sender_does_not_make_the_request_https()
    {
        _site.App.Settings["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8";

        using var response = await GetAsHttpsAsync(_site.Client(forwardedProto: "https"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(AudienceCookie(response), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_frameworks_switch_still_trusts_any_sender_unless_proxies_are_listed()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, as configuration sees it.
        _site.App.Settings["FORWARDEDHEADERS_ENABLED"] = "true";
        _site.App.Settings["RateLimits:FormPostsPerMinute"] = "1";

        using var one = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.51"), "Question 1?");
        using var two = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.52"), "Question 2?");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, two.StatusCode);
    }

    [Fact]
    public async Task With_the_frameworks_switch_and_a_list_the_list_decides()
    {
        _site.App.Settings["FORWARDEDHEADERS_ENABLED"] = "true";
        _site.App.Settings["ForwardedHeaders:KnownProxies:0"] = "192.0.2.99";
        _site.App.Settings["RateLimits:FormPostsPerMinute"] = "1";

        using var one = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.61"), "Question 1?");
        using var two = await ProxiedApp.AskAsync(_site.Client(forwardedFor: "203.0.113.62"), "Question 2?");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, two.StatusCode);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.300")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:ForwardLimit", "0")]
    public void A_setting_that_is_not_an_address_stops_the_app_at_start_with_the_setting_named(string setting, string value)
    {
        _site.App.Settings["ForwardedHeaders:KnownProxies:1"] = "127.0.0.1";
        _site.App.Settings[setting] = value;

        var error = Assert.Throws<OptionsValidationException>(() => _site.BaseUrl);

        Assert.Contains(setting.Replace(":0", "", StringComparison.Ordinal), error.Message);
    }

    /// <summary>A page that sets the audience cookie, asked for under the public name (HSTS is never sent for an IP address).</summary>
    private static Task<HttpResponseMessage> GetAsHttpsAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/articles/" + ProxiedApp.Slug + "?audience=clinician");
        request.Headers.Host = "ibminfo.example";
        return client.SendAsync(request);
    }

    private static IEnumerable<string> AudienceCookie(HttpResponseMessage response)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.NotEmpty(cookies);
        return cookies;
    }

    private async Task WaitForLogAsync(string text)
    {
        for (var i = 0; i < 50 && !_site.Log().Contains(text, StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.Contains(text, _site.Log());
    }

    public void Dispose() => _site.Dispose();
}
