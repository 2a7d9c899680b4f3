using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using Newtonsoft.Json;

namespace IbmInfo.Browser.Tests.Infrastructure;

/// <summary>One axe-core violation, as much of it as a failure message shows.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, AxeViolationNode[] Nodes);

/// <summary>An element that breaks the rule: its CSS selector and its HTML.</summary>
public sealed record AxeViolationNode(string Target, string Html);

/// <summary>
/// axe-core, the copy bundled with Deque's package, run in the page itself. The package's own <c>RunAxe</c> injects
/// the 650 kB script into the page and again into a new blank page of a new context on every call; here a context
/// that checks many pages gets it as an init script (<c>site.ReusedPageAsync(initScript: Axe.Source)</c>), loaded
/// before each document's own content and outside its CSP, and any other page on its first check.
/// </summary>
public static class Axe
{
    public static string Source { get; } = ReadBundledSource();

    /// <summary>The WCAG 2.2 AA rules, violations only (describing each passing element costs more than the checks).</summary>
    public static AxeRunOptions Wcag22AA => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        ResultTypes = [ResultType.Violations],
    };

    public static async Task<AxeViolation[]> RunAsync(IPage page, AxeRunOptions options)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(Source);
        var json = await page.EvaluateAsync<string>("""
            async options => {
                const result = await axe.run(document, JSON.parse(options));
                return JSON.stringify(result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html })),
                })));
            }
            """, JsonConvert.SerializeObject(options));
        return System.Text.Json.JsonSerializer.Deserialize<AxeViolation[]>(json, JsonSerializerOptions.Web)!;
    }

    /// <summary>The violations for a failure message: each rule, its impact and help, and its first few elements.</summary>
    public static string Describe(IEnumerable<AxeViolation> violations) => string.Join("\n", violations.Select(v =>
        $"{v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => $"{n.Target} {n.Html}"))));

    private static string ReadBundledSource()
    {
        const string Name = "Deque.AxeCore.Commons.Resources.axe.min.js";
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream(Name)
            ?? throw new InvalidOperationException($"{Name} is not in {typeof(AxeRunOptions).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
