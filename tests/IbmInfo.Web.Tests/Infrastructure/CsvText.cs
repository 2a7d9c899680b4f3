using System.Text;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>Reads the editors' CSV downloads as a spreadsheet would, strictly, so that a quoting mistake fails the test.</summary>
public static class CsvText
{
    /// <summary>RFC 4180: fields optionally in double quotes (holding commas, line breaks and doubled quotes), CRLF after every record.</summary>
    public static List<string[]> Parse(string text)
    {
        text = text.TrimStart('\uFEFF');
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add([.. row]); row.Clear();
                i++;
            }
            else cell.Append(c);
        }
        Xunit.Assert.True(row.Count == 0 && cell.Length == 0 && !quoted, "the CSV does not end with a complete record and CRLF");
        return rows;
    }
}
