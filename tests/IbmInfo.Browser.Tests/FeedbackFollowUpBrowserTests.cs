using IbmInfo.Browser.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>"Was this page useful?" → "No" → "What was missing?" in a real browser with JavaScript off, the second page checked by axe.</summary>
[Collection(AccessibilityCollection.Name)]
public sealed class FeedbackFollowUpBrowserTests(BrowserSite site)
{
    [Fact]
    public async Task Without_javascript_a_no_leads_to_an_accessible_what_was_missing_page_and_the_text_is_stored()
    {
        var page = await site.ReusedPageAsync(javaScript: false);
        await page.GotoAsync("/articles/treatment-evidence");
        await page.Locator(".page-feedback").GetByRole(AriaRole.Button, new() { Name = "No" }).ClickAsync();

        Assert.Contains("/articles/treatment-evidence/feedback/missing?answer=", page.Url);
        // axe runs as a script, so it checks the same page in a second tab with JavaScript on.
        var checkedPage = await site.ReusedPageAsync(initScript: Axe.Source);
        await checkedPage.GotoAsync(page.Url);
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await checkedPage.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            var violations = await Axe.RunAsync(checkedPage, Axe.Wcag22AA);
            Assert.True(violations.Length == 0, $"{checkedPage.Url} in the {scheme} theme:\n" + Axe.Describe(violations));
        }
        const string missing = "Nothing about how long a trial of steroids should last (browser test).";
        await page.GetByLabel("What was missing (optional)").FillAsync(missing);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        Assert.Contains("feedback=thanks", page.Url);
        Assert.Contains("Thank you", await page.Locator("#page-feedback").InnerTextAsync());
        await site.App.WithDbAsync(async db => Assert.False((await db.Feedback.SingleAsync(f => f.Missing == missing)).Useful));
    }
}
