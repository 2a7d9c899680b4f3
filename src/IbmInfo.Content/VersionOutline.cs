using System.Text;
using System.Text.RegularExpressions;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IbmInfo.Content;

/// <summary>Which part of a version an <see cref="OutlineUnit"/> is.</summary>
public enum OutlinePart
{
    /// <summary>The front matter's <c>title</c>.</summary>
    Title,
    /// <summary>The front matter's <c>summary</c>.</summary>
    Summary,
    /// <summary>The front matter's <c>change</c>: the change note, not part of the text readers read.</summary>
    ChangeNote,
    /// <summary>One of the front matter's <c>key_points</c>.</summary>
    KeyPoint,
    /// <summary>A heading of the body.</summary>
    Heading,
    /// <summary>A paragraph of the body (also one inside a quote).</summary>
    Paragraph,
    /// <summary>One item of a list, without the lists nested in it (those are items of their own).</summary>
    ListItem,
    /// <summary>One row of a table, its cells separated by " | ".</summary>
    TableRow,
    /// <summary>A code block, whole.</summary>
    Code,
}

/// <summary>
/// One unit a comparison keeps whole: a paragraph, heading, list item, table row, key point, or a front-matter field.
/// </summary>
/// <param name="Part">What the unit is.</param>
/// <param name="Audience">The audience block it is in; <see cref="Audience.All"/> for text outside the blocks.</param>
/// <param name="Text">Its text without markup; each citation is the text the caller gave for its keys.</param>
/// <param name="CitedKeys">The reference keys its citations name, in order.</param>
public sealed record OutlineUnit(OutlinePart Part, Audience Audience, string Text, IReadOnlyList<string> CitedKeys);

/// <summary>
/// A version file as a list of units to compare with another version: the title and summary, the key points of each
/// audience, the body's headings, paragraphs, list items and table rows in order, each with the audience block it is
/// in, and the change note. Read from the file's Markdown with the rendering pipeline, never from HTML.
/// </summary>
public static partial class VersionOutline
{
    private static readonly ContentRenderer Renderer = new();

    /// <summary>The units of a version file, or null when its front matter cannot be read.</summary>
    /// <param name="text">The whole version file, front matter and body.</param>
    /// <param name="kind">Article or page (only articles have a category).</param>
    /// <param name="citation">The text a citation stands as, from its keys, e.g. "[Rose et al. 2015]".</param>
    public static IReadOnlyList<OutlineUnit>? Read(string text, ContentKind kind, Func<IReadOnlyList<string>, string> citation)
    {
        var parsed = FrontMatterParser.Parse("version", text, kind, problems: []);
        if (parsed.FrontMatter is not { } front) return null;

        var units = new List<OutlineUnit>
        {
            new(OutlinePart.Title, Audience.All, Clean(front.Title), []),
            new(OutlinePart.Summary, Audience.All, Clean(front.Summary), []),
        };
        if (front.KeyPoints is { } keyPoints)
        {
            foreach (var (audience, points) in new[] { (Audience.Patient, keyPoints.Patient), (Audience.Clinician, keyPoints.Clinician) })
            {
                foreach (var point in points)
                {
                    if (Renderer.Parse(point.Markdown).FirstOrDefault() is ParagraphBlock paragraph)
                        units.Add(Unit(OutlinePart.KeyPoint, audience, paragraph.Inline, citation));
                }
            }
        }
        Walk(Renderer.Parse(parsed.Body), Audience.All, units, citation);
        // Last: it says why the text changed, and differs between any two versions.
        units.Add(new(OutlinePart.ChangeNote, Audience.All, Clean(front.Change), []));
        return units;
    }

    private static void Walk(ContainerBlock container, Audience audience, List<OutlineUnit> units, Func<IReadOnlyList<string>, string> citation)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case CustomContainer box when ContentRenderer.AudienceBlocks.TryGetValue(box.Info ?? "", out var boxAudience):
                    Walk(box, boxAudience, units, citation);
                    break;
                case HeadingBlock heading:
                    units.Add(Unit(OutlinePart.Heading, audience, heading.Inline, citation));
                    break;
                case ParagraphBlock paragraph:
                    units.Add(Unit(OutlinePart.Paragraph, audience, paragraph.Inline, citation));
                    break;
                case ListItemBlock item:
                    // The item's own paragraphs are one unit; a list nested in it gives units of its own.
                    var own = item.OfType<ParagraphBlock>().Select(p => Unit(OutlinePart.ListItem, audience, p.Inline, citation)).ToList();
                    if (own.Count > 0)
                        units.Add(new(OutlinePart.ListItem, audience, string.Join(" ", own.Select(u => u.Text)), own.SelectMany(u => u.CitedKeys).ToList()));
                    foreach (var child in item.OfType<ContainerBlock>()) Walk(child, audience, units, citation);
                    break;
                case Table table:
                    foreach (var row in table.OfType<TableRow>())
                    {
                        var cells = row.OfType<TableCell>()
                            .Select(cell => cell.OfType<ParagraphBlock>().Select(p => Unit(OutlinePart.TableRow, audience, p.Inline, citation)).ToList())
                            .ToList();
                        units.Add(new(OutlinePart.TableRow, audience,
                            string.Join(" | ", cells.Select(c => string.Join(" ", c.Select(u => u.Text)))),
                            cells.SelectMany(c => c).SelectMany(u => u.CitedKeys).ToList()));
                    }
                    break;
                case CodeBlock code:
                    units.Add(new(OutlinePart.Code, audience, code.Lines.ToString().TrimEnd(), []));
                    break;
                case LinkReferenceDefinitionGroup:
                    break;
                case ContainerBlock other:
                    Walk(other, audience, units, citation);
                    break;
                case LeafBlock { Inline: { } inline }:
                    units.Add(Unit(OutlinePart.Paragraph, audience, inline, citation));
                    break;
            }
        }
    }

    private static OutlineUnit Unit(OutlinePart part, Audience audience, ContainerInline? inline, Func<IReadOnlyList<string>, string> citation)
    {
        var text = new StringBuilder();
        var keys = new List<string>();
        Append(inline, text, keys, citation);
        return new(part, audience, Clean(text.ToString()), keys);
    }

    private static void Append(Inline? inline, StringBuilder text, List<string> keys, Func<IReadOnlyList<string>, string> citation)
    {
        switch (inline)
        {
            case null:
                return;
            case CitationInline cited:
                text.Append(citation(cited.Keys));
                keys.AddRange(cited.Keys);
                return;
            case LiteralInline literal: text.Append(literal.Content.ToString()); return;
            case CodeInline code: text.Append(code.Content); return;
            case LineBreakInline: text.Append(' '); return;
            case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); return;
            case HtmlInline html: text.Append(html.Tag); return;
            case AutolinkInline autolink: text.Append(autolink.Url); return;
            case LinkInline { IsImage: false } link:
                foreach (var child in link) Append(child, text, keys, citation);
                // Where a link leads is part of what a reviewer approves.
                if (!string.IsNullOrEmpty(link.Url)) text.Append(" (link: ").Append(link.Url).Append(')');
                return;
            case ContainerInline container:
                foreach (var child in container) Append(child, text, keys, citation);
                return;
        }
    }

    /// <summary>One line: runs of white space (line breaks too) become one space.</summary>
    private static string Clean(string text) => WhiteSpace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
