using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// <c>ForwardedHeaders:*</c>: the load balancers or reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> the site believes. With none listed, the headers are ignored and the connection's own
/// address and scheme count.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of the proxies, such as <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Networks of the proxies in CIDR notation, such as <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row to read back through (one balancer in front of the nodes: 1).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool AnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>
/// Behind a load balancer every request arrives from the balancer. The framework's forwarded-headers middleware, fed by
/// <see cref="ForwardedHeadersSettings"/>, puts the reader's address and scheme back (rate limits, sign-in lockouts,
/// logs, HSTS and secure cookies depend on them), but only for requests that come from a listed proxy: anyone else's
/// <c>X-Forwarded-For</c> is ignored, so a reader cannot pose as another address to escape a limit.
/// The framework's own switch, <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, still works as it always did (trusting
/// the headers from any sender unless proxies are listed here too).
/// </summary>
public static class TrustedProxies
{
    private const string Section = "ForwardedHeaders";

    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var settings = builder.Services.AddOptions<ForwardedHeadersSettings>()
            .Bind(builder.Configuration.GetSection(Section))
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must list IP addresses, such as 10.0.0.5.")
            .Validate(s => s.KnownNetworks.All(n => IPNetwork.TryParse(n, out _)), "ForwardedHeaders:KnownNetworks must list networks in CIDR notation, such as 10.0.0.0/24.")
            .Validate(s => s.ForwardLimit is >= 1 and <= 10, "ForwardedHeaders:ForwardLimit must be a number from 1 to 10.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, configured) =>
        {
            var proxies = configured.Value;
            if (!proxies.AnyProxy) return;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = proxies.ForwardLimit;
            // Exactly the listed proxies: the framework's default (loopback) is replaced, not added to.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.KnownNetworks) options.KnownIPNetworks.Add(IPNetwork.Parse(network));
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it sees the reader's address and scheme.</summary>
    public static WebApplication UseForwardedHeadersFromTrustedProxies(this WebApplication app)
    {
        // With ASPNETCORE_FORWARDEDHEADERS_ENABLED the framework has already put the middleware first (with these options).
        var frameworkDoesIt = string.Equals(app.Configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
        if (!frameworkDoesIt && app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.AnyProxy)
            app.UseForwardedHeaders();
        return app;
    }
}
