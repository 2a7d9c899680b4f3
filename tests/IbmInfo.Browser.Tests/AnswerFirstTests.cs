using IbmInfo.Browser.Tests.Infrastructure;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>
/// On a 375 px phone: the key points above the fold, the patient text for a first-time visitor with the switch to the
/// professional text, and the "Get help now" box — over a content tree of their own (an article with key points and
/// urgent help, and the help page), served by a second app on Kestrel and seen in the shared Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AnswerFirstTests(BrowserSite site, AnswerFirstTests.SwallowingSite swallowing) : IClassFixture<AnswerFirstTests.SwallowingSite>
{
    private const int Width = 375, Height = 667;
    private const string Article = "/articles/swallowing-problems";

    /// <summary>The second app, started once for the tests of this class.</summary>
    public sealed class SwallowingSite : IDisposable
    {
        private readonly ContentTree _content = new();
        private readonly IbmInfoFactory _app;

        public string BaseUrl { get; }

        public SwallowingSite()
        {
            _content.Write("articles/swallowing-problems/1.md", """
                ---
                title: Swallowing problems in IBM
                summary: Why swallowing can become difficult and what helps.
                category: living-with-ibm
                date: 2026-11-01
                change: First version.
                author: author@example.org
                urgent_help: true
                key_points:
                  patient:
                    - Many people with IBM find swallowing harder over time [@cochrane-2015].
                    - A speech and language therapist can check your swallowing and suggest safer ways to eat.
                    - Tell your doctor if food sticks or you cough when you eat or drink.
                  clinician:
                    - Dysphagia is common in IBM and may be an early feature [@cochrane-2015].
                    - Refer to speech and language therapy for assessment.
                    - Ask about swallowing at every review.
                ---
                ## Why it happens

                ::: patient
                The muscles you use to swallow can become weak.
                :::

                ::: clinician
                Cricopharyngeal dysfunction contributes to dysphagia.
                :::

                ## What helps

                A speech and language therapist can help [@cochrane-2015].
                """);
            _content.WritePage("get-help-now", 1, """
                ## Call 999 now {#emergency}

                Call 999 if someone is choking and cannot cough it clear, or is struggling to breathe.

                ## Get help today {#urgent}

                Call your GP or NHS 111 today if you have a cough with a high temperature, or feel unwell after food went down the wrong way.
                """, title: "Get help now");
            _app = new IbmInfoFactory(_content.Root);
            _app.UseKestrel(0);
            _app.StartServer();
            var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            BaseUrl = addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }

        public void Dispose()
        {
            _app.Dispose();
            _content.Dispose();
        }
    }

    private async Task<IPage> PhoneAsync(ColorScheme scheme = ColorScheme.Light, bool javaScript = false)
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = swallowing.BaseUrl,
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            ColorScheme = scheme,
            JavaScriptEnabled = javaScript,
        });
        await context.RouteAsync(url => !url.StartsWith(swallowing.BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task The_key_points_are_above_the_fold_on_a_phone()
    {
        var page = await PhoneAsync();
        await page.GotoAsync(Article);
        var heading = await page.Locator("#key-points-heading").BoundingBoxAsync();
        var firstPoint = await page.Locator(".key-points li").First.BoundingBoxAsync();
        Assert.NotNull(heading);
        var layout = await page.EvaluateAsync<string>("""
            () => ['.site-header', '.breadcrumbs', 'h1', '.review-line', '.key-points-box', '.audience-switch']
                .map(s => { const r = document.querySelector(s)?.getBoundingClientRect(); return r ? `${s} ${Math.round(r.top)}–${Math.round(r.bottom)}` : `${s} none`; }).join('; ')
            """);
        Assert.True(firstPoint!.Y + firstPoint.Height <= Height, $"the first key point ends at {firstPoint.Y + firstPoint.Height} px, below the {Height} px screen: {layout}");
        Assert.Contains("find swallowing harder", await page.Locator(".key-points li").First.InnerTextAsync());
        // Above it only the title and the one-line review status.
        var line = await page.Locator(".article-header .review-line").InnerTextAsync();
        Assert.Contains("Pending review", line);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_first_time_visitor_reads_the_patient_text_and_one_tap_switches_to_the_professional_text()
    {
        var page = await PhoneAsync(javaScript: false);
        await page.GotoAsync(Article);
        Assert.True(await page.Locator(".article-body .audience-patient").CountAsync() > 0);
        Assert.Equal(0, await page.Locator(".article-body .audience-clinician").CountAsync());
        Assert.Equal("true", await page.GetByRole(AriaRole.Button, new() { Name = "Patient or carer" }).GetAttributeAsync("aria-pressed"));

        var professional = page.GetByRole(AriaRole.Button, new() { Name = "Healthcare professional" });
        var size = await professional.BoundingBoxAsync();
        Assert.True(size!.Height >= 44, $"the switch is {size.Height} px tall");
        await professional.ClickAsync();

        Assert.EndsWith(Article + "?audience=clinician", page.Url);
        Assert.Contains("Dysphagia is common in IBM", await page.Locator(".key-points-box").InnerTextAsync());
        await page.GotoAsync(Article);
        Assert.Equal("true", await page.GetByRole(AriaRole.Button, new() { Name = "Healthcare professional" }).GetAttributeAsync("aria-pressed"));
        Assert.Equal(0, await page.Locator(".article-body .audience-patient").CountAsync());
        await page.Context.CloseAsync();
    }

    // axe runs in the page and waits on timers, which never fire where scripts are off: so this page, unlike the
    // reading tests', has JavaScript on (with it off, the run waited for ever).
    [Fact]
    public async Task The_get_help_now_box_fits_the_phone_tells_its_tiers_apart_without_colour_and_passes_axe()
    {
        var page = await PhoneAsync(javaScript: true);
        await page.GotoAsync(Article);
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            // The same page, its colours switched as the reader's system setting would switch them.
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            var box = page.Locator(".get-help-now");
            Assert.True(await box.IsVisibleAsync());
            Assert.Equal(["Emergency", "Urgent"], await page.Locator(".help-tier-label").AllTextContentsAsync());
            var styles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.help-tier')].map(t => getComputedStyle(t).borderTopStyle)");
            Assert.Equal(["solid", "dashed"], styles);
            Assert.Contains("Call 999", await page.Locator(".help-tier-emergency").InnerTextAsync());
            Assert.Contains("pending review", await page.Locator(".help-status").InnerTextAsync());

            var fits = await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth");
            Assert.True(fits, "the page scrolls sideways at 375 px");
            var violations = await Axe.RunAsync(page, Axe.Wcag22AA);
            Assert.True(violations.Length == 0, $"{Article} in the {scheme} theme:\n" + Axe.Describe(violations));
        }
        await page.Context.CloseAsync();
    }
}
