using IbmInfo.Web.Hosting;
using IbmInfo.Web.Pages.Feeds;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// <c>/alert-card</c>: the card's two faces at wallet size, to print (the print stylesheet puts each face on its
/// own 85.6 × 54 mm page) or download as a PDF. This literal route wins over the generic <c>/{slug}</c> page.
/// </summary>
[OutputCache(PolicyName = PageCaching.ReaderPage)]
[ShowsContentPage(AlertCardContent.Slug)]
public sealed class IndexModel(PublishedContent published) : PageModel
{
    public AlertCardContent Card { get; private set; } = null!;
    public string QrSvg { get; private set; } = "";
    public string PageUrl { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var card = await AlertCardContent.LoadAsync(published, cancellationToken);
        if (card is null) return NotFound();
        Card = card;
        PageUrl = SiteUrls.Base(Request) + "/alert-card";
        QrSvg = new QrCode(PageUrl).Svg("QR code linking to this alert card page");
        return Page();
    }
}
