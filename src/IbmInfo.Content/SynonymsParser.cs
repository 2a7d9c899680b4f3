using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IbmInfo.Content;

/// <summary>
/// Reads <c>synonyms.yml</c>: each word a reader may type, mapped to the words the articles use for it
/// (<c>physio: [physiotherapy]</c>). Search adds those words to the reader's.
/// </summary>
public static partial class SynonymsParser
{
    /// <summary>The words the reader may type and those they stand for: lower-case words, or phrases of them.</summary>
    public static bool IsWordOrPhrase(string text) => Phrase().IsMatch(text);

    /// <summary>Parses the synonyms file; an entry with a problem is left out and the problem reported with its line.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Parse(string file, string yaml, List<ContentProblem> problems) =>
        Parse(file, yaml, problems, out _);

    internal static Dictionary<string, IReadOnlyList<string>> Parse(
        string file, string yaml, List<ContentProblem> problems, out Dictionary<string, int> targetLines)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        targetLines = new(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(yaml)) return result;
        var root = FrontMatterParser.LoadRoot(file, yaml, lineOffset: 0, problems);
        if (root is null) return result;
        if (root is not YamlMappingNode map)
        {
            problems.Add(new(file, 1, "the synonyms file maps what a reader may type to the words the articles use, e.g. 'physio: [physiotherapy]'."));
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var line = (int)keyNode.Start.Line;
            var word = (keyNode as YamlScalarNode)?.Value ?? "";
            if (keyNode is not YamlScalarNode || !IsWordOrPhrase(word))
            {
                problems.Add(new(file, line, $"'{word}' must be a word in lower-case letters or digits (hyphens and apostrophes allowed), e.g. 'physio'."));
                continue;
            }
            if (valueNode is not YamlSequenceNode list || list.Children.Count == 0)
            {
                problems.Add(new(file, line, $"'{word}' needs a list of the words the articles use, e.g. '{word}: [treatment]'."));
                continue;
            }
            var targets = new List<string>();
            var before = problems.Count;
            foreach (var item in list.Children)
            {
                var itemLine = (int)item.Start.Line;
                var target = ((item as YamlScalarNode)?.Value ?? "").Trim();
                if (item is not YamlScalarNode || !IsWordOrPhrase(target))
                    problems.Add(new(file, itemLine, $"'{target}' (for '{word}') must be a word or phrase in lower-case letters or digits."));
                else if (target == word)
                    problems.Add(new(file, itemLine, $"'{word}' is listed as its own synonym; remove it."));
                else if (targets.Contains(target))
                    problems.Add(new(file, itemLine, $"'{target}' is listed twice for '{word}'; remove one."));
                else
                {
                    targets.Add(target);
                    targetLines.TryAdd(target, itemLine);
                }
            }
            if (problems.Count == before) result[word] = targets;
        }
        return result;
    }

    /// <summary>
    /// A synonym that no article uses finds nothing: reported at its line, so the list stays in step with the
    /// articles' words. <paramref name="words"/> holds every word of the content, lower-cased.
    /// </summary>
    internal static void CheckTargetsAreUsed(
        string file, IReadOnlyDictionary<string, IReadOnlyList<string>> synonyms, Dictionary<string, int> targetLines,
        IReadOnlySet<string> words, List<ContentProblem> problems)
    {
        foreach (var target in synonyms.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var missing = Words(target).Where(w => !words.Contains(w)).ToList();
            if (missing.Count > 0)
                problems.Add(new(file, targetLines[target],
                    $"no article or page uses the word '{missing[0]}', so '{target}' would find nothing; use a word the articles use."));
        }
    }

    /// <summary>The lower-cased words of a text, split at anything but letters and digits, as the search index splits them.</summary>
    public static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"^[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*$")]
    private static partial Regex Phrase();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
