using Microsoft.AspNetCore.Mvc;
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
        >= 400 and < 500 => "We could not accept that request",
        _ => "Something went wrong",
    };

    public void OnGet() => Handle();

    // Re-executed error requests keep the original method, so a failed POST lands here too. The code is read from the
    // route, not bound: binding would read the failed post's form, which may be the very thing that was refused.
    public void OnPost() => Handle();

    private void Handle()
    {
        int? code = int.TryParse(RouteData.Values["code"] as string, out var routed) ? routed : null;
        // Asked for directly, with no error behind it, this address is simply not a page.
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null;
        var status = code ?? (failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound);
        if (status is < 400 or > 599) status = StatusCodes.Status404NotFound;
        Status = status;
        Response.StatusCode = status;
    }
}
