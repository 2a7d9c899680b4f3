using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Hosting;

/// <summary><c>Site:BaseUrl</c>: the address readers reach the site at, such as <c>https://ibminfo.org</c>.</summary>
public sealed class SiteOptions
{
    public string? BaseUrl { get; set; }
}

/// <summary>
/// The scheme and host of every absolute link the site writes (sitemap, feed, structured data, "cite this page", the
/// alert card's QR code). Never the request's <c>Host</c> header outside Development: a page cached for everyone must
/// not carry an address a stranger chose. <c>Site:BaseUrl</c> when set; otherwise, in Development, the request's own
/// address, and anywhere else the first address the server listens on (a wildcard becoming <c>localhost</c>), with a
/// Warning in the log that links will be right only once <c>Site:BaseUrl</c> is set.
/// </summary>
public sealed class SiteAddress(IOptions<SiteOptions> options, IHostEnvironment environment, IServer server, ILogger<SiteAddress> logger)
{
    private readonly string? _configured = options.Value.BaseUrl?.TrimEnd('/');
    private string? _listening;

    public static WebApplicationBuilder AddSiteAddress(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>()
            .Bind(builder.Configuration.GetSection("Site"))
            .Validate(o => o.BaseUrl is null || IsBaseUrl(o.BaseUrl), "Site:BaseUrl must be an http or https address with no path, query or fragment, such as https://ibminfo.org.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SiteAddress>();
        return builder;
    }

    public string Base(HttpRequest request)
    {
        if (_configured is not null) return _configured;
        if (environment.IsDevelopment()) return $"{request.Scheme}://{request.Host}";
        return _listening ??= Listening();
    }

    /// <summary>The address for links made outside a request (e-mails): <c>Site:BaseUrl</c>, else where the server listens.</summary>
    public string Base() => _configured ?? (_listening ??= Listening());

    private string Listening()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        address = address.TrimEnd('/');
        if (environment.IsProduction())
            logger.LogWarning("Site:BaseUrl is not set: the sitemap, feed, structured data and alert card link to {Address}, where the server listens. Set Site:BaseUrl (Site__BaseUrl) to the address readers use", address);
        return address;
    }

    private static bool IsBaseUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
}
