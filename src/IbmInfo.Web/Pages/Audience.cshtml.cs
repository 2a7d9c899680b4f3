using IbmInfo.Content;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages;

/// <summary>"Which best describes you?" on its own page; <c>?audience=</c> (the form's GET) remembers the choice.</summary>
public sealed class AudienceModel : PageModel
{
    public Audience Current { get; private set; }

    public void OnGet() => Current = AudienceChoice.Resolve(HttpContext);
}
