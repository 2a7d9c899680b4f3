using Microsoft.Net.Http.Headers;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Refuses (403) any request that changes something — POST, PUT, PATCH, DELETE — when the browser says it comes from
/// another site: <c>Sec-Fetch-Site</c> other than <c>same-origin</c> or <c>none</c>, or else an <c>Origin</c> whose
/// host is not ours. This is what protects the readers' forms (question, feedback), which sit on cached pages and so
/// cannot carry a per-reader antiforgery token; the editors' and sign-in forms keep their tokens as well.
/// Requests with neither header come from programs, not from a page a browser was lured to, and pass.
/// </summary>
internal sealed class SameOriginPosts(RequestDelegate next, ILogger<SameOriginPosts> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || IsSameOrigin(request))
            return next(context);

        logger.LogWarning("Refused a cross-site {Method} to {Path} (Sec-Fetch-Site {Site}, Origin {Origin})",
            request.Method, request.Path.Value, request.Headers["Sec-Fetch-Site"].ToString(), request.Headers.Origin.ToString());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        var origin = request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length == 0) return true;
        // The host (and port) only: behind a TLS-terminating proxy the scheme we see may differ from the browser's.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
