using System.Net;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Hostile addresses, queries and cookies on every public route, sent over real HTTP: each gets a 4xx or a calm page,
/// never a 5xx or a stack trace, and nothing from the request is rendered as markup. The inputs are the data below.
/// </summary>
public sealed class HostileRequestTests(HostileSite site) : IClassFixture<HostileSite>
{
    /// <summary>Every route that takes a slug or key from the address; {0} is the hostile segment.</summary>
    private static readonly string[] SlugRoutes =
    [
        "/articles/{0}",
        "/articles/{0}/v/1",
        "/articles/{0}/history",
        "/articles/{0}/diff/1/2",
        "/articles/{0}/diff?a=1&b=2",
        "/articles/{0}/questions",
        "/articles/{0}/questions/sent?version=1",
        "/articles/{0}/feedback",
        "/references/{0}",
        "/{0}",
        "/editor/review/{0}/1",
    ];

    /// <summary>Path segments as they go on the wire (already percent-encoded where a browser would encode them).</summary>
    private static readonly string[] HostileSegments =
    [
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%2e%2e",
        "..%5C..%5Cwindows%5Cwin.ini",
        "%252e%252e%252fetc%252fpasswd",
        "%C0%AE%C0%AE%C0%AF",
        "treatment-evidence%00.md",
        "%00",
        "a%00b",
        "%FF%FE%C3",
        "%3Cibm-xss%3E",
        "%22%3E%3Cibm-xss%20onclick%3Dalert(1)%3E",
        "TREATMENT-EVIDENCE",
        "treatment-evidence.",
        "%20",
        new string('a', 3000),
    ];

    public static TheoryData<string> HostileSlugUrls =>
        [.. SlugRoutes.SelectMany(route => HostileSegments.Select(segment => string.Format(route, segment)))];

