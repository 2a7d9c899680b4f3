using IbmInfo.Browser.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>The reader's controls with JavaScript off, by keyboard alone, and their size under a finger.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReaderControlsTests(BrowserSite site)
{
    private const string Article = "/articles/treatment-evidence";

    [Fact]
    public async Task Without_javascript_the_audience_switch_changes_the_article()
    {
        var page = await site.ReusedPageAsync(javaScript: false);
        await page.GotoAsync(Article);
        await page.GetByRole(AriaRole.Button, new() { Name = "Healthcare professional" }).ClickAsync();

        Assert.EndsWith(Article + "?audience=clinician", page.Url);
        // Remembered: the article's plain address now opens the clinicians' text too.
        await page.GotoAsync(Article);
        Assert.Equal("true", await page.GetByRole(AriaRole.Button, new() { Name = "Healthcare professional" }).GetAttributeAsync("aria-pressed"));
        Assert.Equal(0, await page.Locator(".article-body .audience-patient").CountAsync());
        Assert.True(await page.Locator(".article-body .audience-clinician").CountAsync() > 0);
    }

    [Fact]
    public async Task Without_javascript_the_search_box_on_every_page_finds_articles()
    {
        var page = await site.ReusedPageAsync(javaScript: false);
        await page.GotoAsync("/about");
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search IbmInfo" });
        await box.FillAsync("swallowing");
        // Start waiting before the key press, so a fast navigation cannot be missed.
        await Task.WhenAll(page.WaitForURLAsync("**/search?q=swallowing"), box.PressAsync("Enter"));

        Assert.Contains("/search?q=swallowing", page.Url);
        Assert.Matches(@"\d+ results? for", await page.Locator(".search-count").InnerTextAsync());
        Assert.True(await page.Locator(".search-results mark").CountAsync() > 0);
    }

    [Fact]
    public async Task Without_javascript_the_question_form_shows_errors_then_sends()
    {
        var page = await site.ReusedPageAsync(javaScript: false);
        await page.GotoAsync(Article);
        await page.GetByLabel("Your name (optional)").FillAsync("Sam");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send question" }).ClickAsync();

        Assert.Contains("Enter your question", await page.Locator(".field-error").First.InnerTextAsync());
        Assert.Equal("Sam", await page.GetByLabel("Your name (optional)").InputValueAsync());

        await page.GetByLabel("Your question").FillAsync("Does swimming help with IBM? (no-JS test)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send question" }).ClickAsync();

        Assert.Matches(@"/questions/sent\?version=\d+$", page.Url);
        Assert.Contains("your question has been sent", await page.Locator("h1").InnerTextAsync());
        await AssertStoredAsync("Does swimming help with IBM? (no-JS test)");
    }

    [Fact]
    public async Task By_keyboard_alone_a_reader_reaches_and_sends_the_question_form()
    {
        var page = await site.ReusedPageAsync(width: 375, height: 800);
        await page.GotoAsync(Article);
        for (var presses = 0; presses < 300 && await ActiveIdAsync(page) != "question-text"; presses++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("question-text", await ActiveIdAsync(page));

        await page.Keyboard.TypeAsync("Is it safe to have a flu jab? (keyboard test)");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("question-name", await ActiveIdAsync(page));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Send question", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await Task.WhenAll(page.WaitForURLAsync("**/questions/sent*"), page.Keyboard.PressAsync("Enter"));

        Assert.Contains("your question has been sent", await page.Locator("h1").InnerTextAsync());
        await AssertStoredAsync("Is it safe to have a flu jab? (keyboard test)");
    }

    [Fact]
    public async Task By_keyboard_alone_the_feedback_buttons_work_with_space()
    {
        var page = await site.ReusedPageAsync();
        await page.GotoAsync(Article);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes" }).FocusAsync();
        await Task.WhenAll(page.WaitForURLAsync("**feedback=thanks*"), page.Keyboard.PressAsync("Space"));
        Assert.Contains("Thank you", await page.Locator("#page-feedback").InnerTextAsync());
    }

    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Main_controls_are_at_least_44_px_tap_targets(int width)
    {
        var page = await site.ReusedPageAsync(width: width);
        await page.GotoAsync(Article);
        string[] selectors =
        [
            ".search-form input", ".search-form button", ".site-nav a", ".breadcrumbs a",
            ".audience-switch button", ".toc a", ".section-link", "#question-text", "#question-name",
            ".follow-up button", ".page-feedback button", ".footer-links a", ".review-links a",
        ];
        var small = new List<string>();
        foreach (var selector in selectors)
        {
            var boxes = await page.Locator(selector).EvaluateAllAsync<double[][]>(
                "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })");
            Assert.NotEmpty(boxes);
            small.AddRange(boxes.Where(b => b[1] < 44 || b[0] < 44).Select(b => $"{selector}: {b[0]:0}×{b[1]:0}"));
        }
        Assert.True(small.Count == 0, string.Join("\n", small));
    }

    [Fact]
    public async Task Keyboard_focus_is_visible()
    {
        var page = await site.ReusedPageAsync();
        await page.GotoAsync(Article);
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        Assert.Equal("solid", outline);
    }

    private static Task<string> ActiveIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

    private Task AssertStoredAsync(string question) =>
        site.App.WithDbAsync(async db =>
        {
            var stored = await db.Questions.Include(q => q.Article).SingleAsync(q => q.Question == question);
            Assert.Equal("treatment-evidence", stored.Article.Slug);
            // The version the reader was shown: with none approved, the newest.
            Assert.Equal(await db.Versions.Where(v => v.Article.Slug == "treatment-evidence").MaxAsync(v => v.Number), stored.VersionNumber);
        });
}
