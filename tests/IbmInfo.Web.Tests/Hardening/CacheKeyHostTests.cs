using System.Net;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Behind a balancer the same page is asked for under each node's own address (<c>node-a:5001</c>, <c>node-a:5002</c>):
/// one cached copy serves them all, and nothing a client puts in <c>Host</c> reaches a page.
/// </summary>
public sealed class CacheKeyHostTests(CacheKeyHostTests.Site site) : SharedAppTest<CacheKeyHostTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("falls", 1, "## Falls\n\nA walking aid helps [@cochrane-2015].", title: "Preventing falls");
            Content.WritePage("about", 1, "## About\n\nWho we are.", title: "About IbmInfo");
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        return await App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(request);
    }

    [Fact]
    public async Task A_page_cached_through_one_port_is_served_from_the_cache_through_another()
    {
        using var first = await GetAsync("/articles/falls", "node-a:5001");
        using var second = await GetAsync("/articles/falls", "node-a:5002");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"), "the page was rendered again for another port");
        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/articles/falls")]
    [InlineData("/articles/falls/v/1")]
    [InlineData("/about")]
    [InlineData("/search?q=falls")]
    [InlineData("/sitemap.xml")]
    [InlineData("/feed.atom")]
    public async Task A_page_rendered_afresh_for_another_host_is_byte_for_byte_the_same(string url)
    {
        using var first = await GetAsync(url, "node-a:5001");
        var firstBody = await first.Content.ReadAsStringAsync();
        await App.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PageCaching.Tag, default);
        using var second = await GetAsync(url, "evil.example:8443");
        var secondBody = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(second.Headers.Contains("Age"), "not rendered afresh");
        Assert.Equal(firstBody, secondBody);
        Assert.DoesNotContain("node-a", firstBody);
        Assert.DoesNotContain("evil.example", secondBody);
    }
}
