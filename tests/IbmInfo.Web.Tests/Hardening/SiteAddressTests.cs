using System.Net;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Absolute links — sitemap, feed, structured data, "cite this page", the alert card's QR code — never carry the
/// address a request's <c>Host</c> header named: they come from <c>Site:BaseUrl</c>, or without it (outside
/// Development) from the address the server listens on.
/// </summary>
public sealed class SiteAddressTests(HostileSite site) : IClassFixture<HostileSite>
{
    public static TheoryData<string> PagesWithAbsoluteLinks => ["/sitemap.xml", "/feed.atom", "/articles/treatment-evidence", "/alert-card"];

    [Theory]
    [MemberData(nameof(PagesWithAbsoluteLinks))]
    public async Task A_forged_Host_never_reaches_a_link(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = "evil.example";
        using var response = await site.Raw().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", body, StringComparison.OrdinalIgnoreCase);
        if (url != "/alert-card") Assert.Contains(site.BaseUrl.GetLeftPart(UriPartial.Authority) + "/", body); // the QR code is drawn, not written
    }

    [Fact]
    public async Task Site_BaseUrl_is_the_address_of_every_absolute_link()
    {
        using var content = ContentTree.CopyOfRealContent();
        using var app = new IbmInfoFactory(content.Root);
        app.Settings["Site:BaseUrl"] = "https://ibminfo.example/";
        var client = app.CreateClient();

        foreach (var url in new[] { "/sitemap.xml", "/feed.atom", "/articles/treatment-evidence" })
        {
            var body = await client.GetStringAsync(url);
            Assert.Contains("https://ibminfo.example/", body);
            Assert.DoesNotContain("http://localhost", body);
        }
    }

    [Fact]
    public void A_base_url_with_a_path_or_another_scheme_stops_the_site_with_a_message_naming_the_setting()
    {
        using var content = ContentTree.CopyOfRealContent();
        using var app = new IbmInfoFactory(content.Root);
        app.Settings["Site:BaseUrl"] = "ftp://ibminfo.example/site";

        var refused = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Site:BaseUrl", refused.ToString());
    }
}
