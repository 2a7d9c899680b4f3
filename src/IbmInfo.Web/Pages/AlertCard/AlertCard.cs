using System.Globalization;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.Feeds;
using IbmInfo.Web.Publishing;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// The wallet card's two faces, read from the approved content page <c>content/pages/alert-card</c>: the bullet
/// points under its <c>## Front</c> and <c>## Back</c> headings. The page and the PDF both come from this.
/// </summary>
public sealed record AlertCardContent(VersionView View, IReadOnlyList<string> Front, IReadOnlyList<string> Back)
{
    public const string Slug = "alert-card";
    public const string FrontHeading = "Front";
    public const string BackHeading = "Back";

    /// <summary>The standalone page the card's QR code leads to, written for the clinician who scans it.</summary>
    public const string ClinicianSlug = "alert-card-clinicians";

    /// <summary>
    /// The QR code's address: the clinicians' page in its professional view, so that a phone that has never been to
    /// the site opens the text written for the person holding it.
    /// </summary>
    public static string ClinicianUrl(HttpRequest request) => $"{SiteUrls.Base(request)}/{ClinicianSlug}?audience=clinician";

    /// <summary>Not approved yet: the page shows the pending-review caution and the PDF says "Pending review".</summary>
    public bool IsPending => View.IsPending;

    /// <summary>What each face prints at its foot, so a printed card says which text it carries.</summary>
    public string VersionLine => string.Create(CultureInfo.InvariantCulture,
        $"Card version {View.Version.Number} · {View.Version.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");

    public static async Task<AlertCardContent?> LoadAsync(PublishedContent published, CancellationToken cancellationToken)
    {
        var view = await published.GetCurrentAsync(Slug, ContentKind.Page, Audience.All, cancellationToken);
        return view is null ? null : new AlertCardContent(view, Section(view, FrontHeading), Section(view, BackHeading));
    }

    /// <summary>
    /// The lines of the plain text between a heading and the next one. The renderer writes one line per block, so
    /// each bullet of the section is one line.
    /// </summary>
    internal static List<string> Section(VersionView view, string heading)
    {
        var headings = view.Headings.Select(h => h.Text).ToHashSet(StringComparer.Ordinal);
        return view.Rendering.PlainText.Split('\n')
            .Select(line => line.Trim())
            .SkipWhile(line => line != heading).Skip(1)
            .TakeWhile(line => !headings.Contains(line))
            .Where(line => line.Length > 0)
            .ToList();
    }
}
