using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests.Infrastructure;

/// <summary>
/// One app and one Chromium for each browser test collection: the app on Kestrel at 127.0.0.1 (a free port), over a
/// copy of the real content and its own SQLite file; Debian's Chromium driven by Playwright (never a downloaded
/// browser). The tests of one collection run one after another; the collections run side by side.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    private readonly ContentTree _content = ContentTree.CopyOfRealContent();
    private IbmInfoFactory? _app;
    private IPlaywright? _playwright;
    private readonly Dictionary<string, IPage> _reused = [];

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public IbmInfoFactory App => _app!;

    public async Task InitializeAsync()
    {
        _app = new IbmInfoFactory(_content.Root);
        _app.UseKestrel(0);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context (own cookies) with the given viewport, colour scheme and JavaScript setting.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            JavaScriptEnabled = javaScript,
            ReducedMotion = ReducedMotion.Reduce,
        });
        // Nothing but our own server may be reached: a third-party request fails the page.
        await context.RouteAsync(url => !url.StartsWith(BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A page kept open for the whole collection, one for each set of options: a new context costs Chromium a new
    /// renderer process, more than loading a page. Its cookies are cleared and its colour scheme reset, so each test
    /// starts on it as a first-time visitor; the test navigates it and leaves it open. Given an
    /// <paramref name="initScript"/>, every document the page loads runs it first.
    /// </summary>
    public async Task<IPage> ReusedPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light, bool javaScript = true, string? initScript = null)
    {
        var key = $"{width}x{height} {scheme} javascript={javaScript} script={initScript?.GetHashCode()}";
        if (!_reused.TryGetValue(key, out var page))
        {
            page = await NewPageAsync(width, height, scheme, javaScript);
            if (initScript is not null) await page.Context.AddInitScriptAsync(initScript);
            _reused[key] = page;
        }
        await page.Context.ClearCookiesAsync();
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        _app?.Dispose();
        _content.Dispose();
    }
}

/// <summary>The browser tests' usual collection: a test class joins it with <c>[Collection(BrowserCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser";
}

/// <summary>
/// The axe-core and layout checks of every public page, the longest part of the run, in a collection of their own
/// with their own app and Chromium, so that they run beside the other browser tests on a second core.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser-accessibility";
}

/// <summary>The editorial path, which changes what its app serves: a collection, and so an app, of its own.</summary>
[CollectionDefinition(Name)]
public sealed class EditorPathCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser-editor-path";
}

/// <summary>
/// The full-page screenshots, which wait on Chromium more than they use a core: a collection of their own, so that
/// the others run while they wait.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScreenshotCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser-screenshots";
}
