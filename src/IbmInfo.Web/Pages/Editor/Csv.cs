using System.Text;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// The editors' CSV downloads (audit log, readers' inbox): RFC 4180 records, UTF-8 with a byte-order mark so that
/// spreadsheets read names and notes correctly, and no cell a spreadsheet would run as a formula.
/// </summary>
public sealed class Csv
{
    private readonly StringBuilder _text = new();

    public Csv Row(params IEnumerable<string> cells)
    {
        _text.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        return this;
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];

    /// <summary>Quoted where RFC 4180 needs it; a leading apostrophe on a cell starting like a formula (<c>= + - @</c>, tab, CR).</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny("\",\r\n") >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}
