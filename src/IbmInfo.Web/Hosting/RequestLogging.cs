using System.Diagnostics;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// One structured event per request: method, path, status and elapsed milliseconds. Serilog.AspNetCore, which
/// would do this, cannot be installed from our package source (its dependencies are missing), so this is ours.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.Response.StatusCode;
            logger.Log(status >= 500 ? LogLevel.Error : LogLevel.Information,
                "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                context.Request.Method, context.Request.Path.Value, status, elapsed);
        }
    }
}
