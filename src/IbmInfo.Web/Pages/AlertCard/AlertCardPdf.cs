namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// The alert card as a two-page PDF, each page one face at wallet size (ID-1: 85.6 × 54 mm), with the QR code drawn
/// as squares. The bullets of a face shrink together if a long one would overflow it.
/// </summary>
public static class AlertCardPdf
{
    public const string TurnOver = "Please turn over: precautions for doctors and nurses";
    public const double WidthMm = 85.6, HeightMm = 54;
    private const double PointsPerMm = 72 / 25.4;
    private const double Margin = 8, HeaderHeight = 19, MaxSize = 7.5, MinSize = 5, QrSide = 46;
    private static readonly (double, double, double) Blue = (0, 94 / 255.0, 184 / 255.0), White = (1, 1, 1), Black = (0, 0, 0), Red = (0.7, 0.15, 0.12);

    public static byte[] Render(AlertCardContent card, string pageUrl)
    {
        var pdf = new PdfWriter(WidthMm * PointsPerMm, HeightMm * PointsPerMm)
        {
            Title = card.View.Version.Title,
            Subject = "Inclusion body myositis alert card" + (card.IsPending ? " (pending review)" : ""),
        };
        var status = card.IsPending ? "PENDING REVIEW: not yet approved by our medical advisory board" : null;

        pdf.AddPage();
        var top = Header(pdf, "MEDICAL ALERT: inclusion body myositis", status);
        const double turnSize = 6;
        pdf.Text(TurnOver, Margin, pdf.Height - Margin - turnSize, turnSize, bold: true, colour: Blue);
        Bullets(pdf, card.Front, Margin, top, pdf.Width - 2 * Margin, pdf.Height - top - Margin - 10);

        pdf.AddPage();
        top = Header(pdf, "For doctors and nurses", status);
        var qrX = pdf.Width - Margin - QrSide;
        var qrY = pdf.Height - Margin - QrSide - 7;
        DrawQr(pdf, new QrCode(pageUrl), qrX, qrY, QrSide);
        const double urlSize = 5;
        pdf.Text(pageUrl, pdf.Width - Margin - PdfWriter.Measure(pageUrl, urlSize), pdf.Height - Margin - urlSize, urlSize);
        Bullets(pdf, card.Back, Margin, top, qrX - Margin - 4, pdf.Height - top - Margin - 7);

        return pdf.ToBytes();
    }

    /// <summary>The blue title bar, and the pending-review mark under it when the card is not approved.</summary>
    private static double Header(PdfWriter pdf, string title, string? status)
    {
        pdf.Rectangle(0, 0, pdf.Width, HeaderHeight, Blue);
        pdf.Text(title, Margin, (HeaderHeight - 8.5) / 2, 8.5, bold: true, colour: White);
        var top = HeaderHeight + 5;
        if (status is null) return top;
        pdf.Text(status, Margin, top, 5.5, bold: true, colour: Red);
        return top + 9;
    }

    /// <summary>Bullet points wrapped to <paramref name="width"/>, at the largest size that fits the height.</summary>
    private static void Bullets(PdfWriter pdf, IReadOnlyList<string> items, double x, double y, double width, double height)
    {
        for (var size = MaxSize; ; size -= 0.25)
        {
            var indent = PdfWriter.Measure("•  ", size);
            var lines = items.Select(item => Wrap(item, size, width - indent)).ToList();
            var lineHeight = size * 1.2;
            var gap = size * 0.3;
            if (lines.Sum(l => l.Count * lineHeight + gap) > height && size > MinSize) continue;
            foreach (var itemLines in lines)
            {
                pdf.Text("•", x, y, size, colour: Black);
                foreach (var line in itemLines)
                {
                    pdf.Text(line, x + indent, y, size, colour: Black);
                    y += lineHeight;
                }
                y += gap;
            }
            return;
        }
    }

    private static List<string> Wrap(string text, double size, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && PdfWriter.Measure(candidate, size) > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = candidate;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    private static void DrawQr(PdfWriter pdf, QrCode qr, double x, double y, double side)
    {
        var module = side / qr.Size;
        pdf.Rectangle(x, y, side, side, White);
        for (var row = 0; row < qr.Size; row++)
            for (var col = 0; col < qr.Size; col++)
                if (qr.IsDark(col, row))
                    // A hair wider than a module, so neighbouring squares leave no seams when rasterised.
                    pdf.Rectangle(x + col * module, y + row * module, module + 0.05, module + 0.05, Black);
    }
}
