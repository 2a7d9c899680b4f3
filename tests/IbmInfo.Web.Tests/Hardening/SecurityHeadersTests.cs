using System.Net;
using System.Net.Http.Headers;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>The security headers reach the browser on every kind of response, not only on pages.</summary>
public sealed class SecurityHeadersTests(SecurityHeadersTests.Site site) : SharedAppTest<SecurityHeadersTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].", title: "Steroids in IBM");
            Content.WritePage("about", 1, "## About\n\nWho we are.", title: "About IbmInfo");
            Content.WritePage("alert-card", 1, "## Front\n\n- Do not give steroids.\n\n## Back\n\n- Call my team.", title: "Alert card");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/articles/steroids")]
    [InlineData("/articles/steroids/v/1")]
    [InlineData("/about")]
    [InlineData("/search?q=steroids")]
    [InlineData("/articles/no-such-article")]
    [InlineData("/no/such/address")]
    [InlineData("/error/500")]
    [InlineData("/css/site.css")]
    [InlineData("/healthz")]
    [InlineData("/feed.atom")]
    [InlineData("/sitemap.xml")]
    [InlineData("/alert-card.pdf")]
    [InlineData("/editor")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var response = await App.CreateBrowser().GetAsync(url);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_304_not_modified_and_a_refused_post_carry_them_too()
    {
        var client = App.CreateBrowser();
        using var first = await client.GetAsync("/css/site.css");
        var etag = first.Headers.ETag ?? throw new Xunit.Sdk.XunitException("the stylesheet has no ETag");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/css/site.css");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        AssertSecurityHeaders(notModified);

        using var forged = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.org" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        AssertSecurityHeaders(forged);
    }

    [Fact]
    public async Task The_error_page_for_a_failure_carries_them_and_shows_no_technical_detail()
    {
        var client = App.CreateBrowser();
        // A damaged database: the page's query fails and the exception handler, which clears headers, takes over.
        await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE Versions RENAME TO VersionsGone"));

        using var response = await client.GetAsync("/articles/steroids");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertSecurityHeaders(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("VersionsGone", body);
    }

    [Fact]
    public async Task The_policy_allows_no_inline_code_no_other_site_and_no_framing()
    {
        using var response = await App.CreateBrowser().GetAsync("/");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.DoesNotContain("unsafe", policy);
        Assert.DoesNotContain("http", policy);
        Assert.DoesNotContain("*", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("form-action 'self'", policy);
    }

    [Fact]
    public async Task Https_responses_tell_browsers_to_stay_on_https_for_a_year()
    {
        var https = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://ibminfo.example/"), AllowAutoRedirect = false });
        using var secure = await https.GetAsync("/");
        Assert.Equal("max-age=31536000", string.Join(",", secure.Headers.GetValues("Strict-Transport-Security")));

        // Over plain HTTP the header means nothing and is left out, as the standard says.
        using var plain = await App.CreateBrowser().GetAsync("/");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;

        var where = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} ({(int)response.StatusCode})";
        Assert.True(Header("Content-Security-Policy")?.Contains("default-src 'none'") == true, $"no Content-Security-Policy on {where}");
        Assert.True(Header("X-Content-Type-Options") == "nosniff", $"no X-Content-Type-Options on {where}");
        Assert.True(Header("Referrer-Policy") == "strict-origin-when-cross-origin", $"no Referrer-Policy on {where}");
        Assert.True(Header("Permissions-Policy")?.Contains("camera=()") == true, $"no Permissions-Policy on {where}");
        Assert.True(Header("Cross-Origin-Opener-Policy") == "same-origin", $"no Cross-Origin-Opener-Policy on {where}");
        Assert.True(Header("X-Frame-Options") == "DENY", $"no X-Frame-Options on {where}");
    }
}
