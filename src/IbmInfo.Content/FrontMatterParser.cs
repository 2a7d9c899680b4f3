using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IbmInfo.Content;

/// <summary>Splits a version file into its YAML front matter and Markdown body, and checks the front matter.</summary>
public static class FrontMatterParser
{
    private static readonly string[] Known = ["title", "summary", "category", "date", "change", "author", "order", "key_points", "urgent_help"];

    /// <summary>The result of <see cref="Parse"/>.</summary>
    /// <param name="FrontMatter">The front matter, or null when it has a problem.</param>
    /// <param name="Body">The Markdown after the closing <c>---</c>.</param>
    /// <param name="BodyFirstLine">The 1-based line of the file where the body starts.</param>
    public sealed record Result(FrontMatter? FrontMatter, string Body, int BodyFirstLine)
    {
        /// <summary>False when the front matter is never closed, so there is no body to check.</summary>
        public bool BodyFound { get; init; } = true;
    }

    /// <summary>Parses <paramref name="text"/>, adding any problem to <paramref name="problems"/>.</summary>
    /// <param name="file">The file's path relative to the content root, for problems.</param>
    /// <param name="text">The whole file.</param>
    /// <param name="kind">Article or page: only articles have a category.</param>
    /// <param name="problems">Where problems are added.</param>
    /// <param name="keyPointsRequired">The file is the newest version of an article, which must have <c>key_points</c>.</param>
    public static Result Parse(string file, string text, ContentKind kind, List<ContentProblem> problems, bool keyPointsRequired = false)
    {
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != "---")
        {
            problems.Add(new(file, 1, "the file must start with front matter: a line '---', the YAML fields, and another '---'."));
            return new(null, text, 1);
        }
        var close = Array.FindIndex(lines, 1, l => l.TrimEnd('\r') == "---");
        if (close < 0)
        {
            problems.Add(new(file, 1, "the front matter is never closed: add a line '---' after the last field."));
            return new(null, "", lines.Length) { BodyFound = false };
        }
        var yaml = string.Join('\n', lines[1..close]);
        var body = string.Join('\n', lines[(close + 1)..]);
        var bodyFirstLine = close + 2;

        var before = problems.Count;
        var fields = ReadMapping(file, yaml, lineOffset: 1, problems, out var blocks);
        if (fields is null) return new(null, body, bodyFirstLine);

        foreach (var (key, (_, line)) in fields)
        {
            if (!Known.Contains(key))
                problems.Add(new(file, line, $"unknown field '{key}'; the fields are {string.Join(", ", Known)}."));
        }

