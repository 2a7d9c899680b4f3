using System.Diagnostics;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// One structured event per request: method, path, status and elapsed milliseconds. Serilog.AspNetCore, which
/// would do this, cannot be installed from our package source (its dependencies are missing), so this is ours.
/// Quick successful requests log at Debug: written per request at tens of thousands a second, they would cost more
/// than serving the page. Client errors log at Information, slow requests at Warning, server errors at Error. Set
/// <c>Serilog:MinimumLevel:Override:IbmInfo.Web.Hosting.RequestLogging</c> to <c>Debug</c> for a full access log.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = context.Response.StatusCode;
            var level = status >= 500 ? LogLevel.Error
                : elapsed >= Slow ? LogLevel.Warning
                : status >= 400 ? LogLevel.Information
                : LogLevel.Debug;
            if (logger.IsEnabled(level))
            {
                logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, context.Request.Path.Value, status, elapsed.TotalMilliseconds);
            }
        }
    }
}
