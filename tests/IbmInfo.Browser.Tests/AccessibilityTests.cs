using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using IbmInfo.Browser.Tests.Infrastructure;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>axe-core (WCAG 2.2 AA rules) on every public page, in the light and the dark theme, and the phone layout.</summary>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityTests(BrowserSite site)
{
    /// <summary>
    /// The rules whose answer depends on colours alone. The dark theme changes nothing but colours (the test below
    /// keeps that true), so on its second pass a page needs only these: every other rule would answer as in light.
    /// </summary>
    private static readonly AxeRunOptions ColourRules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast", "link-in-text-block"] },
        ResultTypes = [ResultType.Violations],
    };

    [Theory]
    [MemberData(nameof(PublicPages.Data), MemberType = typeof(PublicPages))]
    public async Task Page_has_no_axe_violations_in_either_theme(string url)
    {
        var page = await site.ReusedPageAsync(scheme: ColorScheme.Light, initScript: Axe.Source);
        await page.GotoAsync(url);
        foreach (var (scheme, rules) in new[] { (ColorScheme.Light, Axe.Wcag22AA), (ColorScheme.Dark, ColourRules) })
        {
            // The same page, its colours switched as the reader's system setting would switch them.
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            var violations = await Axe.RunAsync(page, rules);
            Assert.True(violations.Length == 0, $"{url} in the {scheme} theme:\n" + Axe.Describe(violations));
        }
    }

    [Theory]
    [MemberData(nameof(PublicPages.Data), MemberType = typeof(PublicPages))]
    public async Task Page_fits_a_320_px_screen_without_horizontal_scrolling(string url)
    {
        var page = await site.ReusedPageAsync(width: 320, height: 640);
        await page.GotoAsync(url);
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{url} is {scrollWidth} px wide in a {innerWidth} px window; too wide: " + await TooWideAsync(page));
    }

    [Theory]
    [InlineData("/articles/treatment-evidence")]
    [InlineData("/alert-card")]
    [InlineData("/search?q=steroids")]
    public async Task Page_fits_at_200_percent_zoom_of_a_1280_px_window(string url)
    {
        // Browser zoom at 200 % lays a 1280 px window out as 640 CSS px with every pixel doubled.
        var page = await site.ReusedPageAsync(width: 640, height: 400);
        await page.GotoAsync(url);
        var fits = await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth");
        Assert.True(fits, $"{url} too wide: " + await TooWideAsync(page));
    }

    [Fact]
    public void The_dark_theme_changes_only_colours()
    {
        // What lets the dark pass above run the colour rules only: its blocks in the stylesheet set colours, nothing else.
        var css = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "IbmInfo.Web", "wwwroot", "css", "site.css"));
        var blocks = Regex.Matches(css, @"@media \(prefers-color-scheme: dark\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}");
        Assert.NotEmpty(blocks);
        var properties = blocks
            .SelectMany(b => Regex.Matches(b.Groups[1].Value, @"\{([^{}]*)\}").Select(rule => rule.Groups[1].Value))
            .SelectMany(declarations => declarations.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(declaration => declaration.Split(':')[0].Trim())
            .ToList();
        Assert.NotEmpty(properties);
        Assert.All(properties, p => Assert.True(
            p.StartsWith("--", StringComparison.Ordinal) || p is "color" or "background" or "background-color" or "border-color" or "outline-color",
            $"the dark theme sets {p}, which is not a colour: run every axe rule in the dark pass, or move it out of the dark block"));
    }

    /// <summary>The innermost elements reaching past the window's right edge, for the failure message.</summary>
    private static Task<string> TooWideAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
            .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className + ' "' + e.textContent.trim().slice(0, 40) + '"').join('; ')
        """);
}
