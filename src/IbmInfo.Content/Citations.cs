using System.Text.RegularExpressions;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Parsers.Inlines;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax.Inlines;

namespace IbmInfo.Content;

/// <summary>A citation in the body, <c>[@key]</c> or <c>[@a; @b]</c>.</summary>
internal sealed class CitationInline : LeafInline
{
    public required IReadOnlyList<string> Keys { get; init; }
}

/// <summary>Recognises <c>[@key; @key2]</c> before Markdig's link parser sees the bracket.</summary>
internal sealed partial class CitationParser : InlineParser
{
    public CitationParser() => OpeningCharacters = ['['];

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        if (slice.PeekChar() != '@') return false;
        var match = Pattern().Match(slice.Text, slice.Start, slice.End - slice.Start + 1);
        if (!match.Success) return false;

        var keys = match.Value[1..^1].Split(';', StringSplitOptions.TrimEntries).Select(k => k[1..]).ToList();
        processor.Inline = new CitationInline
        {
            Keys = keys,
            Span = new(processor.GetSourcePosition(slice.Start, out var line, out var column), 0),
            Line = line,
            Column = column,
        };
        processor.Inline.Span.End = processor.Inline.Span.Start + match.Length - 1;
        slice.Start += match.Length;
        return true;
    }

    [GeneratedRegex(@"^\[@[^\s;\]\[]+(?:\s*;\s*@[^\s;\]\[]+)*\]")]
    private static partial Regex Pattern();
}

/// <summary>
/// Renders citations as numbered superscript links, numbered by first use in the rendered document.
/// One instance serves one rendering, so its numbering is that rendering's reference list.
/// </summary>
internal sealed class CitationRenderer : HtmlObjectRenderer<CitationInline>
{
    private readonly List<string> _order = [];

    public IReadOnlyList<string> CitedKeys => _order;

    protected override void Write(HtmlRenderer renderer, CitationInline citation)
    {
        renderer.Write("<sup class=\"citation\">");
        var first = true;
        foreach (var key in citation.Keys)
        {
            var index = _order.IndexOf(key);
            var firstUse = index < 0;
            if (firstUse)
            {
                _order.Add(key);
                index = _order.Count - 1;
            }
            var n = index + 1;
            if (!first) renderer.Write(",");
            first = false;
            renderer.Write("<a href=\"#ref-").Write(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Write('"');
            if (firstUse) renderer.Write(" id=\"cite-").Write(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Write('"');
            renderer.Write("><span class=\"visually-hidden\">Reference </span>")
                .Write(n.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Write("</a>");
        }
        renderer.Write("</sup>");
    }
}

/// <summary>Adds citation parsing and rendering to a pipeline.</summary>
internal sealed class CitationExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.InlineParsers.Contains<CitationParser>())
            pipeline.InlineParsers.InsertBefore<LinkInlineParser>(new CitationParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<CitationRenderer>())
            html.ObjectRenderers.Insert(0, new CitationRenderer());
    }
}
