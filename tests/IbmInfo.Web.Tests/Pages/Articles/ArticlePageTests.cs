using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Articles;

public sealed class ArticlePageTests(ArticlePageTests.Site site) : SharedAppTest<ArticlePageTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM");
            Content.WriteArticle("steroids", 2, Body + "\nA second paragraph.\n", title: "Steroids in IBM, revised", change: "Added a paragraph.");
        }
    }

    private const string Body = """
        ## Corticosteroids

        ::: patient
        Steroids do not help in IBM [@praxis-2025].
        :::

        ::: clinician
        Corticosteroids are not effective [@cochrane-2015; @praxis-2025].
        :::

        ## Methotrexate

        No benefit was shown [@cochrane-2015].
        """;

    private readonly HttpClient _client = site.App.CreateClient();

    [Fact]
    public async Task Unapproved_article_shows_its_latest_version_under_the_pending_review_caution()
    {
        var (status, page) = await _client.GetPageAsync("/articles/steroids");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Steroids in IBM, revised", page.Text("h1"));
        Assert.Contains("Educational purpose only — this content is pending review by the medical advisory board.", page.Text(".caution-compact"));
        Assert.Equal("Submitted", page.Text(".review-step[aria-current=step] .review-step-label"));
    }

    [Fact]
    public async Task Approved_version_replaces_the_caution_and_shows_who_reviewed_it_and_when_the_next_review_is_due()
    {
        await App.SetStatusAsync("steroids", 1, ReviewStatus.Approved);

        var (_, page) = await _client.GetPageAsync("/articles/steroids");

        Assert.Equal("Steroids in IBM", page.Text("h1"));
        Assert.Null(page.QuerySelector(".caution-compact"));
        var dates = page.Text(".review-dates");
        Assert.Contains("by Dr Test Reviewer on 10 November 2026", dates);
        Assert.Contains("10 November 2027", dates);
        Assert.Equal(3, page.QuerySelectorAll(".review-step-done").Length);
    }

    [Fact]
    public async Task Citations_are_numbered_links_to_the_generated_reference_list()
    {
        var (_, page) = await _client.GetPageAsync("/articles/steroids/v/1?audience=all");

        // Both audiences shown: praxis is cited first (patient block), then cochrane.
        var links = page.QuerySelectorAll(".article-body sup.citation a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#ref-1", "#ref-2", "#ref-1", "#ref-2"], links);
        var items = page.QuerySelectorAll(".reference-list li");
        Assert.Equal(2, items.Length);
        Assert.Equal("ref-1", items[0].Id);
        Assert.Contains("Musculoskeletal disorders", items[0].TextContent);
        Assert.Contains("Guideline", items[0].QuerySelector(".reference-kind")!.TextContent);
        Assert.Equal("https://doi.org/10.1002/14651858.CD001555.pub5", items[1].QuerySelector("a[href^='https://doi.org']")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("patient", "Steroids do not help", "Corticosteroids are not effective")]
    [InlineData("clinician", "Corticosteroids are not effective", "Steroids do not help")]
    public async Task Audience_link_shows_only_that_audience_and_is_remembered(string audience, string shown, string hidden)
    {
        var (_, page) = await _client.GetPageAsync($"/articles/steroids?audience={audience}");
        var body = page.Text(".article-body");
        Assert.Contains(shown, body);
        Assert.DoesNotContain(hidden, body);

        // The cookie set by the link keeps the choice on the next page.
        var (_, next) = await _client.GetPageAsync("/articles/steroids/v/1");
        Assert.DoesNotContain(hidden, next.Text(".article-body"));
    }

    [Fact]
    public async Task Headings_have_stable_anchors_with_a_visible_link_to_the_section()
    {
        var (_, page) = await _client.GetPageAsync("/articles/steroids");

        var heading = page.GetElementById("corticosteroids")!;
        Assert.Equal("H2", heading.TagName);
        var link = heading.QuerySelector("a.section-link")!;
        Assert.Equal("#corticosteroids", link.GetAttribute("href"));
        Assert.Contains("Link to this section", link.TextContent);
    }

    [Fact]
    public async Task Version_page_is_permanent_and_points_to_a_newer_approved_version()
    {
        await App.SetStatusAsync("steroids", 1, ReviewStatus.Approved);
        await App.SetStatusAsync("steroids", 2, ReviewStatus.Approved);

        var (status, page) = await _client.GetPageAsync("/articles/steroids/v/1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Steroids in IBM", page.Text("h1"));
        Assert.Contains("newer approved version", page.Text(".notice"));
        // Search engines are pointed at the current page, not at each version.
        Assert.Equal("http://localhost/articles/steroids", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Retired_version_stops_being_current_and_the_previous_approved_one_is_served()
    {
        await App.SetStatusAsync("steroids", 1, ReviewStatus.Approved);
        await App.SetStatusAsync("steroids", 2, ReviewStatus.Approved);
        await App.SetStatusAsync("steroids", 2, ReviewStatus.Retired);

        var (_, page) = await _client.GetPageAsync("/articles/steroids");

        Assert.Equal("Steroids in IBM", page.Text("h1"));
    }

    [Fact]
    public async Task Every_article_carries_the_professional_disclaimer()
    {
        var (_, page) = await _client.GetPageAsync("/articles/steroids");
        Assert.Contains("does not replace the judgement", page.Text(".disclaimer"));
    }

    [Theory]
    [InlineData("/articles/unknown")]
    [InlineData("/articles/steroids/v/3")]
    [InlineData("/articles/steroids/v/0")]
    [InlineData("/articles/steroids/v/99999999999999999999")]
    [InlineData("/articles/steroids/v/abc")]
    [InlineData("/articles/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/articles/Steroids")]
    [InlineData("/references/unknown-key")]
    [InlineData("/no-such-page")]
    [InlineData("/error")]
    public async Task Unknown_addresses_get_the_friendly_404_page(string url)
    {
        var (status, page) = await _client.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Page not found", page.Text("h1"));
    }

    public override Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }
}