        string? Required(string name)
        {
            if (fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.Value)) return v.Value.Trim();
            problems.Add(new(file, 1, $"the required field '{name}' is missing or empty."));
            return null;
        }

        var title = Required("title");
        var summary = Required("summary");
        var change = Required("change");
        var author = Required("author");
        var dateText = Required("date");

        string? category = null;
        if (kind == ContentKind.Article)
        {
            category = Required("category");
            if (category is not null && !Categories.IsKnown(category))
                problems.Add(new(file, fields["category"].Line,
                    $"unknown category '{category}'; use one of {string.Join(", ", Categories.All.Select(c => c.Slug))}."));
        }
        else if (fields.TryGetValue("category", out var c))
        {
            problems.Add(new(file, c.Line, "pages have no category: remove the field."));
        }

        var date = default(DateOnly);
        if (dateText is not null && !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            problems.Add(new(file, fields["date"].Line, $"the date '{dateText}' is not a date written as YYYY-MM-DD."));

        var order = 0;
        if (fields.TryGetValue("order", out var o) && !int.TryParse(o.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out order))
            problems.Add(new(file, o.Line, $"order '{o.Value}' is not a whole number."));

        if (title is not null && title.Length > 150)
            problems.Add(new(file, fields["title"].Line, "the title is longer than 150 characters; shorten it."));
        if (change is not null && change.Contains('\n'))
            problems.Add(new(file, fields["change"].Line, "the change note must be one line."));

        var urgentHelp = false;
        if (fields.TryGetValue("urgent_help", out var u) && !bool.TryParse(u.Value, out urgentHelp))
            problems.Add(new(file, u.Line, $"urgent_help '{u.Value}' must be true or false."));

        KeyPoints? keyPoints = null;
        if (blocks.TryGetValue("key_points", out var k))
            keyPoints = KeyPointsParser.Parse(file, k.Node, k.Line, lineOffset: 1, problems);
        else if (fields.TryGetValue("key_points", out var flat))
            problems.Add(new(file, flat.Line, KeyPointsParser.ShapeHelp));
        else if (keyPointsRequired)
            problems.Add(new(file, 1, "the newest version of an article needs key_points: 3 to 5 short points for patients and for clinicians, shown first. " + KeyPointsParser.ShapeHelp));

        if (problems.Count > before) return new(null, body, bodyFirstLine);
        return new(new FrontMatter(title!, summary!, category, date, change!, author!, order) { KeyPoints = keyPoints, UrgentHelp = urgentHelp },
            body, bodyFirstLine);
    }

    /// <summary>Front matter fields whose value is a nested block rather than one value.</summary>
    private static readonly string[] BlockFields = ["key_points"];

    /// <summary>
    /// Reads a flat YAML mapping of scalars, with each key's line. Returns null (and a problem) when the YAML
    /// is malformed or not a mapping of plain values. The fields in <see cref="BlockFields"/> may be blocks: those
    /// come back in <paramref name="blocks"/>.
    /// </summary>
    internal static Dictionary<string, (string Value, int Line)>? ReadMapping(
        string file, string yaml, int lineOffset, List<ContentProblem> problems, out Dictionary<string, (YamlNode Node, int Line)> blocks)
    {
        blocks = new(StringComparer.Ordinal);
        var root = LoadRoot(file, yaml, lineOffset, problems);
        if (root is null) return null;
        if (root is not YamlMappingNode map)
        {
            problems.Add(new(file, lineOffset + 1, "the front matter must be 'field: value' lines."));
            return null;
        }
        var result = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var line = (int)k.Start.Line + lineOffset;
            if (k is not YamlScalarNode { Value: { } name })
            {
                problems.Add(new(file, line, "a field name must be a plain word followed by ':'."));
                return null;
            }
            if (v is not YamlScalarNode && BlockFields.Contains(name))
            {
                blocks[name] = (v, line);
                continue;
            }
            if (v is not YamlScalarNode scalar)
            {
                problems.Add(new(file, line, $"the field '{name}' must be a single value, not a list or a nested block."));
                return null;
            }
            result[name] = (scalar.Value ?? "", line);
        }
        return result;
    }

    /// <summary>
    /// Loads one YAML document, reporting a syntax error with its line. A key given twice is reported and its
    /// second entry ignored, so the rest of the file is still read.
    /// </summary>
    internal static YamlNode? LoadRoot(string file, string yaml, int lineOffset, List<ContentProblem> problems)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
                if (stream.Documents.Count == 0)
                {
                    problems.Add(new(file, lineOffset + 1, "the YAML is empty."));
                    return null;
                }
                return stream.Documents[0].RootNode;
            }
            catch (YamlException e)
            {
                var message = e.InnerException?.Message ?? e.Message;
                var lines = yaml.Split('\n');
                // At the end of the text YamlDotNet reports the line after the last one: point at the last line instead.
                var index = Math.Clamp((int)e.Start.Line, 1, Math.Max(1, yaml.TrimEnd('\n').Split('\n').Length)) - 1;
                var duplicate = message.IndexOf("Duplicate key ", StringComparison.Ordinal);
                if (duplicate >= 0 && attempt < 100 && lines[index].Trim().Length > 0)
                {
                    var key = message[(duplicate + "Duplicate key ".Length)..].TrimEnd('.');
                    problems.Add(new(file, index + 1 + lineOffset, $"'{key}' is given twice; remove or rename this one (the first one is used)."));
                    yaml = WithoutEntry(lines, index);
                    continue;
                }
                problems.Add(new(file, index + 1 + lineOffset, $"the YAML is malformed: {message.TrimEnd('.')}. Check indentation, colons and quotes."));
                return null;
            }
        }
    }

    /// <summary>Blanks the entry starting at line <paramref name="index"/> (the line and those indented under it), keeping line numbers.</summary>
    private static string WithoutEntry(string[] lines, int index)
    {
        static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
        var indent = Indent(lines[index]);
        lines[index] = "";
        for (var i = index + 1; i < lines.Length && (lines[i].Trim().Length == 0 || Indent(lines[i]) > indent); i++)
            lines[i] = "";
        return string.Join('\n', lines);
    }
}
