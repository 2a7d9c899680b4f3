using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// <c>/alert-card</c>: the card's two faces at wallet size, the form to put one's own details on it, and the blank
/// card as a PDF. This literal route wins over the generic <c>/{slug}</c> page. Cached like every reader page: the
/// form is always empty here (a filled one is only ever shown by <see cref="PersonalModel"/>).
/// </summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
[ShowsContentPage(AlertCardContent.Slug)]
public sealed class IndexModel(PublishedContent published) : PageModel
{
    public AlertCardContent Card { get; private set; } = null!;
    public string QrSvg { get; private set; } = "";
    public string ClinicianUrl { get; private set; } = "";
    public AlertCardForm Form => AlertCardForm.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var card = await AlertCardContent.LoadAsync(published, cancellationToken);
        if (card is null) return NotFound();
        Card = card;
        ClinicianUrl = AlertCardContent.ClinicianUrl(Request);
        QrSvg = new QrCode(ClinicianUrl).Svg("QR code linking to the page for clinicians about this card");
        return Page();
    }
}
