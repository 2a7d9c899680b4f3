using Microsoft.Extensions.Primitives;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Strict security headers on every response: pages, error pages, 404s, 304s, static files, the health check and
/// whatever the output cache serves. The values are fixed strings built once; see docs/security.md for why each.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Only our own stylesheet and images; no script at all (the JSON-LD block is data, never executed); forms post
    /// only to us; no page may frame ours. The pages carry no inline styles or scripts, so nothing needs
    /// <c>'unsafe-inline'</c>: keep it that way (the browser tests fail on any violation).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Powerful browser features the portal never uses, switched off for it and anything it could embed.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), " +
        "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()";

    private static readonly KeyValuePair<string, StringValues>[] Headers =
    [
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        // Other sites learn that a reader came from IbmInfo, never which article (a diagnosis can be read from a URL).
        new("Referrer-Policy", "strict-origin-when-cross-origin"),
        new("Permissions-Policy", PermissionsPolicy),
        new("Cross-Origin-Opener-Policy", "same-origin"),
        new("Cross-Origin-Resource-Policy", "same-origin"),
        // For browsers too old for frame-ancestors.
        new("X-Frame-Options", "DENY"),
    ];

    /// <summary>
    /// The headers above on every response, and HSTS outside Development (over HTTPS, not for localhost). Call first in
    /// the pipeline: the headers are set as the response starts, so an error page or a cached copy carries them too.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use(static (context, next) =>
        {
            // OnStarting rather than now: the exception handler clears the headers before it writes the error page.
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                foreach (var (name, value) in Headers) headers[name] = value;
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// HSTS for a year once a reader has reached the site over HTTPS; not preloaded (that is the operator's call). No
    /// <c>Server</c> header.
    /// </summary>
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        // Nothing tells a visitor which server software answers.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
            options.Preload = false;
        });
        return builder;
    }
}
