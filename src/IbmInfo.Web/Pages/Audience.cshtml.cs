using IbmInfo.Content;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages;

/// <summary>Receives the "Which best describes you?" form, remembers the choice and goes back to the page.</summary>
public sealed class AudienceModel : PageModel
{
    public Audience Current { get; private set; }
    public bool NoChoice { get; private set; }

    public void OnGet() => Current = AudienceChoice.Resolve(HttpContext);

    public IActionResult OnPost(string? audience, string? returnUrl)
    {
        if (!AudienceChoice.TryParse(audience, out var chosen))
        {
            // No choice ticked: show the form again rather than guess.
            Current = AudienceChoice.Resolve(HttpContext);
            NoChoice = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        AudienceChoice.Remember(HttpContext, chosen);
        return LocalRedirect(returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
