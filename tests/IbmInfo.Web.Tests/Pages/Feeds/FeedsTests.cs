using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Feeds;

/// <summary>What search engines and feed readers get: the sitemap, the Atom feed and each article's structured data.</summary>
public sealed class FeedsTests(FeedsTests.Site site) : SharedAppTest<FeedsTests.Site>(site)
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("falls", 1, "## Falls\n\nText [@cochrane-2015].\n", title: "Preventing falls", change: "First version.");
            Content.WriteArticle("falls", 2, "## Falls\n\nBetter text.\n", title: "Preventing falls", change: "Added walking aids.");
            Content.WriteArticle("steroids", 1, "## Steroids\n\nThey do not help.\n", title: "Steroids </script> IBM & you");
            Content.WritePage("about", 1, "## About\n\nWho we are.\n", title: "About us");
            // "Today", for the access date in "Cite this page", whenever the tests run.
            Clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        }
    }

    private readonly HttpClient _client = site.App.CreateClient();

    [Fact]
    public async Task Sitemap_lists_home_current_articles_pages_and_references()
    {
        using var response = await _client.GetAsync("/sitemap.xml");
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var locations = xml.Descendants(Sitemap + "loc").Select(l => new Uri(l.Value).PathAndQuery).ToList();
        Assert.Equal(["/", "/references", "/articles/falls", "/articles/steroids", "/about", "/references/cochrane-2015", "/references/praxis-2025"], locations);
        Assert.All(xml.Descendants(Sitemap + "loc"), l => Assert.StartsWith("http://localhost/", l.Value));
    }

    [Fact]
    public async Task Feed_has_one_entry_per_approved_version_newest_first_with_its_change_note()
    {
        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved);
        await App.WithDbAsync(async db =>
        {
            var v2 = db.Versions.Single(v => v.Article.Slug == "falls" && v.Number == 2);
            (v2.Status, v2.ReviewedAt, v2.ReviewedByName) = (ReviewStatus.Approved, new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc), "Dr Second");
            await db.SaveChangesAsync();
        });

        using var response = await _client.GetAsync("/feed.atom");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(["Preventing falls (version 2)", "Preventing falls (version 1)"], entries.Select(e => e.Element(Atom + "title")!.Value));
        Assert.StartsWith("Added walking aids. Reviewed by Dr Second on 20 November 2026.", entries[0].Element(Atom + "summary")!.Value);
        Assert.Equal("http://localhost/articles/falls/v/2", entries[0].Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Equal("2026-11-20T08:00:00Z", feed.Element(Atom + "updated")!.Value);
        Assert.Equal(2, entries.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
    }

    [Fact]
    public async Task Feed_without_approved_versions_is_valid_and_empty()
    {
        var feed = XDocument.Parse(await _client.GetStringAsync("/feed.atom")).Root!;
        Assert.Empty(feed.Elements(Atom + "entry"));
        Assert.NotEmpty(feed.Element(Atom + "updated")!.Value);
    }

    [Fact]
    public async Task Article_carries_MedicalWebPage_structured_data_claiming_review_only_once_approved()
    {
        var pending = await JsonLdAsync("/articles/falls");
        Assert.Equal("MedicalWebPage", pending.GetProperty("@type").GetString());
        Assert.Equal("Preventing falls", pending.GetProperty("name").GetString());
        Assert.Equal("http://localhost/articles/falls", pending.GetProperty("url").GetString());
        Assert.False(pending.TryGetProperty("lastReviewed", out _));
        Assert.False(pending.TryGetProperty("reviewedBy", out _));
        // A first-time reader gets the text for patients and carers.
        Assert.Equal(["Patient"], pending.GetProperty("audience").EnumerateArray().Select(a => a.GetProperty("@type").GetString()));

        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved);
        var approved = await JsonLdAsync("/articles/falls/v/1?audience=clinician");
        Assert.Equal("2026-11-10", approved.GetProperty("lastReviewed").GetString());
        Assert.Equal("Dr Test Reviewer", approved.GetProperty("reviewedBy").GetProperty("name").GetString());
        Assert.Equal("2026-11-01", approved.GetProperty("dateModified").GetString());
        Assert.Equal("http://localhost/articles/falls/v/1", approved.GetProperty("url").GetString());
        Assert.Equal("Clinician", approved.GetProperty("audience").EnumerateArray().Single().GetProperty("audienceType").GetString());
    }

    [Fact]
    public async Task Structured_data_cannot_break_out_of_its_script_element()
    {
        var html = await _client.GetStringAsync("/articles/steroids");
        var script = html[html.IndexOf("application/ld+json", StringComparison.Ordinal)..];
        script = script[..script.IndexOf("</script>", StringComparison.Ordinal)];
        Assert.DoesNotContain("<", script[1..]);
        Assert.Equal("Steroids </script> IBM & you", (await JsonLdAsync("/articles/steroids")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Cite_this_page_gives_the_absolute_permanent_address_and_the_access_date()
    {
        var (_, page) = await _client.GetPageAsync("/articles/falls");
        var cite = page.QuerySelector(".citation-box")!;
        Assert.Equal("http://localhost/articles/falls/v/2", cite.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("2026-11-30", cite.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Contains("Version 2, 2 November 2026 (pending review)", cite.TextContent);
    }

    private async Task<JsonElement> JsonLdAsync(string url)
    {
        var (status, page) = await _client.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        var script = page.QuerySelector("script[type='application/ld+json']")!;
        return JsonDocument.Parse(script.TextContent).RootElement;
    }

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
