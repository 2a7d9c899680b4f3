using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using IbmInfo.Web.Tests.Pages;

namespace IbmInfo.Web.Tests.Hosting;

public sealed class StaticAssetsTests : IClassFixture<SitePagesTests.RealContentApp>
{
    private readonly HttpClient _client;

    public StaticAssetsTests(SitePagesTests.RealContentApp app) => _client = app.CreateClient();

    [Theory]
    [InlineData(null)]
    [InlineData("gzip, deflate, br")]
    public async Task The_stylesheet_is_served_whatever_encoding_the_browser_accepts(string? acceptEncoding)
    {
        var (_, home) = await _client.GetPageAsync("/");
        var href = home.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
    }
}
