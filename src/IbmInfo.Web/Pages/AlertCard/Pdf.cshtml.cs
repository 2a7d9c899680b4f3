using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary><c>/alert-card.pdf</c>: the blank card as a PDF (lines to write on), made from the same content as the page.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class PdfModel(PublishedContent published, ILogger<PdfModel> logger) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var card = await AlertCardContent.LoadAsync(published, cancellationToken);
        if (card is null) return NotFound();
        if (CardFonts.Missing() is { } missing)
        {
            logger.LogError("{Problem}", missing);
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        var pdf = AlertCardPdf.Render(card, CardDetails.Blank, AlertCardContent.ClinicianUrl(Request));
        return File(pdf, "application/pdf", FileName(card));
    }

    public static string FileName(AlertCardContent card) => card.IsPending ? "ibm-alert-card-pending-review.pdf" : "ibm-alert-card.pdf";
}
