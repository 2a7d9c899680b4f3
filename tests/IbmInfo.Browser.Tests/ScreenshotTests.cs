using System.Text.Json;
using IbmInfo.Browser.Tests.Infrastructure;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>
/// Full-page screenshots of the main pages at phone and desktop widths, into tests/screenshots/ (git-ignored), and what a
/// reader of each would notice at that width read from the page itself: no sideways scrolling, the reading column as
/// wide as the screen up to its measure and centred, the title in the first screenful, the theme's own background.
/// </summary>
[Collection(ScreenshotCollection.Name)]
public sealed class ScreenshotTests(BrowserSite site)
{
    private static readonly (string Name, string Url)[] Pages =
    [
        ("home", "/"),
        ("article", "/articles/treatment-evidence"),
        ("article-clinician", "/articles/treatment-evidence?audience=clinician"),
        ("search", "/search?q=steroids"),
        ("alert-card", "/alert-card"),
        ("references", "/references"),
    ];

    [Theory]
    [InlineData(375, "light")]
    [InlineData(1280, "light")]
    [InlineData(375, "dark")]
    public async Task Main_pages_are_captured(int width, string theme)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "screenshots");
        Directory.CreateDirectory(folder);
        var page = await site.ReusedPageAsync(width: width, height: 800, scheme: theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        // Each main page in a tab of its own in the same context, all captured at once: a full-page capture waits on
        // Chromium far longer than it keeps a core busy. The pages load one after another, in the order above, since
        // one sets the audience cookie that the ones after it are read with.
        var tabs = new List<IPage> { page };
        while (tabs.Count < Pages.Length) tabs.Add(await page.Context.NewPageAsync());
        try
        {
            for (var i = 0; i < Pages.Length; i++) await tabs[i].GotoAsync(Pages[i].Url);
            await Task.WhenAll(Pages.Select(async (main, i) =>
            {
                var tab = tabs[i];
                var path = Path.Combine(folder, $"{main.Name}-{width}-{theme}.png");
                await tab.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                await AssertLayoutAsync(tab, $"{main.Url} at {width} px, {theme}", theme);
                // The first screenful too: what a reader sees on arrival, small enough to look at closely.
                await tab.ScreenshotAsync(new PageScreenshotOptions { Path = Path.ChangeExtension(path, null) + "-top.png" });
            }));
        }
        finally
        {
            foreach (var tab in tabs.Skip(1)) await tab.CloseAsync();
        }
        // The end of an article: the question form and "Was this page useful?", side by side in one picture.
        await page.GotoAsync("/articles/treatment-evidence");
        var top = await page.Locator("#follow-up").BoundingBoxAsync();
        var bottom = await page.Locator("#page-feedback").BoundingBoxAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"follow-up-{width}-{theme}.png"),
            FullPage = true,
            Clip = new Clip { X = 0, Y = top!.Y - 8, Width = width, Height = bottom!.Y + bottom.Height - top.Y + 16 },
        });
        await page.Locator(".article-body table").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"table-{width}-{theme}.png") });
    }

    private static async Task AssertLayoutAsync(IPage page, string where, string theme)
    {
        var facts = await page.EvaluateAsync<JsonElement>("""
            () => {
                const column = document.querySelector('main').getBoundingClientRect();
                const title = document.querySelector('main h1').getBoundingClientRect();
                return {
                    scrollWidth: document.scrollingElement.scrollWidth, window: window.innerWidth, viewport: document.documentElement.clientWidth,
                    columnLeft: column.left, columnWidth: column.width,
                    measure: 46 * parseFloat(getComputedStyle(document.documentElement).fontSize),
                    titleTop: title.top, titleBottom: title.bottom, screen: window.innerHeight,
                    background: getComputedStyle(document.body).backgroundColor,
                };
            }
            """);
        double Px(string name) => facts.GetProperty(name).GetDouble();
        var layout = (ScrollWidth: Px("scrollWidth"), Window: Px("window"), Viewport: Px("viewport"), ColumnLeft: Px("columnLeft"),
            ColumnWidth: Px("columnWidth"), Measure: Px("measure"), TitleTop: Px("titleTop"), TitleBottom: Px("titleBottom"),
            Screen: Px("screen"), Background: facts.GetProperty("background").GetString());
        Assert.True(layout.ScrollWidth <= layout.Window, $"{where}: {layout.ScrollWidth} px wide in a {layout.Window} px window");
        // The window less any scroll bar.
        var column = Math.Min(layout.Viewport, layout.Measure);
        Assert.True(Math.Abs(layout.ColumnWidth - column) <= 1, $"{where}: the reading column is {layout.ColumnWidth:0} px wide, not {column:0}");
        Assert.True(Math.Abs(layout.ColumnLeft - (layout.Viewport - column) / 2) <= 1, $"{where}: the reading column starts at {layout.ColumnLeft:0} px, not centred");
        Assert.True(layout.TitleTop >= 0 && layout.TitleBottom <= layout.Screen, $"{where}: the title is at {layout.TitleTop:0}–{layout.TitleBottom:0} px, outside the first {layout.Screen:0} px");
        // The two themes' page colours (--bg in site.css).
        Assert.Equal(theme == "dark" ? "rgb(18, 21, 23)" : "rgb(255, 255, 255)", layout.Background);
    }
}