    [Theory]
    [MemberData(nameof(HostileSlugUrls))]
    public async Task Hostile_slugs_and_keys_get_a_calm_answer(string url)
    {
        using var response = await site.Raw().SendAsync(site.Request(HttpMethod.Get, url));

        await HostileSite.AssertCalmAsync(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:x:0:0", body);
    }

    [Theory]
    [InlineData("/articles/treatment-evidence/v/99999999999999999999")]
    [InlineData("/articles/treatment-evidence/v/2147483648")]
    [InlineData("/articles/treatment-evidence/v/2147483647")]
    [InlineData("/articles/treatment-evidence/v/-1")]
    [InlineData("/articles/treatment-evidence/v/0")]
    [InlineData("/articles/treatment-evidence/v/1e3")]
    [InlineData("/articles/treatment-evidence/v/1.5")]
    [InlineData("/articles/treatment-evidence/v/0x10")]
    [InlineData("/articles/treatment-evidence/v/%2B1")]
    [InlineData("/articles/treatment-evidence/v/%201")]
    [InlineData("/articles/treatment-evidence/v/")]
    [InlineData("/articles/treatment-evidence/diff/1/99999999999")]
    [InlineData("/articles/treatment-evidence/diff/-1/1")]
    [InlineData("/articles/treatment-evidence/diff/0/0")]
    [InlineData("/articles/treatment-evidence/diff/2147483647/-2147483648")]
    [InlineData("/articles/treatment-evidence/diff?a=abc&b=1")]
    [InlineData("/articles/treatment-evidence/diff?a=99999999999&b=1")]
    [InlineData("/articles/treatment-evidence/diff?a=1")]
    [InlineData("/articles/treatment-evidence/diff?a=1&a=2&b=1")]
    [InlineData("/articles/treatment-evidence/questions?version=-1")]
    [InlineData("/articles/treatment-evidence/questions?version=99999999999")]
    [InlineData("/articles/treatment-evidence/questions?version=abc")]
    [InlineData("/articles/treatment-evidence/questions/sent?version=2147483647")]
    [InlineData("/articles/treatment-evidence/questions/sent?version=%FF")]
    [InlineData("/articles/treatment-evidence/feedback?version=0")]
    [InlineData("/editor/review/treatment-evidence/99999999999")]
    [InlineData("/editor/review/treatment-evidence/-1")]
    [InlineData("/error/99999999999")]
    [InlineData("/error/-1")]
    [InlineData("/error/200")]
    [InlineData("/error/abc")]
    public async Task Huge_negative_and_malformed_version_numbers_get_a_calm_answer(string url)
    {
        using var response = await site.Raw().SendAsync(site.Request(HttpMethod.Get, url));

        await HostileSite.AssertCalmAsync(response);
    }

    public static TheoryData<string> HostileQueries =>
    [
        "/search?q=" + new string('a', 1000),
        "/search?q=" + string.Concat(Enumerable.Repeat("steroids%20", 400)),
        "/search?q=" + new string('q', 10_000),
        "/search?q=" + new string('q', 100_000),
        "/search?" + string.Join("&", Enumerable.Range(0, 1000).Select(i => $"k{i}=v")),
        "/search?q=%FF%FE%C3",
        "/search?q=%C0%AE%00",
        "/search?q=%00",
        "/search?q=%22",
        "/search?q=%22%22%22",
        "/search?q=*",
        "/search?q=NEAR(steroids%20exercise)",
        "/search?q=title:steroids",
        "/search?q=steroids%20AND%20OR%20NOT",
        "/search?q=-steroids",
        "/search?q=^",
        "/search?q=%27;DROP%20TABLE%20Articles;--",
        "/search?q=%3Cibm-xss%20onclick%3Dalert(1)%3E",
        "/search?q=%22%3E%3Cibm-xss%3E",
        "/search?q=a&q=b",
        "/search?q[]=a",
        "/search?%FF=%FF",
        "/references?key=%FF",
        "/alert-card?x=%FF%FE",
        "/alert-card.pdf?%00",
        "/feed.atom?%FF=%FF",
        "/sitemap.xml?q=%3Cibm-xss%3E",
        "/healthz?%FF",
        "/account/sign-in?returnUrl=%FF%FE",
        "/account/sign-in?returnUrl=javascript:alert(1)",
        "/account/sign-in?returnUrl=%22%3E%3Cibm-xss%3E",
        "/account/sign-in?returnUrl=" + new string('r', 5000),
        "/articles/treatment-evidence/history?%FF",
        "/?" + new string('x', 7000),
    ];

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Very_long_non_utf8_and_hostile_query_strings_get_a_calm_answer(string url)
    {
        using var response = await site.Raw().SendAsync(site.Request(HttpMethod.Get, url));

        await HostileSite.AssertCalmAsync(response);
    }

    /// <summary>Audience values from a link; only patient, clinician and all are ever kept in the cookie.</summary>
    public static TheoryData<string, string> HostileAudiences =>
        Every(
            ["/", "/articles/treatment-evidence", "/articles/treatment-evidence/v/1", "/search?q=steroids&x=1", "/alert-card", "/articles/treatment-evidence/history", "/articles/treatment-evidence/diff/1/1"],
            ["%3Cibm-xss%3E", "%22%3E%3Cibm-xss%3E", "PATIENT", "2", "-1", "all%00", "patient%0D%0ASet-Cookie:%20evil=1", "%FF%FE", new string('x', 5000), "patient&audience=clinician"]);

    [Theory]
    [MemberData(nameof(HostileAudiences))]
    public async Task Unknown_and_hostile_audience_values_get_a_calm_answer_and_never_reach_the_cookie(string page, string audience)
    {
        var url = page + (page.Contains('?') ? "&" : "?") + "audience=" + audience;
        using var response = await site.Raw().SendAsync(site.Request(HttpMethod.Get, url));

        await HostileSite.AssertCalmAsync(response);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith("evil", StringComparison.Ordinal));
        Assert.All(cookies.Where(c => c.StartsWith("audience=", StringComparison.Ordinal)),
            c => Assert.Matches("^audience=(patient|clinician|all);", c));
    }

    public static TheoryData<string, string> MalformedCookies =>
        Every(
            ["/", "/articles/treatment-evidence", "/search?q=steroids", "/references", "/alert-card", "/healthz", "/editor", "/editor/inbox", "/account/sign-in"],
            [
                "audience=%3Cibm-xss%3E",
                "audience=%FF%FE",
                "audience=" + new string('a', 4000),
                "audience=2; audience=clinician",
                ".AspNetCore.Antiforgery.abc=garbage!!",
                ".AspNetCore.Antiforgery.abc=CfDJ8" + new string('A', 200),
                "ibminfo.signin=garbage",
                "ibminfo.signin=CfDJ8" + new string('B', 3000),
                "ibminfo.signin=; .AspNetCore.Antiforgery.x=;;;=;",
                "=====",
                "ibminfo.signin=" + new string('C', 40_000),
            ]);

    [Theory]
    [MemberData(nameof(MalformedCookies))]
    public async Task Malformed_cookies_get_a_calm_answer_and_never_sign_anyone_in(string url, string cookie)
    {
        using var request = site.Request(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        using var response = await site.Raw().SendAsync(request);

        await HostileSite.AssertCalmAsync(response);
        if (url.StartsWith("/editor", StringComparison.Ordinal))
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every page with every value.</summary>
    private static TheoryData<string, string> Every(string[] pages, string[] values)
    {
        var data = new TheoryData<string, string>();
        foreach (var page in pages)
            foreach (var value in values) data.Add(page, value);
        return data;
    }
}
