using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// The app on real Kestrel at 127.0.0.1 over a copy of the real content, for hostile requests: Kestrel's own parsing
/// of paths, queries, headers and bodies is part of what is tested. Shared by a test class; each test uses its own
/// article or checks only what it changed. Rate limits are raised so that every refusal seen is for the input itself.
/// </summary>
public sealed partial class HostileSite : IDisposable
{
    /// <summary>An article of its own for the tests that store questions and review notes.</summary>
    public const string Slug = "hostile-input";

    /// <summary>An article of its own for the review-note test: sending it back leaves <see cref="Slug"/> public for the others.</summary>
    public const string NoteSlug = "hostile-note";

    /// <summary>A made-up element: if it ever appears in a parsed page, injected markup was rendered.</summary>
    public const string Marker = "ibm-xss";

    public ContentTree Content { get; } = ContentTree.CopyOfRealContent();
    public IbmInfoFactory App { get; }
    public Uri BaseUrl { get; }

    public HostileSite()
    {
        Content.WriteArticle(Slug, 1, "## Test\n\nA page for hostile input [@cochrane-2015].", title: "Hostile input", author: "author@example.org");
        Content.WriteArticle(NoteSlug, 1, "## Test\n\nA page for a hostile review note [@cochrane-2015].", title: "Hostile note", author: "author@example.org");
        // The sign-in timing tests compare refusals whose time is mostly a password hash: at the production cost.
        App = new IbmInfoFactory(Content.Root) { PasswordHashIterations = null };
        App.Settings["RateLimits:FormPostsPerMinute"] = "100000";
        App.Settings["RateLimits:SignInPostsPerMinute"] = "100000";
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>A client that sends exactly the cookies a test puts in its headers.</summary>
    public HttpClient Raw() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseUrl };

    /// <summary>A client that keeps cookies like a browser and does not follow redirects.</summary>
    public HttpClient Browser() =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseUrl };

    /// <summary>A request for exactly these path and query bytes: no normalising of dots or escapes on the way out.</summary>
    public HttpRequestMessage Request(HttpMethod method, string pathAndQuery) =>
        new(method, new Uri(BaseUrl.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

    /// <summary>
    /// The response is a 4xx or a calm page: never a 5xx, never a stack trace or exception name, and, when it is a page,
    /// no injected element, no event-handler attribute and no script but the JSON-LD data block. Returns the page.
    /// </summary>
    public static async Task<IDocument?> AssertCalmAsync(HttpResponseMessage response)
    {
        var where = $"{response.RequestMessage!.Method} {Shorten(response.RequestMessage.RequestUri!.PathAndQuery)}";
        Assert.True((int)response.StatusCode < 500, $"{where} answered {(int)response.StatusCode}");
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!type.StartsWith("text/", StringComparison.Ordinal) && !type.Contains("xml") && !type.Contains("json")) return null;

        var body = await response.Content.ReadAsStringAsync();
        Assert.False(body.Contains("Exception", StringComparison.Ordinal), $"{where} shows an exception:\n{Shorten(body)}");
        Assert.False(StackFrame().IsMatch(body), $"{where} shows a stack trace:\n{Shorten(body)}");
        if (type != "text/html") return null;

        var page = await new HtmlParser().ParseDocumentAsync(body);
        AssertNothingInjected(page, where);
        return page;
    }

    public static void AssertNothingInjected(IDocument page, string where)
    {
        Assert.True(page.QuerySelector(Marker) is null, $"{where} rendered an injected <{Marker}> element");
        var handlers = page.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name).ToList();
        Assert.True(handlers.Count == 0, $"{where} has event-handler attributes: {string.Join(", ", handlers)}");
        var scripts = page.QuerySelectorAll("script").Where(s => s.GetAttribute("type") != "application/ld+json").ToList();
        Assert.True(scripts.Count == 0, $"{where} has a script element: {scripts.FirstOrDefault()?.OuterHtml}");
        Assert.Empty(page.QuerySelectorAll("img, iframe, object, embed, base, meta[http-equiv]"));
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"^\s+at [\w.`<>]+\.[\w<>]+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    public void Dispose()
    {
        App.Dispose();
        Content.Dispose();
    }
}
