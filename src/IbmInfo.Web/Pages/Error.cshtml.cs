using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages;

/// <summary>The friendly page for unknown addresses and errors; never shows technical details.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public bool IsNotFound { get; private set; }
    public bool IsForbidden { get; private set; }

    public void OnGet(int? code) => Handle(code);

    // Re-executed error requests keep the original method, so a failed POST lands here too.
    public void OnPost(int? code) => Handle(code);

    private void Handle(int? code)
    {
        // Asked for directly, with no error behind it, this address is simply not a page.
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null;
        var status = code ?? (failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound);
        if (status is < 400 or > 599) status = StatusCodes.Status404NotFound;
        IsNotFound = status == StatusCodes.Status404NotFound;
        IsForbidden = status == StatusCodes.Status403Forbidden;
        Response.StatusCode = status;
    }
}
