using PdfSharp.Drawing;
using PdfSharp.Fonts;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// The card's typeface for PDFsharp: DejaVu Sans, regular and bold, from Debian's <c>fonts-dejavu-core</c> package.
/// It covers Latin (Welsh ŵ ŷ included), Greek, Cyrillic and the symbols editors use (≥ →); PDFsharp embeds the
/// subset a card uses, so the PDF reads the same in every viewer and printer.
/// </summary>
internal sealed class CardFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string Folder = "/usr/share/fonts/truetype/dejavu";
    public const string Package = "fonts-dejavu-core";
    private const string RegularFile = "DejaVuSans.ttf", BoldFile = "DejaVuSans-Bold.ttf";

    private static readonly Lazy<bool> Registered = new(() =>
    {
        // PDFsharp keeps one resolver per process, and it must be set before any font is used.
        GlobalFontSettings.FontResolver = new CardFonts();
        return true;
    });

    /// <summary>What is missing for the PDF to be drawn, as a message naming the package to install; null when nothing is.</summary>
    public static string? Missing()
    {
        var missing = new[] { RegularFile, BoldFile }.Select(f => Path.Combine(Folder, f)).Where(p => !File.Exists(p)).ToList();
        return missing.Count == 0 ? null
            : $"The alert card PDF needs the DejaVu Sans fonts, and {string.Join(" and ", missing)} cannot be found. Install them with `apt-get install {Package}`.";
    }

    public static XFont Regular(double size) => Font(size, XFontStyleEx.Regular);
    public static XFont Bold(double size) => Font(size, XFontStyleEx.Bold);

    /// <summary>Whether the typeface can draw this character (a name typed in a script it lacks would print as boxes).</summary>
    public static bool CanDraw(int codePoint) => GlyphHelper.GlyphIndexFromCodePoint(codePoint, Probes.Value.Regular) != 0
        && GlyphHelper.GlyphIndexFromCodePoint(codePoint, Probes.Value.Bold) != 0;

    private static readonly Lazy<(XFont Regular, XFont Bold)> Probes = new(() => (Regular(10), Bold(10)));

    private static XFont Font(double size, XFontStyleEx style)
    {
        _ = Registered.Value;
        return new XFont(Family, size, style, XPdfFontOptions.UnicodeDefault);
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase) ? new FontResolverInfo(bold ? BoldFile : RegularFile) : null;

    // PDFsharp asks once per face and keeps the bytes.
    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(Folder, faceName));
}
