using IbmInfo.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>
/// The strict Content-Security-Policy breaks no public page: Chromium reports no violation (no blocked style, image,
/// script or form target) and no header it cannot understand, and the site's stylesheet is applied.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserSite site)
{
    [Theory]
    [MemberData(nameof(PublicPages.Data), MemberType = typeof(PublicPages))]
    public async Task Page_runs_under_the_policy_without_a_single_violation(string url)
    {
        var page = await site.ReusedPageAsync(initScript: ViolationListener);
        var console = new List<string>();
        void OnConsole(object? sender, IConsoleMessage message)
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Permissions-Policy", StringComparison.OrdinalIgnoreCase))
                console.Add($"{message.Type}: {message.Text}");
        }
        page.Console += OnConsole;
        IResponse? response;
        string[] violations;
        bool styled;
        try
        {
            response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            violations = await page.EvaluateAsync<string[]>("() => window.__violations");
            styled = await page.EvaluateAsync<bool>("() => [...document.styleSheets].some(s => s.href && s.href.includes('/css/site') && s.cssRules.length > 0)");
        }
        finally
        {
            page.Console -= OnConsole;
        }

        Assert.Contains("default-src 'none'", await response!.HeaderValueAsync("content-security-policy") ?? "");
        Assert.True(violations.Length == 0 && console.Count == 0, $"{url}:\n" + string.Join("\n", violations.Concat(console)));
        Assert.True(styled, $"{url}: the site's stylesheet was not applied");
    }

    // Run by the browser itself before any of each page loads, so the policy does not apply to it.
    private const string ViolationListener = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
        """;
}
