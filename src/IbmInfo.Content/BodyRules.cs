using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IbmInfo.Content;

/// <summary>The checks on a Markdown body: structure, audience blocks, citations, links and raw HTML.</summary>
internal static partial class BodyRules
{
    // Parsed with HTML allowed only to find it: the rendering pipeline treats it as text.
    private static readonly MarkdownPipeline HtmlFinder = new MarkdownPipelineBuilder().UseCustomContainers().UsePreciseSourceLocation().Build();

    /// <summary>Checks a body; returns its parse by the rendering pipeline, which renders it for everyone.</summary>
    public static MarkdownDocument? Check(
        string file, string body, int firstLine, ContentRenderer renderer,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        void Add(int bodyLine, string message) => problems.Add(new(file, firstLine + bodyLine, message));
        // Markdig does not set Line on every node (raw inline HTML, setext headings): the span's start is reliable.
        int LineOf(MarkdownObject node) =>
            node.Span.Start >= 0 ? body.AsSpan(0, Math.Min(node.Span.Start, body.Length)).Count('\n') : node.Line;

        if (string.IsNullOrWhiteSpace(body))
        {
            problems.Add(new(file, firstLine, "the body is empty: write the article below the front matter."));
            return null;
        }

        CheckAudienceFences(body, firstLine, Add);

        // Raw HTML always starts with '<': a body without one needs no second parse to look for it.
        if (body.Contains('<'))
        {
            foreach (var line in Markdown.Parse(body, HtmlFinder).Descendants().Where(n => n is HtmlBlock or HtmlInline).Select(LineOf).Distinct())
                Add(line, "raw HTML is not allowed; write it in Markdown (it would be shown as text).");
        }

        var document = renderer.Parse(body);
        foreach (var heading in document.Descendants<HeadingBlock>().Where(h => h.Level == 1))
            Add(LineOf(heading), "a level-1 heading ('# …') is not allowed: the title comes from the front matter; start sections at '##'.");

        foreach (var container in document.Descendants<CustomContainer>())
        {
            if (container.Parent is not MarkdownDocument)
                Add(container.Line, "an audience block cannot be inside another block.");
        }

        foreach (var citation in document.Descendants<CitationInline>())
        {
            foreach (var key in citation.Keys.Where(k => !references.ContainsKey(k)))
                Add(citation.Line, $"unknown citation key '@{key}'; add it to references.yml or correct the key.");
        }

        // A '[@' that did not become a citation or a link is text: its '[' is a literal (or an unmatched
        // bracket) of its own, so look at the source where that starts. An escaped '\[@' is meant as text.
        foreach (var text in document.Descendants<Inline>().Where(i => i is LiteralInline or LinkDelimiterInline))
        {
            if (text.Span.Start >= 0 && text.Span.Start < body.Length && body.AsSpan(text.Span.Start).StartsWith("[@", StringComparison.Ordinal))
                Add(LineOf(text), "malformed citation; write [@key] or [@key1; @key2].");
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.IsImage)
                Add(link.Line, "images are not supported: they would be requests to other sites or unreviewed files.");
            else if (!ContentRenderer.IsAllowedLink(link.Url))
                Add(link.Line, $"the link '{link.Url}' is not allowed; use an https:// address, mailto:, a site path like /articles/about-ibm, or #section.");
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !ContentRenderer.IsAllowedAutolink(a)))
            Add(autolink.Line, $"the link '{autolink.Url}' is not allowed; use an https:// address, mailto:, a site path like /articles/about-ibm, or #section.");

        foreach (var node in ContentRenderer.WithForbiddenAttributes(document))
            Add(node.Line, "only an anchor '{#name}' may be written in braces; remove the other attributes (classes, styles, handlers).");
        return document;
    }

    /// <summary>Checks a key point with the body's rules; it must be inline text, one paragraph with no block in it.</summary>
    public static void CheckKeyPoint(
        string file, KeyPoint point, ContentRenderer renderer, IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var document = Check(file, point.Markdown, point.Line, renderer, references, problems);
        if (problems.Count == before && document is not null && (document.Count != 1 || document[0] is not ParagraphBlock))
            problems.Add(new(file, point.Line, "a key point is one line of plain text with citations; no heading, list, quote or code."));
    }

    /// <summary>Audience blocks open with '::: patient' or '::: clinician' and close with ':::' — checked line by line.</summary>
    private static void CheckAudienceFences(string body, int firstLine, Action<int, string> add)
    {
        var lines = body.Split('\n');
        int? openLine = null;
        var inCode = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal)) inCode = !inCode;
            if (inCode) continue;
            var fence = Fence().Match(line);
            if (!fence.Success) continue;
            var name = fence.Groups[1].Value;
            if (name.Length == 0)
            {
                if (openLine is null) add(i, "':::' closes an audience block, but none is open.");
                openLine = null;
            }
            else if (!ContentRenderer.AudienceBlocks.ContainsKey(name))
            {
                add(i, $"unknown block '::: {name}'; use '::: patient' or '::: clinician'.");
                openLine ??= i; // its closing ':::' is not a stray one
            }
            else if (openLine is not null)
            {
                add(i, $"'::: {name}' opens a block inside the one opened at line {firstLine + openLine}; close that one first with ':::'.");
            }
            else
            {
                openLine = i;
            }
        }
        if (openLine is int open)
            add(open, "this audience block is never closed; add a line ':::' after its text.");
    }

    [GeneratedRegex(@"^:{3,}\s*([A-Za-z0-9_-]*)\s*$")]
    private static partial Regex Fence();
}
