using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IbmInfo.Content;

/// <summary>
/// What a content file may hold, checked before the YAML and Markdown parsers see it: its size, its characters, and
/// how deeply it nests. A parser made to recurse by deep nesting overflows the stack, which no <c>catch</c> can stop
/// and which ends the whole process, so depth is measured first: YAML with YamlDotNet's event parser (which keeps its
/// own stack instead of recursing), Markdown with a scan of each line's block prefix and brackets.
/// </summary>
public static partial class ContentLimits
{
    /// <summary>The largest version file read (256 KB): the longest article is a few tens of KB.</summary>
    public const int MaxVersionFileBytes = 256 * 1024;

    /// <summary>The largest references file read (1 MB).</summary>
    public const int MaxReferencesFileBytes = 1024 * 1024;

    /// <summary>How deeply YAML may nest lists and mappings (front matter needs three, references.yml two).</summary>
    public const int MaxYamlDepth = 8;

    /// <summary>How deeply Markdown may nest block quotes, lists and indentation (two spaces a level), or brackets.</summary>
    public const int MaxMarkdownDepth = 24;

    private const int MaxCharacterProblems = 10;

    /// <summary>
    /// Reports each line of <paramref name="text"/> holding a character no reader could see or a feed could carry:
    /// control characters other than tab and line feed (NUL, a lone carriage return …), U+FFFE, U+FFFF and the other
    /// noncharacters, and lone surrogates. Returns false when there is one.
    /// </summary>
    internal static bool CheckCharacters(string file, string text, int firstLine, List<ContentProblem> problems)
    {
        var found = 0;
        var line = firstLine;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                continue;
            }
            if (Forbidden(text, i) is not { } description)
            {
                if (char.IsHighSurrogate(text[i])) i++; // the pair's second half
                continue;
            }
            if (++found <= MaxCharacterProblems)
                problems.Add(new(file, line, $"this line holds {description}; delete it (such characters are invisible, and often come from pasting)."));
            // One report a line is enough.
            while (i + 1 < text.Length && text[i + 1] != '\n') i++;
        }
        if (found > MaxCharacterProblems)
            problems.Add(new(file, line, $"… and {found - MaxCharacterProblems} more line(s) with such characters."));
        return found == 0;
    }

    /// <summary>What is wrong with the character at <paramref name="i"/>, or null when it may stand in content.</summary>
    internal static string? Forbidden(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            var cp = char.ConvertToUtf32(c, text[i + 1]);
            return (cp & 0xFFFE) == 0xFFFE ? $"the noncharacter U+{cp:X}" : null;
        }
        if (char.IsSurrogate(c)) return $"a lone surrogate (U+{(int)c:X4}), which is not a character";
        return c switch
        {
            '\t' or '\n' => null,
            '\0' => "a NUL character (U+0000)",
            '\r' => "a carriage return on its own (U+000D, an old Mac line end)",
            < ' ' or (>= '\u007F' and <= '\u009F') => $"the control character U+{(int)c:X4}",
            '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF') => $"the noncharacter U+{(int)c:X4}",
            _ => null,
        };
    }

    /// <summary>
    /// Reads <paramref name="yaml"/> as parser events only: refuses nesting deeper than <see cref="MaxYamlDepth"/>
    /// and values that hold forbidden characters (written as escapes such as <c>"\0"</c>), and turns what the parser
    /// throws on a broken flow collection into a problem with its line. Returns false when it found a problem; a plain
    /// syntax error is left to the full load, which reports it with its own message.
    /// </summary>
    internal static bool CheckYaml(string file, string yaml, int lineOffset, List<ContentProblem> problems)
    {
        var open = new Stack<NodeEvent>();
        var ok = true;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        open.Push((NodeEvent)parser.Current);
                        if (open.Count > MaxYamlDepth)
                        {
                            problems.Add(new(file, Line(parser.Current.Start) + lineOffset,
                                $"the YAML is nested more than {MaxYamlDepth} levels deep (lists or fields inside each other); write plain 'field: value' lines."));
                            return false;
                        }
                        break;
                    case MappingEnd or SequenceEnd:
                        open.TryPop(out _);
                        break;
                    case Scalar scalar:
                        if (FirstForbidden(scalar.Value) is { } bad)
                        {
                            problems.Add(new(file, Line(scalar.Start) + lineOffset, $"this value holds {bad}; remove it (it is invisible, or breaks feeds)."));
                            ok = false;
                        }
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // A syntax error: the full load reports it, with the line and YamlDotNet's own words.
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet throws these, without a position, on some flow collections left open before the last line.
            var flow = open.FirstOrDefault(n => n is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow });
            problems.Add(flow is not null
                ? new(file, Line(flow.Start) + lineOffset,
                    $"the '{(flow is MappingStart ? '{' : '[')}' on this line is never closed; close it with '{(flow is MappingStart ? '}' : ']')}', or put the whole value in quotes.")
                : new(file, Line(parser.Current?.Start ?? Mark.Empty) + lineOffset, "the YAML is malformed here; check indentation, colons, brackets and quotes."));
            return false;
        }
        return ok;
    }

    /// <summary>What is wrong with the first forbidden character of <paramref name="text"/>, or null when there is none.</summary>
    internal static string? FirstForbidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Forbidden(text, i) is { } description) return description;
            if (char.IsHighSurrogate(text[i])) i++;
        }
        return null;
    }

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    /// <summary>
    /// Refuses a Markdown body nested deeper than <see cref="MaxMarkdownDepth"/> (block quotes, list items and
    /// indentation at the start of a line, or brackets within one), and character references such as <c>&amp;#7;</c>
    /// that stand for a forbidden character. Returns false when it found a problem.
    /// </summary>
    internal static bool CheckMarkdown(string file, string body, int firstLine, List<ContentProblem> problems)
    {
        var ok = true;
        var lines = body.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (BlockDepth(line) > MaxMarkdownDepth || BracketDepth(line) > MaxMarkdownDepth)
            {
                problems.Add(new(file, firstLine + n,
                    $"this line is nested more than {MaxMarkdownDepth} levels deep (block quotes, lists, indentation or brackets inside each other); flatten it."));
                return false;
            }
            foreach (Match reference in NumericCharacterReference().Matches(line))
            {
                var digits = reference.Groups[1].Value;
                var parsed = digits[0] is 'x' or 'X'
                    ? int.TryParse(digits.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp)
                    : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out cp);
                if (!parsed || cp is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF)
                    || Forbidden(char.ConvertFromUtf32(cp), 0) is not null)
                {
                    problems.Add(new(file, firstLine + n, $"'{reference.Value}' stands for a character that is invisible or not a character at all; remove it."));
                    ok = false;
                }
            }
        }
        return ok;
    }

    /// <summary>Block quote markers, list markers and indentation (two columns a level) before a line's text.</summary>
    private static int BlockDepth(string line)
    {
        int markers = 0, columns = 0, i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ') columns++;
            else if (c == '\t') columns += 4;
            else if (c == '>') markers++;
            else if (c is '-' or '*' or '+' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t')) markers++;
            else if (char.IsAsciiDigit(c))
            {
                var end = i;
                while (end < line.Length && char.IsAsciiDigit(line[end])) end++;
                if (end < line.Length && line[end] is '.' or ')' && (end + 1 == line.Length || line[end + 1] is ' ' or '\t'))
                {
                    markers++;
                    i = end;
                }
                else break;
            }
            else break;
            i++;
        }
        return markers + columns / 2;
    }

    /// <summary>How many unescaped '[' are open at most within the line.</summary>
    private static int BracketDepth(string line)
    {
        int depth = 0, deepest = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\') i++;
            else if (line[i] == '[') deepest = Math.Max(deepest, ++depth);
            else if (line[i] == ']' && depth > 0) depth--;
        }
        return deepest;
    }

    [GeneratedRegex("&#([0-9]{1,8}|[xX][0-9a-fA-F]{1,7});")]
    private static partial Regex NumericCharacterReference();
}
