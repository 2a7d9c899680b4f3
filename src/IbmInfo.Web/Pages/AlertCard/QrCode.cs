using System.Globalization;
using System.Text;
using QRCoder;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>A QR code as its grid of dark modules, drawn as SVG for the page and as vector squares in the PDF.</summary>
public sealed class QrCode
{
    private readonly bool[,] _modules;

    public QrCode(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the quiet zone
        Size = matrix.Count;
        _modules = new bool[Size, Size];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                _modules[x, y] = matrix[y][x];
    }

    /// <summary>Modules per side, quiet zone included.</summary>
    public int Size { get; }

    public bool IsDark(int x, int y) => _modules[x, y];

    /// <summary>An SVG with one path and no style attributes, so a strict CSP allows it inline.</summary>
    public string Svg(string label)
    {
        var path = new StringBuilder();
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                if (_modules[x, y]) path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
        return $"""<svg class="alert-card-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Size} {Size}" role="img" aria-label="{System.Net.WebUtility.HtmlEncode(label)}" shape-rendering="crispEdges"><rect width="{Size}" height="{Size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>""";
    }
}
