using YamlDotNet.RepresentationModel;

namespace IbmInfo.Content;

/// <summary>
/// Reads the front matter's <c>key_points</c>: a mapping with a <c>patient</c> and a <c>clinician</c> list, each of
/// 3–5 lines of inline Markdown. Their Markdown (citations, links, no raw HTML) is checked with the body's rules.
/// </summary>
internal static class KeyPointsParser
{
    public const string ShapeHelp =
        "Write key_points as a block with two lists, 'patient:' and 'clinician:', each of 3 to 5 lines starting with '- '.";

    /// <summary>The longest a key point may be: it is one short sentence read first on a phone.</summary>
    public const int MaxLength = 300;

    private static readonly string[] Audiences = ["patient", "clinician"];

    public static KeyPoints? Parse(string file, YamlNode node, int line, int lineOffset, List<ContentProblem> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add(new(file, line, $"key_points must be a block, not a list. {ShapeHelp}"));
            return null;
        }
        var before = problems.Count;
        var lists = new Dictionary<string, List<KeyPoint>>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var keyLine = (int)k.Start.Line + lineOffset;
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!Audiences.Contains(name))
            {
                problems.Add(new(file, keyLine, $"unknown audience '{name}' in key_points; use 'patient' and 'clinician'."));
                continue;
            }
            if (v is not YamlSequenceNode items)
            {
                problems.Add(new(file, keyLine, $"key_points {name} must be a list of lines starting with '- '."));
                lists[name] = [];
                continue;
            }
            var points = new List<KeyPoint>();
            foreach (var item in items.Children)
            {
                var itemLine = (int)item.Start.Line + lineOffset;
                if (item is not YamlScalarNode { Value: var text })
                {
                    problems.Add(new(file, itemLine,
                        "a key point must be one line of text; put it in quotes if it starts with '[' (a citation) or '{', or holds ': '."));
                    continue;
                }
                text = (text ?? "").Trim();
                if (text.Length == 0)
                    problems.Add(new(file, itemLine, "this key point is empty; write it or remove the line."));
                else if (text.Contains('\n'))
                    problems.Add(new(file, itemLine, "a key point must be one line."));
                else if (text.Length > MaxLength)
                    problems.Add(new(file, itemLine, $"this key point is {text.Length} characters long; keep each under {MaxLength}, the detail belongs in the body."));
                else
                    points.Add(new(text, itemLine));
            }
            if (items.Children.Count is < KeyPoints.Fewest or > KeyPoints.Most)
                problems.Add(new(file, keyLine, $"key_points {name} has {items.Children.Count} points; write {KeyPoints.Fewest} to {KeyPoints.Most}."));
            lists[name] = points;
        }
        foreach (var missing in Audiences.Where(a => !lists.ContainsKey(a)))
            problems.Add(new(file, line, $"key_points has no '{missing}:' list. {ShapeHelp}"));
        return problems.Count > before ? null : new KeyPoints(lists["patient"], lists["clinician"]);
    }
}
