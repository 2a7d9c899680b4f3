using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Requests that are the client's mistake get a 4xx and the calm error page, never a 500: a method a page has no
/// handler for (405 with <c>Allow</c>), a <c>Host</c> header that cannot name this site (400), a form the framework
/// refuses to read, such as one with more than 1,024 fields (400), and a database that cannot be written (503).
/// </summary>
public static class CalmErrors
{
    /// <summary>The longest host name DNS allows (253) with room for a port.</summary>
    private const int MaxHostLength = 253 + 6;

    public static WebApplicationBuilder AddCalmErrors(this WebApplicationBuilder builder)
    {
        // Each page answers GET and HEAD, and POST only where it has a POST handler; the routing then answers any
        // other method with 405 and the Allow header. The error page answers every method: it is re-executed with
        // the method of the request that failed.
        builder.Services.PostConfigure<RazorPagesOptions>(options => options.Conventions.Add(new PageMethods()));
        return builder;
    }

    /// <summary>What the exception handler answers: the status an exception stands for, and whether it is worth an Error log.</summary>
    public static ExceptionHandlerOptions ExceptionHandler => new()
    {
        ExceptionHandlingPath = "/error",
        StatusCodeSelector = StatusFor,
        // A client's malformed request is answered and logged (as a 4xx) by the request log; only our faults are errors.
        SuppressDiagnosticsCallback = context => StatusFor(context.Exception) is >= 400 and < 500,
    };

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        // The form reader's own limits: too many fields, a key or value too long, a malformed multipart body.
        InvalidDataException => StatusCodes.Status400BadRequest,
        _ when DatabaseFaults.IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Refuses (400) a request whose <c>Host</c> is empty, too long or has a port outside 1–65535; after the status-code pages, which show the calm page.</summary>
    public static WebApplication UseValidHostHeader(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // The error page re-executed for this very 400 passes, so that the answer is the calm page, not an empty one.
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || IsValidHost(context.Request.Host.Value)) return next(context);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        });
        return app;
    }

    public static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxHostLength) return false;
        // Kestrel has already refused characters no host may have; what is left to check is the port.
        var colon = host.LastIndexOf(':');
        if (colon < 0 || host.EndsWith(']')) return true;
        return int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
    }

    private sealed class PageMethods : IPageApplicationModelConvention
    {
        public void Apply(PageApplicationModel model)
        {
            if (model.ViewEnginePath == "/Error") return;
            var methods = new List<string> { HttpMethods.Get, HttpMethods.Head };
            if (model.HandlerMethods.Any(h => string.Equals(h.HttpMethod, "Post", StringComparison.OrdinalIgnoreCase))) methods.Add(HttpMethods.Post);
            model.EndpointMetadata.Add(new HttpMethodMetadata(methods));
        }
    }
}
