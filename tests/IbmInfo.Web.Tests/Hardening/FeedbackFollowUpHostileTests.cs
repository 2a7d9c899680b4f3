using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>The "what was missing?" step after a "No", on real Kestrel: the reader forms' 64 KB cap holds there too.</summary>
public sealed class FeedbackFollowUpHostileTests(HostileSite site) : IClassFixture<HostileSite>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_follow_up_gets_413_and_a_calm_page_and_nothing_is_stored(bool chunked)
    {
        using var client = site.Browser();
        var (_, article) = await client.GetPageAsync($"/articles/{HostileSite.Slug}");
        using var no = await client.PostAsync($"/articles/{HostileSite.Slug}/feedback", Forms.Fields(article, ".page-feedback form", ("useful", "no")));
        Assert.Equal(HttpStatusCode.Redirect, no.StatusCode);
        var followUpUrl = no.Headers.Location!.OriginalString;
        var (status, followUp) = await client.GetPageAsync(followUpUrl);
        Assert.Equal(HttpStatusCode.OK, status);

        using var request = new HttpRequestMessage(HttpMethod.Post, followUpUrl)
        {
            Content = Forms.Fields(followUp, "main form.stacked-form", ("missing", new string('m', chunked ? 128 * 1024 : 1024 * 1024))),
        };
        if (chunked)
        {
            var body = await request.Content.ReadAsStreamAsync();
            request.Content = new StreamContent(body) { Headers = { ContentType = request.Content.Headers.ContentType } };
            request.Headers.TransferEncodingChunked = true;
        }
        else
        {
            request.Headers.ExpectContinue = true;
        }
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal("That was too much to send", page!.Text("h1"));
        await site.App.WithDbAsync(async db => Assert.False(await db.Feedback.AnyAsync(f => f.Article.Slug == HostileSite.Slug && f.Missing != null)));
    }
}
