using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Hosting;

/// <summary>
/// Reader pages come from memory after their first request, carry a strong ETag and a Cache-Control fit for shared
/// caches, and change the moment a content sync or a review step changes what they show.
/// </summary>
public sealed class PageCachingTests(PageCachingTests.Site site) : SharedAppTest<PageCachingTests.Site>(site)
{
    private const string Article = "/articles/falls";

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("falls", 1, """
                ## Falls

                Weak thighs make falls more likely.

                ::: patient
                A note for patients.
                :::

                ::: clinician
                A note for clinicians.
                :::
                """, title: "Preventing falls");
        }
    }

    private HttpClient Client(string? acceptEncoding = null, string? audienceCookie = null)
    {
        var client = App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        if (acceptEncoding is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (audienceCookie is not null) client.DefaultRequestHeaders.Add("Cookie", $"audience={audienceCookie}");
        return client;
    }

    [Fact]
    public async Task The_second_request_is_served_from_memory_with_the_same_strong_etag()
    {
        using var client = Client();
        using var first = await client.GetAsync(Article);
        using var second = await client.GetAsync(Article + "?utm_source=letter&x=" + new string('a', 200));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(first.Headers.Contains("Age"));
        Assert.True(second.Headers.Contains("Age"), "made-up query values must not bypass the cache");
        Assert.NotNull(first.Headers.ETag);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_address_in_other_letters_is_not_answered_with_the_cached_page()
    {
        using var client = Client();
        using var cached = await client.GetAsync(Article);
        using var shouted = await client.GetAsync(Article.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shouted.StatusCode); // the slug is matched exactly, cached or not
    }

    [Fact]
    public async Task Search_results_are_kept_per_query_and_page_and_other_query_values_do_not_count()
    {
        using var client = Client();
        using var first = await client.GetAsync("/search?q=falls");
        using var again = await client.GetAsync("/search?q=falls&utm_source=letter");
        using var other = await client.GetAsync("/search?q=thighs");
        using var secondPage = await client.GetAsync("/search?q=falls&page=2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(again.Headers.Contains("Age"));
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.False(other.Headers.Contains("Age"));
        Assert.False(secondPage.Headers.Contains("Age"));
        Assert.Contains("Preventing falls", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_client_that_has_the_page_gets_304_without_a_body()
    {
        using var client = Client();
        using var first = await client.GetAsync(Article);

        foreach (var _ in new[] { "rendered", "from cache" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Article);
            request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            using var revalidated = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Equal(first.Headers.ETag, revalidated.Headers.ETag);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, Article);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-this-one\""));
        using var full = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    [InlineData("br;q=0, gzip;q=0", null)]
    public async Task Pages_are_compressed_as_the_client_asks_each_coding_with_its_own_etag(string accept, string? expected)
    {
        using var plainClient = Client();
        using var plain = await plainClient.GetAsync(Article);
        var html = await plain.Content.ReadAsStringAsync();

        using var client = Client(accept);
        foreach (var _ in new[] { "rendered", "from cache" })
        {
            using var response = await client.GetAsync(Article);
            Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(html, Decode(body, expected));
            if (expected is not null) Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
        }
    }

    private static string Decode(byte[] body, string? encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoded = encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => input,
        };
        using var reader = new StreamReader(decoded, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task The_cookie_less_page_may_be_shared_and_a_reader_s_chosen_version_is_private_to_them()
    {
        using var anonymous = Client();
        using var shared = await anonymous.GetAsync(Article);
        Assert.True(shared.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), shared.Headers.CacheControl.MaxAge);
        Assert.Contains("Cookie", shared.Headers.Vary);

        using var clinician = Client(audienceCookie: "clinician");
        foreach (var _ in new[] { "rendered", "from cache" })
        {
            using var mine = await clinician.GetAsync(Article);
            Assert.True(mine.Headers.CacheControl!.Private);
            var html = await mine.Content.ReadAsStringAsync();
            Assert.Contains("A note for clinicians.", html);
            Assert.DoesNotContain("A note for patients.", html);
        }

        foreach (var _ in new[] { "rendered", "from cache" })
        {
            using var patientLink = await anonymous.GetAsync(Article + "?audience=patient");
            Assert.True(patientLink.Headers.CacheControl!.Private);
            Assert.Contains(patientLink.Headers.GetValues("Set-Cookie"), c => c.StartsWith("audience=patient"));
            Assert.Contains("A note for patients.", await patientLink.Content.ReadAsStringAsync());
        }
        // The copy the link's request stored carries no cookie of its own to hand out to others.
        using var patient = Client(audienceCookie: "patient");
        using var fromCache = await patient.GetAsync(Article);
        Assert.True(fromCache.Headers.Contains("Age"));
        Assert.False(fromCache.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("A note for clinicians.", await fromCache.Content.ReadAsStringAsync());

        // The link's page was not stored for everyone: the cookie-less reader still gets the shared copy, the
        // patient text a first-time visitor reads.
        using var again = await anonymous.GetAsync(Article);
        Assert.True(again.Headers.CacheControl!.Public);
        var firstVisit = await again.Content.ReadAsStringAsync();
        Assert.Contains("A note for patients.", firstVisit);
        Assert.DoesNotContain("A note for clinicians.", firstVisit);
    }

    [Fact]
    public async Task A_signed_in_editor_gets_the_page_fresh_and_marked_private()
    {
        using var reader = Client();
        await reader.GetAsync(Article);
        using var editor = await App.SignedInAsync("editor@example.org", "Editor");

        foreach (var _ in new[] { "first", "second" })
        {
            using var page = await editor.GetAsync(Article);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.False(page.Headers.Contains("Age"));
            // Private, or no-store where the sign-in cookie is renewed with the page (its stamp is checked on every request).
            Assert.True(page.Headers.CacheControl!.Private || page.Headers.CacheControl.NoStore, page.Headers.CacheControl.ToString());
            Assert.False(page.Headers.CacheControl.Public);
        }
    }

    [Fact]
    public async Task A_query_value_cannot_put_another_version_into_the_current_page()
    {
        Content.WriteArticle("falls", 2, "## Falls\n\nA second version.\n", title: "Preventing falls", change: "Rewritten.");
        await App.SyncAsync();
        using var client = Client();

        using var poisoned = await client.GetAsync(Article + "?number=1");
        using var current = await client.GetAsync(Article);

        Assert.Contains("A second version.", await poisoned.Content.ReadAsStringAsync());
        Assert.Contains("A second version.", await current.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_content_sync_that_changes_an_article_is_seen_at_once()
    {
        using var client = Client();
        await client.GetAsync(Article);
        using var cached = await client.GetAsync(Article);
        Assert.True(cached.Headers.Contains("Age"));

        Content.WriteArticle("falls", 2, "## Falls\n\nA walking aid helps.\n", title: "Preventing falls", change: "Rewritten.");
        await App.SyncAsync();

        using var after = await client.GetAsync(Article);
        Assert.False(after.Headers.Contains("Age"));
        Assert.NotEqual(cached.Headers.ETag, after.Headers.ETag);
        Assert.Contains("A walking aid helps.", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_review_step_is_seen_at_once_and_sets_how_long_the_version_link_may_be_kept()
    {
        using var client = Client();
        using var pendingPage = await client.GetAsync(Article);
        Assert.Contains("pending review", await pendingPage.Content.ReadAsStringAsync());
        using var pendingVersion = await client.GetAsync(Article + "/v/1");
        Assert.Equal(TimeSpan.FromMinutes(5), pendingVersion.Headers.CacheControl!.MaxAge);

        await StepAsync(ReviewStatus.UnderReview);
        await StepAsync(ReviewStatus.Approved);

        using var approvedPage = await client.GetAsync(Article);
        Assert.DoesNotContain("pending review", await approvedPage.Content.ReadAsStringAsync());
        using var approvedVersion = await client.GetAsync(Article + "/v/1");
        Assert.Equal(TimeSpan.FromHours(1), approvedVersion.Headers.CacheControl!.MaxAge);

        await StepAsync(ReviewStatus.Retired, "Withdrawn for a test.");
        using var retiredVersion = await client.GetAsync(Article + "/v/1");
        Assert.Equal(TimeSpan.FromDays(1), retiredVersion.Headers.CacheControl!.MaxAge);
        using var gone = await client.GetAsync(Article);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    private Task StepAsync(ReviewStatus to, string? note = null) => App.StepAsync("falls", 1, to, note);
}
