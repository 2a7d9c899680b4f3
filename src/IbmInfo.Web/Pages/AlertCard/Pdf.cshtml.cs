using IbmInfo.Web.Hosting;
using IbmInfo.Web.Pages.Feeds;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary><c>/alert-card.pdf</c>: the card as a PDF, made from the same content as the page.</summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class PdfModel(PublishedContent published) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var card = await AlertCardContent.LoadAsync(published, cancellationToken);
        if (card is null) return NotFound();
        var pdf = AlertCardPdf.Render(card, SiteUrls.Base(Request) + "/alert-card");
        var name = card.IsPending ? "ibm-alert-card-pending-review.pdf" : "ibm-alert-card.pdf";
        return File(pdf, "application/pdf", name);
    }
}
