using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// <c>POST /alert-card/personal</c>: the card with the holder's name, emergency contact and specialist on it, sent
/// straight back as a PDF. Nothing typed is stored or logged, and it never reaches a cache: the values come in the
/// body of a POST (not in the address, the request log or the browser's history), this page has no output caching,
/// and the answer says <c>no-store</c>. A mistake re-shows the form with what was typed.
/// </summary>
// The form is on the cached card page, so it has no per-reader token; SameOriginPosts refuses cross-site posts.
[IgnoreAntiforgeryToken]
[EnableRateLimiting(RateLimits.ReaderForms)]
public sealed class PersonalModel(PublishedContent published, ILogger<PersonalModel> logger) : PageModel
{
    public AlertCardForm Form { get; private set; } = AlertCardForm.Empty;

    /// <summary>The form's own address asked for directly: the form is on the card page.</summary>
    public IActionResult OnGet() => Redirect("/alert-card#make-your-card");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Request.HasFormContentType) return BadRequest();
        // Read from the form here rather than bound as handler arguments, which the framework logs (at Trace level).
        IFormCollection posted;
        try
        {
            posted = await Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception refused) when (refused is InvalidDataException or BadHttpRequestException)
        {
            // More fields or a larger body than the form limits allow: no card was ever typed like that.
            return BadRequest();
        }
        Response.Headers.CacheControl = "no-store";
        var card = await AlertCardContent.LoadAsync(published, cancellationToken);
        if (card is null) return NotFound();
        if (CardFonts.Missing() is { } missing)
        {
            logger.LogError("{Problem}", missing);
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        Form = AlertCardForm.Validate(posted["name"], posted["contact"], posted["specialist"], posted["phone"]);
        if (Form.HasErrors)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var pdf = AlertCardPdf.Render(card, Form.Details, AlertCardContent.ClinicianUrl(Request));
        return File(pdf, "application/pdf", PdfModel.FileName(card));
    }
}
