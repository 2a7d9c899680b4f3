using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;

namespace IbmInfo.Web.Tests.Pages.AlertCard;

/// <summary>
/// A PDF page's text as a reader sees it, read back with PdfPig: lines from top to bottom, letters left to right, a
/// space where there is a gap, wrapped lines joined with a space, so a bullet reads back as it was written.
/// </summary>
internal static partial class PdfText
{
    /// <summary>The text of the letters whose start lies between <paramref name="fromX"/> and <paramref name="toX"/>.</summary>
    public static string Of(Page page, double fromX = double.MinValue, double toX = double.MaxValue)
    {
        var letters = page.Letters.Where(l => l.StartBaseLine.X >= fromX && l.StartBaseLine.X < toX)
            .OrderByDescending(l => l.StartBaseLine.Y).ToList();
        var lines = new List<List<Letter>>();
        foreach (var letter in letters)
        {
            if (lines.Count > 0 && Math.Abs(lines[^1][0].StartBaseLine.Y - letter.StartBaseLine.Y) < 1) lines[^1].Add(letter);
            else lines.Add([letter]);
        }
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Letter? previous = null;
            foreach (var letter in line.OrderBy(l => l.StartBaseLine.X))
            {
                if (previous is not null && letter.StartBaseLine.X - previous.EndBaseLine.X > previous.PointSize * 0.2) text.Append(' ');
                text.Append(letter.Value);
                previous = letter;
            }
            text.Append(' ');
        }
        return Spaces().Replace(text.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
