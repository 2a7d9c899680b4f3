using IbmInfo.Browser.Tests.Infrastructure;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>Full-page screenshots of the main pages at phone and desktop widths, into tests/screenshots/ (git-ignored).</summary>
[Collection(BrowserCollection.Name)]
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
        var page = await site.NewPageAsync(width: width, height: 800, scheme: theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        foreach (var (name, url) in Pages)
        {
            await page.GotoAsync(url);
            var path = Path.Combine(folder, $"{name}-{width}-{theme}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 1000);
            // The first screenful too: what a reader sees on arrival, small enough to look at closely.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.ChangeExtension(path, null) + "-top.png" });
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
        await page.Context.CloseAsync();
    }
}
