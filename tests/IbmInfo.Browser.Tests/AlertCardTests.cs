using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using IbmInfo.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>Making one's own alert card with JavaScript off: a mistake is shown calmly, then the PDF downloads.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertCardTests(BrowserSite site)
{
    [Fact]
    public async Task Without_javascript_a_reader_corrects_a_mistake_and_downloads_their_card_with_nothing_in_the_address()
    {
        var page = await site.NewPageAsync(width: 375, height: 800, javaScript: false);
        await page.GotoAsync("/alert-card");
        await page.GetByLabel("Your name").FillAsync("Siân Ŵyn");
        await page.GetByLabel("Emergency contact").FillAsync("Gethin 07700 900123");
        await page.GetByLabel("Your specialist’s name").FillAsync("Dr 王");
        await page.GetByRole(AriaRole.Button, new() { Name = "Download my card (PDF)" }).ClickAsync();

        Assert.Contains("cannot be printed on the card", await page.Locator(".caution[role=alert]").InnerTextAsync());
        Assert.Equal("Siân Ŵyn", await page.GetByLabel("Your name").InputValueAsync());
        Assert.Equal("Gethin 07700 900123", await page.GetByLabel("Emergency contact").InputValueAsync());
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help}")));

        await page.GetByLabel("Your specialist’s name").FillAsync("Dr Rhys");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Download my card (PDF)" }).ClickAsync(),
            r => r.Url.EndsWith("/alert-card/personal", StringComparison.Ordinal), new() { Timeout = 60_000 });

        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.StartsWith("attachment", response.Headers["content-disposition"]);
        Assert.Equal("no-store", response.Headers["cache-control"]);
        Assert.DoesNotContain("?", page.Url);
        Assert.DoesNotContain("Rhys", page.Url);
        await page.Context.CloseAsync();
    }
}
