using System.Globalization;
using System.Net;
using System.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.CustomContainers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IbmInfo.Content;

/// <summary>
/// Renders an article body to HTML for one audience: citations become numbered links, audience blocks for
/// other readers are dropped, headings get stable anchors with a visible "link to this section".
/// The Markdig pipeline is built once; raw HTML is never passed through.
/// </summary>
public sealed partial class ContentRenderer
{
    /// <summary>The audience block names an author may use after <c>:::</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Audience> AudienceBlocks = new Dictionary<string, Audience>
    {
        ["patient"] = Audience.Patient,
        ["clinician"] = Audience.Clinician,
    };

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseCustomContainers()
        .UsePipeTables()
        .Use<CitationExtension>()
        .UseGenericAttributes()
        .DisableHtml()
        .Build();

    /// <summary>Parses a body with the rendering pipeline (raw HTML stays text).</summary>
    internal MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, _pipeline);

    /// <summary>Renders <paramref name="markdown"/> as <paramref name="audience"/> will read it.</summary>
    public RenderedBody Render(string markdown, Audience audience) => Render(Parse(markdown), audience);

    /// <summary>Renders <paramref name="markdown"/> and its key points (cited first) as <paramref name="audience"/> will read them.</summary>
    public RenderedBody Render(string markdown, Audience audience, KeyPoints? keyPoints) => Render(Parse(markdown), audience, keyPoints);

    /// <summary>
    /// Renders a document parsed by <see cref="Parse"/>. Its unsafe links are neutralised on the way; the audience
    /// blocks for other readers are skipped, not removed, so one parse serves the rendering for every audience.
    /// </summary>
    internal RenderedBody Render(MarkdownDocument document, Audience audience, KeyPoints? keyPoints = null)
    {
        NeutraliseUnsafeLinks(document);
        return RenderNeutralised(document, audience, keyPoints);
    }

    /// <summary>The renderings of a document parsed by <see cref="Parse"/> for every audience, its links neutralised once for all.</summary>
    internal Dictionary<Audience, RenderedBody> RenderForEveryAudience(MarkdownDocument document, KeyPoints? keyPoints)
    {
        NeutraliseUnsafeLinks(document);
        return Enum.GetValues<Audience>().ToDictionary(a => a, a => RenderNeutralised(document, a, keyPoints));
    }

    private RenderedBody RenderNeutralised(MarkdownDocument document, Audience audience, KeyPoints? keyPoints)
    {
        using var keyPointsWriter = new StringWriter(CultureInfo.InvariantCulture);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(keyPointsWriter);
        _pipeline.Setup(renderer);
        var citations = renderer.ObjectRenderers.FindExact<CitationRenderer>()!;
        renderer.ObjectRenderers.Replace<HtmlCustomContainerRenderer>(new AudienceBlockRenderer(audience));
        renderer.ObjectRenderers.Replace<HeadingRenderer>(new SectionHeadingRenderer());

        // The key points come first on the page, so their citations take the first numbers.
        var keyPointsText = new StringBuilder();
        if (keyPoints is not null)
        {
            foreach (var (pointsAudience, points) in KeyPointsFor(keyPoints, audience))
            {
                if (audience == Audience.All)
                    renderer.Write("<div class=\"audience audience-").Write(pointsAudience == Audience.Clinician ? "clinician" : "patient")
                        .Write("\"><p class=\"audience-label\">").Write(AudienceLabel(pointsAudience)).WriteLine("</p>");
                renderer.WriteLine("<ul class=\"key-points\">");
                foreach (var point in points)
                {
                    var paragraph = Parse(point.Markdown);
                    NeutraliseUnsafeLinks(paragraph);
                    if (paragraph.FirstOrDefault() is not ParagraphBlock block) continue;
                    renderer.Write("<li>");
                    renderer.WriteLeafInline(block);
                    renderer.WriteLine("</li>");
                    keyPointsText.Append(InlineText(block.Inline)).Append('\n');
                }
                renderer.WriteLine("</ul>");
                if (audience == Audience.All) renderer.WriteLine("</div>");
            }
        }
        renderer.Writer = writer;
        renderer.Render(document);

        var headings = new List<Heading>();
        var plainText = SpaceBeforePunctuation().Replace(keyPointsText.ToString(), "$1") + PlainText(document, audience, headings);
        return new RenderedBody(writer.ToString(), citations.CitedKeys.ToList(), headings, plainText)
        {
            KeyPointsHtml = keyPointsWriter.ToString(),
        };
    }

    /// <summary>The key point lists a reader of <paramref name="audience"/> sees: their own, or both when no choice is made.</summary>
    private static IEnumerable<(Audience, IReadOnlyList<KeyPoint>)> KeyPointsFor(KeyPoints keyPoints, Audience audience) => audience switch
    {
        Audience.Patient => [(Audience.Patient, keyPoints.Patient)],
        Audience.Clinician => [(Audience.Clinician, keyPoints.Clinician)],
        _ => [(Audience.Patient, keyPoints.Patient), (Audience.Clinician, keyPoints.Clinician)],
    };

    private static string AudienceLabel(Audience audience) =>
        audience == Audience.Clinician ? "For healthcare professionals" : "For patients and carers";

    /// <summary>Whether <paramref name="block"/> is an audience block for readers other than <paramref name="audience"/>.</summary>
    private static bool HiddenFrom(Block block, Audience audience) =>
        audience != Audience.All && block is CustomContainer container
        && AudienceBlocks.TryGetValue(container.Info ?? "", out var blockAudience) && blockAudience != audience;

    /// <summary>
    /// A link the content check would refuse is rendered without its target, never as javascript: or data:
    /// (an autolink such as <c>&lt;javascript:…&gt;</c> becomes plain text). Attributes written with
    /// <c>{…}</c> keep only their id, so no event handler, style or class reaches the page.
    /// </summary>
    private static void NeutraliseUnsafeLinks(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsAllowedLink(link.Url)) link.Url = "#";
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsAllowedAutolink(autolink)) autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
        foreach (var node in WithForbiddenAttributes(document))
        {
            var attributes = node.GetAttributes();
            attributes.Properties = null;
            if (node is not IFencedBlock) attributes.Classes = null;
        }
    }

    /// <summary>An autolink (<c>&lt;https://…&gt;</c>, <c>&lt;name@example.org&gt;</c>) the check allows.</summary>
    internal static bool IsAllowedAutolink(AutolinkInline autolink) => autolink.IsEmail || IsAllowedLink(autolink.Url);

    /// <summary>
    /// Elements given attributes other than an id with the <c>{…}</c> syntax: only <c>{#id}</c> is allowed
    /// (the class Markdig gives a fenced block from its info string is its own).
    /// </summary>
    internal static IEnumerable<MarkdownObject> WithForbiddenAttributes(MarkdownDocument document) =>
        document.Descendants().Where(node => node.TryGetAttributes() is { } a
            && (a.Properties is { Count: > 0 } || (a.Classes is { Count: > 0 } && node is not IFencedBlock)));

    /// <summary>Links may go to https sites, e-mail, this site's own paths, or a section of the page.</summary>
    public static bool IsAllowedLink(string? url) =>
        url is not null
        && (url.StartsWith('#')
            || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            || (ReferencesParser.IsSafeUrl(url) && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)));

    internal static string InlineText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var text = new StringBuilder();
        AppendInlineText(inline, text);
        return text.ToString().Trim();
    }

    /// <summary>
    /// The text of an inline's descendants in document order, walked directly: Markdig's <c>Descendants()</c> builds
    /// an iterator and a stack per call, which for every paragraph of 3,000 versions was a sixth of a first sync.
    /// </summary>
    private static void AppendInlineText(ContainerInline container, StringBuilder text)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            switch (child)
            {
                case LiteralInline literal: text.Append(literal.Content.AsSpan()); break;
                case CodeInline code: text.Append(code.Content); break;
                case LineBreakInline: text.Append(' '); break;
                case HtmlEntityInline entity: text.Append(entity.Transcoded.AsSpan()); break;
            }
            if (child is ContainerInline inner) AppendInlineText(inner, text);
        }
    }

    /// <summary>The text <paramref name="audience"/> reads, and its headings added to <paramref name="headings"/>, in one walk.</summary>
    private static string PlainText(MarkdownDocument document, Audience audience, List<Heading> headings)
    {
        var text = new StringBuilder();
        AppendPlainText(document, audience, text, headings);
        // A citation leaves the space before it behind ("in IBM [@x]." → "in IBM ."): close it up for snippets.
        return SpaceBeforePunctuation().Replace(text.ToString(), "$1").Trim();
    }

    /// <summary>Each shown leaf block's text (trimmed, as <see cref="InlineText"/> gives it) on a line of its own, in document order.</summary>
    private static void AppendPlainText(ContainerBlock container, Audience audience, StringBuilder text, List<Heading> headings)
    {
        foreach (var block in container)
        {
            if (HiddenFrom(block, audience)) continue;
            if (block is ContainerBlock inner)
            {
                AppendPlainText(inner, audience, text, headings);
                continue;
            }
            if (block is not LeafBlock leaf) continue;
            if (leaf.Inline is not null)
            {
                var start = text.Length;
                AppendInlineText(leaf.Inline, text);
                TrimFrom(text, start);
                if (leaf is HeadingBlock heading)
                    headings.Add(new Heading(heading.Level, heading.GetAttributes().Id ?? "", text.ToString(start, text.Length - start)));
            }
            else
            {
                text.Append(leaf.Lines.ToString());
                if (leaf is HeadingBlock heading) headings.Add(new Heading(heading.Level, heading.GetAttributes().Id ?? "", ""));
            }
            text.Append('\n');
        }
    }

    /// <summary>Trims white space from both ends of the part of <paramref name="text"/> after <paramref name="start"/>, as <see cref="string.Trim()"/> would.</summary>
    private static void TrimFrom(StringBuilder text, int start)
    {
        var end = text.Length;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        text.Length = end;
        var first = start;
        while (first < end && char.IsWhiteSpace(text[first])) first++;
        if (first > start) text.Remove(start, first - start);
    }

    /// <summary>Audience blocks: labelled when both audiences are shown, plain otherwise.</summary>
    private sealed class AudienceBlockRenderer(Audience shown) : HtmlObjectRenderer<CustomContainer>
    {
        protected override void Write(HtmlRenderer renderer, CustomContainer block)
        {
            if (HiddenFrom(block, shown)) return;
            var name = block.Info ?? "";
            renderer.EnsureLine();
            renderer.Write("<div class=\"audience audience-").Write(WebUtility.HtmlEncode(name)).Write("\">");
            if (shown == Audience.All)
            {
                var label = AudienceLabel(name == "clinician" ? Audience.Clinician : Audience.Patient);
                renderer.Write("<p class=\"audience-label\">").Write(label).Write("</p>");
            }
            renderer.WriteLine();
            renderer.WriteChildren(block);
            renderer.WriteLine("</div>");
        }
    }

    /// <summary>Headings with their anchor and a visible link to the section.</summary>
    private sealed class SectionHeadingRenderer : HtmlObjectRenderer<HeadingBlock>
    {
        protected override void Write(HtmlRenderer renderer, HeadingBlock heading)
        {
            var level = heading.Level.ToString(CultureInfo.InvariantCulture);
            renderer.EnsureLine();
            renderer.Write("<h").Write(level).WriteAttributes(heading).Write('>');
            renderer.WriteLeafInline(heading);
            var id = heading.GetAttributes().Id;
            if (!string.IsNullOrEmpty(id))
            {
                var anchor = WebUtility.HtmlEncode(id);
                renderer.Write(" <a class=\"section-link\" href=\"#").Write(anchor).Write("\">")
                    .Write("<span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: ")
                    .Write(WebUtility.HtmlEncode(InlineText(heading.Inline))).Write("</span></a>");
            }
            renderer.Write("</h").Write(level).WriteLine(">");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]+([.,;:!?)])")]
    private static partial System.Text.RegularExpressions.Regex SpaceBeforePunctuation();
}
