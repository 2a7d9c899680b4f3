using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IbmInfo.Content;

/// <summary>Reads and checks <c>references.yml</c>: a mapping from reference key to its fields.</summary>
public static partial class ReferencesParser
{
    private static readonly string[] Known = ["kind", "authors", "title", "publisher", "year", "pmid", "doi", "url", "accessed", "note"];

    /// <summary>Parses the references file; a reference with a problem is left out and the problem reported.</summary>
    public static Dictionary<string, Reference> Parse(string file, string yaml, List<ContentProblem> problems)
    {
        var result = new Dictionary<string, Reference>(StringComparer.Ordinal);
        var root = FrontMatterParser.LoadRoot(file, yaml, lineOffset: 0, problems);
        if (root is null) return result;
        if (root is not YamlMappingNode map)
        {
            problems.Add(new(file, 1, "the references file must map each reference key to its fields."));
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var line = (int)keyNode.Start.Line;
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (keyNode is not YamlScalarNode || !Slugs.IsValid(key))
            {
                problems.Add(new(file, line, $"the reference key '{key}' must be lower-case letters, digits and hyphens."));
                continue;
            }
            if (valueNode is not YamlMappingNode fieldsNode)
            {
                problems.Add(new(file, line, $"the reference '{key}' must have fields (kind, title, publisher, year)."));
                continue;
            }
            var reference = ReadReference(file, key, line, fieldsNode, problems);
            if (reference is not null) result[key] = reference;
        }
        return result;
    }

    private static Reference? ReadReference(string file, string key, int keyLine, YamlMappingNode node, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var notSingle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? k.ToString();
            var line = (int)k.Start.Line;
            if (k is not YamlScalarNode || !Known.Contains(name))
                problems.Add(new(file, line, $"unknown field '{name}' in reference '{key}'; the fields are {string.Join(", ", Known)}."));
            else if (v is YamlScalarNode s)
                fields[name] = ((s.Value ?? "").Trim(), line);
            else
            {
                problems.Add(new(file, line, $"the field '{name}' of reference '{key}' must be a single value."));
                notSingle.Add(name);
            }
        }

        string? Get(string name) => fields.TryGetValue(name, out var f) && f.Value.Length > 0 ? f.Value : null;
        int LineOf(string name) => fields.TryGetValue(name, out var f) ? f.Line : keyLine;
        string? Required(string name)
        {
            var value = Get(name);
            // A field given as a list is reported already: it is not missing too.
            if (value is null && !notSingle.Contains(name)) problems.Add(new(file, keyLine, $"the reference '{key}' has no '{name}'."));
            return value;
        }

        var kindText = Required("kind");
        // No authors rather than a placeholder where none could be checked.
        var authors = Get("authors") ?? "";
        var title = Required("title");
        var publisher = Required("publisher");
        // A web page without a date gives the day it was read instead of a year.
        var accessedText = Get("accessed");
        var yearText = Get("year");
        if (yearText is null && accessedText is null && !notSingle.Contains("year"))
            problems.Add(new(file, keyLine, $"the reference '{key}' has no 'year'; for a web page that carries no date, give 'accessed: YYYY-MM-DD' instead."));

        var kind = ReferenceKind.Research;
        if (kindText is not null && !TryParseKind(kindText, out kind))
            problems.Add(new(file, LineOf("kind"), $"unknown kind '{kindText}'; use Research, Guideline, Review, Patient information or Web page."));

        int? year = null;
        if (yearText is not null)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y >= 1800 && y <= DateTime.UtcNow.Year + 1) year = y;
            else problems.Add(new(file, LineOf("year"), $"the year '{yearText}' is not a plausible year."));
        }

        DateOnly? accessed = null;
        if (accessedText is not null)
        {
            if (DateOnly.TryParseExact(accessedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
                && a <= DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1))) accessed = a;
            else problems.Add(new(file, LineOf("accessed"), $"the access date '{accessedText}' must be a past date written YYYY-MM-DD."));
        }

        var pmid = Get("pmid");
        if (pmid is not null && !PmidPattern().IsMatch(pmid))
            problems.Add(new(file, LineOf("pmid"), $"the PMID '{pmid}' must be digits only."));
        var doi = Get("doi");
        if (doi is not null && !DoiPattern().IsMatch(doi))
            problems.Add(new(file, LineOf("doi"), $"the DOI '{doi}' must look like 10.1234/abc (without https://doi.org/)."));
        var url = Get("url");
        if (url is not null && !(IsSafeUrl(url) && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            problems.Add(new(file, LineOf("url"), $"the URL '{url}' must be an absolute https:// address."));

        if (problems.Count > before) return null;
        return new Reference(key, kind, authors, title!, publisher!, year, pmid, doi, url, accessed, Get("note"));
    }

    /// <summary>Whether a URL is absolute http(s) with a host: anything else (javascript:, relative, data:) is refused.</summary>
    public static bool IsSafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !string.IsNullOrEmpty(uri.Host);

    private static bool TryParseKind(string text, out ReferenceKind kind)
    {
        kind = text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "research" => ReferenceKind.Research,
            "guideline" => ReferenceKind.Guideline,
            "review" => ReferenceKind.Review,
            "patientinformation" => ReferenceKind.PatientInformation,
            "webpage" => ReferenceKind.WebPage,
            _ => (ReferenceKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    [GeneratedRegex("^[0-9]{1,9}$")]
    private static partial Regex PmidPattern();

    [GeneratedRegex(@"^10\.[0-9]{4,9}/\S+$")]
    private static partial Regex DoiPattern();
}
