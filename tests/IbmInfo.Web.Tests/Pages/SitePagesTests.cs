using System.Net;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages;

/// <summary>The home, references and standalone pages, over the bundled content.</summary>
public sealed class SitePagesTests : IClassFixture<SitePagesTests.RealContentApp>
{
    public sealed class RealContentApp() : IbmInfoFactory(RepositoryPaths.Content);

    private readonly HttpClient _client;

    public SitePagesTests(RealContentApp app) => _client = app.CreateClient();

    [Fact]
    public async Task Home_lists_articles_by_category_with_their_summaries()
    {
        var (status, page) = await _client.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        var categories = page.QuerySelectorAll("section.category h2").Select(h => h.TextContent).ToList();
        Assert.Contains("Treatment evidence", categories);
        var link = page.QuerySelector("section.category a[href='/articles/treatment-evidence']")!;
        Assert.False(string.IsNullOrWhiteSpace(link.Closest("li")!.QuerySelector("p")!.TextContent));
    }

    [Fact]
    public async Task References_page_lists_every_reference_and_each_reference_lists_the_pages_citing_it()
    {
        var (_, index) = await _client.GetPageAsync("/references");
        Assert.Contains(index.QuerySelectorAll(".reference-index a"), a => a.GetAttribute("href") == "/references/cochrane-2015");

        var (status, reference) = await _client.GetPageAsync("/references/cochrane-2015");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Treatment for inclusion body myositis", reference.Text("h1"));
        Assert.Contains(reference.QuerySelectorAll("main li a"), a => a.GetAttribute("href") == "/articles/treatment-evidence");
    }

    [Theory]
    [InlineData("/editorial-policy")]
    [InlineData("/disclaimer")]
    [InlineData("/about")]
    public async Task Standalone_pages_are_served_from_content_pages(string url)
    {
        var (status, page) = await _client.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrWhiteSpace(page.Text(".article-body")));
    }

    [Fact]
    public async Task Health_check_answers_when_the_database_is_reachable_and_content_loaded()
    {
        var response = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_treatment_article_cites_its_sources_for_both_audiences()
    {
        foreach (var audience in new[] { "patient", "clinician" })
        {
            var (_, page) = await _client.GetPageAsync($"/articles/treatment-evidence?audience={audience}");
            Assert.NotEmpty(page.QuerySelectorAll(".article-body sup.citation a"));
            Assert.NotEmpty(page.QuerySelectorAll(".reference-list li"));
            Assert.NotNull(page.GetElementById("corticosteroids"));
        }
    }
}
