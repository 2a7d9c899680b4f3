using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages;

/// <summary>The friendly page for unknown addresses and errors; never shows technical details.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public bool IsNotFound => Status == StatusCodes.Status404NotFound;
    public bool IsForbidden => Status == StatusCodes.Status403Forbidden;

    /// <summary>413: a form post far larger than any real question.</summary>
    public bool IsTooLarge => Status == StatusCodes.Status413PayloadTooLarge;

    /// <summary>429: too many posts from one address in a short time.</summary>
    public bool IsTooMany => Status == StatusCodes.Status429TooManyRequests;

    /// <summary>400 and other mistakes in the request itself, such as a form sent from an old or forged page.</summary>
    public bool IsBadRequest => Status is >= 400 and < 500 && !IsNotFound && !IsForbidden && !IsTooLarge && !IsTooMany;

    /// <summary>What the browser tab says.</summary>
    public string Title => Status switch
    {
        StatusCodes.Status404NotFound => "Page not found",
        StatusCodes.Status403Forbidden => "You do not have access to this page",
        StatusCodes.Status413PayloadTooLarge => "That was too much to send",
        StatusCodes.Status429TooManyRequests => "Please wait a minute",
        StatusCodes.Status503ServiceUnavailable => "We cannot take messages just now",
        >= 400 and < 500 => "We could not accept that request",
        _ => "Something went wrong",
    };

    /// <summary>503: the database cannot be written just now (disk full, file missing or read-only).</summary>
    public bool IsUnavailable => Status == StatusCodes.Status503ServiceUnavailable;

    // Runs whatever the method, also where there is no handler for it: error requests are re-executed with the method
    // of the request that failed (PUT, DELETE …). The code is read from the route, not bound: binding would read the
    // failed post's form, which may be the very thing that was refused.
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var failed = HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        // Asked for directly, with no error behind it, this address is simply not a page, whatever code it names.
        var status = failed ? Response.StatusCode
            : reExecuted && int.TryParse(RouteData.Values["code"] as string, out var routed) ? routed
            : StatusCodes.Status404NotFound;
        if (status is < 400 or > 599) status = failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound;
        Status = status;
        Response.StatusCode = status;
    }
}
