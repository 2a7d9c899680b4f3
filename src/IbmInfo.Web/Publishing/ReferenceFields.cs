using System.Security.Cryptography;
using System.Text;
using IbmInfo.Content;
using IbmInfo.Web.Data;

namespace IbmInfo.Web.Publishing;

/// <summary>A reference's fields as one unit: copied onto a record, compared field by field, fingerprinted.</summary>
public static class ReferenceFields
{
    private static IEnumerable<(string Name, string? Value)> Fields(Reference r) =>
    [
        ("kind", r.KindLabel), ("authors", r.Authors), ("title", r.Title), ("publisher", r.Publisher),
        ("year", r.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pmid", r.Pmid), ("doi", r.Doi), ("url", r.Url),
        ("accessed", r.Accessed?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("note", r.Note),
    ];

    public static void Apply(ReferenceRecord record, Reference reference) =>
        (record.Kind, record.Authors, record.Title, record.Publisher, record.Year, record.Pmid, record.Doi, record.Url, record.Accessed, record.Note) =
        (reference.Kind, reference.Authors, reference.Title, reference.Publisher, reference.Year, reference.Pmid, reference.Doi, reference.Url, reference.Accessed, reference.Note);

    /// <summary>What differs, as "title: 'old' → 'new'; year: '2014' → '2015'"; empty when nothing does.</summary>
    public static string Describe(Reference before, Reference after) =>
        string.Join("; ", Fields(before).Zip(Fields(after))
            .Where(p => p.First.Value != p.Second.Value)
            .Select(p => $"{p.First.Name}: '{p.First.Value}' → '{p.Second.Value}'"));

    public static string Fingerprint(Reference reference) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', Fields(reference).Select(f => f.Value ?? "")))));
}
