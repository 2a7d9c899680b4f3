using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// The alert card as a PDF, drawn with PDFsharp in DejaVu Sans (<see cref="CardFonts"/>). Page 1 is an A4 sheet
/// with both faces side by side, to cut out as one piece and fold in half, with a check that it printed at actual
/// size; pages 2 and 3 are the front and the back at card size (ISO ID-1, 85.6 × 54 mm) for a card printer. Each face
/// shows the card's version and date. The QR code is drawn as vector squares, so it stays sharp at any size.
/// </summary>
public static class AlertCardPdf
{
    public const double CardWidthMm = 85.6, CardHeightMm = 54;
    public const string TurnOver = "Please turn over";
    public const string PrintAtActualSize = "Print this page at actual size (100 %)";

    private static readonly double W = Mm(CardWidthMm), H = Mm(CardHeightMm);
    private const double Margin = 9, QrSide = 50, LineGap = 1.2;
    private const double BulletMax = 8.5, BulletMin = 6.5, RowLabel = 6.5, RowMax = 9, RowMin = 6.5, Small = 5.5;

    private static readonly XColor BlueColour = XColor.FromArgb(0, 94, 184), RedColour = XColor.FromArgb(179, 38, 30);
    private static readonly XBrush Blue = new XSolidBrush(BlueColour), Red = new XSolidBrush(RedColour);
    private static readonly XBrush Ink = XBrushes.Black, Grey = new XSolidBrush(XColor.FromArgb(64, 64, 64)), Paper = XBrushes.White;

