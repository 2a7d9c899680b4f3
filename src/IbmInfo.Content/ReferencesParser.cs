using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IbmInfo.Content;

/// <summary>Reads and checks <c>references.yml</c>: a mapping from reference key to its fields.</summary>
public static partial class ReferencesParser
{
    private static readonly string[] Known = ["kind", "authors", "title", "publisher", "year", "pmid", "doi", "url"];

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
                problems.Add(new(file, line, $"the reference '{key}' must have fields (kind, authors, title, publisher, year)."));
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
        var authors = Required("authors");
        var title = Required("title");
        var publisher = Required("publisher");
        var yearText = Required("year");

        var kind = ReferenceKind.Research;
        if (kindText is not null && !TryParseKind(kindText, out kind))
            problems.Add(new(file, LineOf("kind"), $"unknown kind '{kindText}'; use Research, Guideline, Review or Patient information."));

        var year = 0;
        if (yearText is not null && (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 1800 || year > DateTime.UtcNow.Year + 1))
            problems.Add(new(file, LineOf("year"), $"the year '{yearText}' is not a plausible year."));

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
        return new Reference(key, kind, authors!, title!, publisher!, year, pmid, doi, url);
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
            _ => (ReferenceKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    [GeneratedRegex("^[0-9]{1,9}$")]
    private static partial Regex PmidPattern();

    [GeneratedRegex(@"^10\.[0-9]{4,9}/\S+$")]
    private static partial Regex DoiPattern();
}
