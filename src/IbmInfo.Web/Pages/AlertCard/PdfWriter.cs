using System.Globalization;
using System.Text;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// Just enough PDF for the alert card: pages of a fixed size holding filled rectangles and one-line text in the
/// standard Helvetica fonts (every PDF reader has them, so nothing is embedded). Text is WinAnsi-encoded and left
/// uncompressed in the content streams.
/// </summary>
/// <remarks>
/// Written by hand rather than with PDFsharp: the only PDFsharp in our package source (6.5.0) is licensed
/// AGPL-3.0 or commercially, and a card of rectangles and short lines does not need a PDF library.
/// </remarks>
public sealed class PdfWriter(double widthPt, double heightPt)
{
    private readonly List<StringBuilder> _pages = [];
    private StringBuilder Page => _pages[^1];

    public double Width => widthPt;
    public double Height => heightPt;
    public string Title { get; init; } = "";
    public string Subject { get; init; } = "";

    public void AddPage() => _pages.Add(new StringBuilder());

    /// <summary>A filled rectangle; y is measured from the top of the page.</summary>
    public void Rectangle(double x, double y, double width, double height, (double R, double G, double B) colour) =>
        Page.Append(Invariant($"{colour.R:0.###} {colour.G:0.###} {colour.B:0.###} rg {x:0.###} {heightPt - y - height:0.###} {width:0.###} {height:0.###} re f\n"));

    /// <summary>One line of text whose top is at <paramref name="y"/> from the top of the page.</summary>
    public void Text(string text, double x, double y, double size, bool bold = false, (double R, double G, double B) colour = default)
    {
        var baseline = heightPt - y - size * 0.78;
        Page.Append(Invariant($"BT {colour.R:0.###} {colour.G:0.###} {colour.B:0.###} rg /{(bold ? "F2" : "F1")} {size:0.##} Tf {x:0.###} {baseline:0.###} Td ("))
            .Append(Escape(text)).Append(") Tj ET\n");
    }

    /// <summary>The width of <paramref name="text"/> in points, from the Helvetica metrics.</summary>
    public static double Measure(string text, double size, bool bold = false) =>
        text.Sum(c => HelveticaMetrics.Width(c, bold)) * size / 1000;

    public byte[] ToBytes()
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "", // the page tree, filled in once the page objects are numbered
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            $"<< /Title ({Escape(Title)}) /Subject ({Escape(Subject)}) /Producer (IbmInfo) >>",
        };
        var pageIds = new List<int>();
        foreach (var content in _pages)
        {
            var stream = content.ToString();
            objects.Add($"<< /Length {WinAnsi.GetByteCount(stream)} >>\nstream\n{stream}endstream");
            objects.Add(Invariant($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {widthPt:0.###} {heightPt:0.###}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {objects.Count} 0 R >>"));
            pageIds.Add(objects.Count);
        }
        objects[1] = $"<< /Type /Pages /Kids [{string.Join(' ', pageIds.Select(id => $"{id} 0 R"))}] /Count {pageIds.Count} >>";

        using var output = new MemoryStream();
        void Write(string s) { var bytes = WinAnsi.GetBytes(s); output.Write(bytes); }
        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset:D10} 00000 n \n");
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A PDF literal string: backslash and parentheses escaped, characters outside WinAnsi replaced.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var mapped = WinAnsi.Map(c);
            if (mapped is '\\' or '(' or ')') escaped.Append('\\');
            escaped.Append(mapped);
        }
        return escaped.ToString();
    }

    /// <summary>Windows-1252 as PDF's WinAnsiEncoding, with the typographic characters our content uses.</summary>
    private static class WinAnsi
    {
        private static readonly Dictionary<char, char> Specials = new()
        {
            ['€'] = '\u0080', ['…'] = '\u0085', ['‘'] = '\u0091', ['’'] = '\u0092', ['“'] = '\u0093', ['”'] = '\u0094',
            ['•'] = '\u0095', ['–'] = '\u0096', ['—'] = '\u0097', ['™'] = '\u0099', ['×'] = '\u00d7',
        };

        /// <summary>The character whose code (as a Latin-1 char) is its WinAnsi byte; '?' when there is none.</summary>
        public static char Map(char c) =>
            Specials.TryGetValue(c, out var s) ? s
            : c is >= ' ' and <= '~' or >= '\u00a0' and <= '\u00ff' ? c
            : c is '\n' or '\r' or '\t' ? ' '
            : '?';

        public static int GetByteCount(string s) => s.Length;
        public static byte[] GetBytes(string s) => s.Select(c => (byte)(c <= '\u00ff' ? c : '?')).ToArray();
    }
}

/// <summary>Advance widths (per 1000 em) of Helvetica and Helvetica-Bold, from Adobe's font metrics.</summary>
internal static class HelveticaMetrics
{
    // Printable ASCII, 32 (space) to 126 (~).
    private static readonly short[] Regular =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    private static readonly short[] Bold =
    [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ];

    public static int Width(char c, bool bold) => c switch
    {
        >= ' ' and <= '~' => (bold ? Bold : Regular)[c - ' '],
        '…' or '—' => 1000,
        '‘' or '’' => bold ? 278 : 222,
        '“' or '”' => bold ? 500 : 333,
        '•' => 350,
        _ => 600, // anything else: a little wider than most letters, so wrapping errs on the safe side
    };
}