    /// <summary>The card, made personal with <paramref name="details"/> (blank lines where a field is empty).</summary>
    public static byte[] Render(AlertCardContent card, CardDetails details, string clinicianUrl)
    {
        var face = new Face(card, details, clinicianUrl, new QrCode(clinicianUrl));
        using var document = new PdfDocument();
        document.Info.Title = card.View.Version.Title;
        document.Info.Subject = "Inclusion body myositis alert card" + (card.IsPending ? " (pending review)" : "");
        document.Info.Creator = "IbmInfo";

        var sheet = document.AddPage();
        sheet.Width = XUnit.FromMillimeter(210);
        sheet.Height = XUnit.FromMillimeter(297);
        using (var gfx = XGraphics.FromPdfPage(sheet)) DrawSheet(gfx, sheet, face);

        foreach (var back in new[] { false, true })
        {
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(CardWidthMm);
            page.Height = XUnit.FromMillimeter(CardHeightMm);
            using var gfx = XGraphics.FromPdfPage(page);
            if (back) DrawBack(gfx, page, 0, 0, face); else DrawFront(gfx, 0, 0, face);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Whether a typed value fits its place on the card at the smallest size the card uses.</summary>
    public static bool Fits(CardField field, string value)
    {
        using var gfx = XGraphics.CreateMeasureContext(new XSize(W, H), XGraphicsUnit.Point, XPageDirection.Downwards);
        return gfx.MeasureString(value, CardFonts.Bold(RowMin)).Width <= RowValueWidth(gfx, field);
    }

    private sealed record Face(AlertCardContent Card, CardDetails Details, string ClinicianUrl, QrCode Qr)
    {
        public string Version => Card.VersionLine;

        /// <summary>The address as printed: without the scheme and the audience link, which a reader need not type.</summary>
        public string PrintedUrl { get; } = new Uri(ClinicianUrl) is var uri ? uri.Authority + uri.AbsolutePath : ClinicianUrl;
    }

    private static void DrawSheet(XGraphics gfx, PdfPage sheet, Face face)
    {
        var left = (sheet.Width.Point - 2 * W) / 2;
        var y = Mm(18);
        gfx.DrawString("Your IBM alert card", CardFonts.Bold(20), Ink, left, y, XStringFormats.TopLeft);
        y += 32;
        gfx.DrawString(PrintAtActualSize, CardFonts.Bold(13), Ink, left, y, XStringFormats.TopLeft);
        y += 18;
        gfx.DrawString("In the print window choose “Actual size” or “100 %”, not “Fit to page”.", CardFonts.Regular(11), Ink, left, y, XStringFormats.TopLeft);
        y += 20;
        const string check = "Check: this line should be 5 cm long";
        var font = CardFonts.Regular(11);
        gfx.DrawString(check, font, Ink, left, y, XStringFormats.TopLeft);
        var ruleX = left + gfx.MeasureString(check, font).Width + 10;
        var ruleY = y + 6;
        var pen = new XPen(XColors.Black, 1);
        gfx.DrawLine(pen, ruleX, ruleY, ruleX + Mm(50), ruleY);
        gfx.DrawLine(pen, ruleX, ruleY - 4, ruleX, ruleY + 4);
        gfx.DrawLine(pen, ruleX + Mm(50), ruleY - 4, ruleX + Mm(50), ruleY + 4);

        y += 40;
        var foldX = left + W;
        var label = CardFonts.Regular(9);
        gfx.DrawString("Fold along the dashed line", label, Grey, foldX, y - 14, XStringFormats.BottomCenter);
        DrawFront(gfx, left, y, face);
        DrawBack(gfx, sheet, foldX, y, face);
        gfx.DrawRectangle(new XPen(XColors.Black, 0.75), left, y, 2 * W, H);
        gfx.DrawLine(new XPen(XColor.FromArgb(64, 64, 64), 0.75) { DashStyle = XDashStyle.Dash }, foldX, y - 12, foldX, y + H + 12);
        gfx.DrawString("Cut along the solid line", label, Grey, left, y + H + 4, XStringFormats.TopLeft);

        y += H + 40;
        string[] steps =
        [
            "1.  Cut out the card along the solid line.",
            "2.  Fold it in half along the dashed line, with the printing on the outside.",
            "3.  Glue or tape the halves together; a library or print shop can laminate it.",
            "4.  Keep it with your bank cards. Show it to any doctor, nurse or paramedic who treats you.",
        ];
        var stepFont = CardFonts.Regular(11);
        foreach (var step in steps)
        {
            foreach (var line in Wrap(gfx, step, stepFont, 2 * W))
            {
                gfx.DrawString(line, stepFont, Ink, left, y, XStringFormats.TopLeft);
                y += 11 * 1.35;
            }
            y += 4;
        }
        y += 8;
        foreach (var line in Wrap(gfx, "If scissors are hard to use, ask someone to cut it out for you, or ask a print shop to print pages 2 and 3 (the two sides at card size) back to back on card.", stepFont, 2 * W))
        {
            gfx.DrawString(line, stepFont, Ink, left, y, XStringFormats.TopLeft);
            y += 11 * 1.35;
        }
        gfx.DrawString($"{face.Version}. For clinicians: {face.PrintedUrl}", CardFonts.Regular(9), Grey, left, sheet.Height.Point - Mm(15), XStringFormats.BottomLeft);
    }

    private static void DrawFront(XGraphics gfx, double x, double y, Face face)
    {
        var state = gfx.Save();
        gfx.TranslateTransform(x, y);
        gfx.IntersectClip(new XRect(0, 0, W, H));
        gfx.DrawRectangle(Paper, 0, 0, W, H);
        gfx.DrawRectangle(Blue, 0, 0, W, 27);
        gfx.DrawString("MEDICAL ALERT", CardFonts.Bold(10.5), Paper, Margin, 4, XStringFormats.TopLeft);
        gfx.DrawString("Inclusion body myositis (IBM)", CardFonts.Bold(8.5), Paper, Margin, 15.5, XStringFormats.TopLeft);
        var top = Pending(gfx, face, 31);

        top = Row(gfx, AlertCardForm.Name, face.Details.Name, top) + 2;
        top = Row(gfx, AlertCardForm.Contact, face.Details.Contact, top) + 4;

        var footer = H - Margin + 2 - Small;
        var versionWidth = gfx.MeasureString(face.Version, CardFonts.Regular(Small)).Width;
        gfx.DrawString(face.Version, CardFonts.Regular(Small), Grey, W - Margin, footer + Small, XStringFormats.BaseLineRight);
        var turnSize = FitSize(gfx, TurnOver + " →", bold: true, 8, Small, W - 2 * Margin - versionWidth - 6);
        gfx.DrawString(TurnOver + " →", CardFonts.Bold(turnSize), Blue, Margin, footer + Small, XStringFormats.BaseLineLeft);

        Bullets(gfx, face.Card.Front, Margin, top, W - 2 * Margin, footer - 5 - top);
        gfx.Restore(state);
    }

    private static void DrawBack(XGraphics gfx, PdfPage page, double x, double y, Face face)
    {
        var state = gfx.Save();
        gfx.TranslateTransform(x, y);
        gfx.IntersectClip(new XRect(0, 0, W, H));
        gfx.DrawRectangle(Paper, 0, 0, W, H);
        gfx.DrawRectangle(Blue, 0, 0, W, 20);
        gfx.DrawString("For doctors, nurses and paramedics", CardFonts.Bold(9), Paper, Margin, 5, XStringFormats.TopLeft);
        var top = Pending(gfx, face, 24);

        var qrX = W - Margin - QrSide;
        DrawQr(gfx, face.Qr, qrX, top, QrSide);
        // On screen the code is a link too; the rectangle is in the page's own coordinates (origin bottom left).
        page.AddWebLink(new PdfRectangle(new XRect(x + qrX, page.Height.Point - (y + top + QrSide), QrSide, QrSide)), face.ClinicianUrl);
        gfx.DrawString("Scan for more", CardFonts.Bold(Small), Ink, qrX + QrSide / 2, top + QrSide + 1, XStringFormats.TopCenter);

        var footer = H - Margin + 2 - Small;
        gfx.DrawString(face.Version, CardFonts.Regular(Small), Grey, W - Margin, footer, XStringFormats.TopRight);
        gfx.DrawString(face.PrintedUrl, CardFonts.Regular(Small), Grey, Margin, footer, XStringFormats.TopLeft);

        var rows = footer - 3 - 2 * RowHeight - 2;
        Row(gfx, AlertCardForm.Specialist, face.Details.Specialist, rows);
        Row(gfx, AlertCardForm.SpecialistPhone, face.Details.SpecialistPhone, rows + RowHeight + 2);

        Bullets(gfx, face.Card.Back, Margin, top, qrX - Margin - 5, rows - 3 - top);
        gfx.Restore(state);
    }

    /// <summary>The pending-review mark under the title bar, when the card is not approved; returns where content starts.</summary>
    private static double Pending(XGraphics gfx, Face face, double top)
    {
        if (!face.Card.IsPending) return top;
        const string text = "PENDING REVIEW: not yet approved by our medical advisers";
        var size = FitSize(gfx, text, bold: true, 6.5, Small, W - 2 * Margin);
        gfx.DrawString(text, CardFonts.Bold(size), Red, Margin, top, XStringFormats.TopLeft);
        return top + size * 1.3 + 2;
    }

    private const double RowHeight = RowMax * 1.25;

    private static string RowText(CardField field) =>
        field == AlertCardForm.Name ? "Name" : field == AlertCardForm.Contact ? "Emergency contact" : field == AlertCardForm.Specialist ? "My specialist" : "Specialist’s phone";

    private static double RowValueWidth(XGraphics gfx, CardField field) =>
        W - 2 * Margin - gfx.MeasureString(RowText(field), CardFonts.Regular(RowLabel)).Width - 4;

    /// <summary>
    /// "Label  value" on one line, the value as large as fits (the form refuses what cannot fit at all); an empty
    /// value is a line to write on. Returns the y below the row.
    /// </summary>
    private static double Row(XGraphics gfx, CardField field, string? value, double top)
    {
        var baseline = top + RowMax;
        var label = RowText(field);
        var labelFont = CardFonts.Regular(RowLabel);
        gfx.DrawString(label, labelFont, Grey, Margin, baseline, XStringFormats.BaseLineLeft);
        var valueX = Margin + gfx.MeasureString(label, labelFont).Width + 4;
        if (value is null)
            gfx.DrawLine(new XPen(XColor.FromArgb(96, 96, 96), 0.5), valueX, baseline + 1, W - Margin, baseline + 1);
        else
        {
            var size = FitSize(gfx, value, bold: true, RowMax, RowMin, RowValueWidth(gfx, field));
            gfx.DrawString(value, CardFonts.Bold(size), Ink, valueX, baseline, XStringFormats.BaseLineLeft);
        }
        return top + RowHeight;
    }

    /// <summary>Bullet points wrapped to <paramref name="width"/>, all at the largest size that fits the height.</summary>
    private static void Bullets(XGraphics gfx, IReadOnlyList<string> items, double x, double y, double width, double height)
    {
        for (var size = BulletMax; ; size -= 0.25)
        {
            var font = CardFonts.Regular(size);
            var indent = gfx.MeasureString("•  ", font).Width;
            var lines = items.Select(item => Wrap(gfx, item, font, width - indent)).ToList();
            var lineHeight = size * LineGap;
            var gap = size * 0.35;
            if (lines.Sum(l => l.Count * lineHeight + gap) - gap > height && size > BulletMin) continue;
            foreach (var itemLines in lines)
            {
                gfx.DrawString("•", font, Ink, x, y, XStringFormats.TopLeft);
                foreach (var line in itemLines)
                {
                    gfx.DrawString(line, font, Ink, x + indent, y, XStringFormats.TopLeft);
                    y += lineHeight;
                }
                y += gap;
            }
            return;
        }
    }

    /// <summary>The largest size from <paramref name="max"/> down to <paramref name="min"/> at which the text fits the width.</summary>
    private static double FitSize(XGraphics gfx, string text, bool bold, double max, double min, double width)
    {
        var size = max;
        while (size > min && gfx.MeasureString(text, bold ? CardFonts.Bold(size) : CardFonts.Regular(size)).Width > width) size -= 0.25;
        return size;
    }

    /// <summary>Words onto lines no wider than <paramref name="width"/>; a word longer than a line is broken.</summary>
    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0) lines.Add(line);
            line = word;
            while (line.Length > 1 && gfx.MeasureString(line, font).Width > width)
            {
                var cut = line.Length - 1;
                while (cut > 1 && gfx.MeasureString(line[..cut], font).Width > width) cut--;
                lines.Add(line[..cut]);
                line = line[cut..];
            }
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    /// <summary>The QR code's dark modules as filled squares, joined along each row so no seams show between them.</summary>
    private static void DrawQr(XGraphics gfx, QrCode qr, double x, double y, double side)
    {
        var module = side / qr.Size;
        gfx.DrawRectangle(Paper, x, y, side, side);
        for (var row = 0; row < qr.Size; row++)
        {
            for (var col = 0; col < qr.Size; col++)
            {
                if (!qr.IsDark(col, row)) continue;
                var start = col;
                while (col + 1 < qr.Size && qr.IsDark(col + 1, row)) col++;
                // A hair taller than a module, so rows leave no hairline between them when rasterised.
                gfx.DrawRectangle(Ink, x + start * module, y + row * module, (col - start + 1) * module, module + 0.05);
            }
        }
    }

    private static double Mm(double mm) => mm * 72 / 25.4;
}
