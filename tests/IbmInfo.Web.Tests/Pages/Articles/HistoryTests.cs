using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>The public version history and the comparison of two versions.</summary>
public sealed class HistoryTests(HistoryTests.Site site) : SharedAppTest<HistoryTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nSteroids do not help [@cochrane-2015].\n\nSee your doctor.", title: "Steroids in IBM", change: "First version.");
            Content.WriteArticle("steroids", 2, "## Steroids\n\nSteroids do not help [@cochrane-2015].\n\nSee your neurologist.", title: "Steroids in IBM", change: "Named the specialist.");
            Content.WriteArticle("steroids", 3, "## Steroids\n\nSteroids do not help [@cochrane-2015].\n\nSee your neurologist.\n\n::: clinician\nCK falls on steroids without strength gains.\n:::", title: "Steroids in IBM", change: "Added a note for clinicians.");
        }
    }

    private readonly HttpClient _client = site.App.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task Lists_every_version_with_date_change_note_and_status_and_links_approved_ones()
    {
        await App.SetStatusAsync("steroids", 1, ReviewStatus.Approved);
        await App.SetStatusAsync("steroids", 2, ReviewStatus.UnderReview);

        var (status, page) = await _client.GetPageAsync("/articles/steroids/history");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = page.QuerySelectorAll(".version-item").ToList();
        Assert.Equal(["v3", "v2", "v1"], items.Select(i => i.Id));
        Assert.Contains("Added a note for clinicians.", items[0].TextContent);
        Assert.Contains("Submitted", items[0].QuerySelector(".status")!.TextContent);
        Assert.Contains("Under review", items[1].QuerySelector(".status")!.TextContent);
        Assert.Contains("Approved", items[2].QuerySelector(".status")!.TextContent);
        Assert.Contains("by Dr Test Reviewer on 10 November 2026", items[2].TextContent);
        Assert.Contains("3 November 2026", items[0].TextContent);
        // Approved (and the one readers see) link to their permanent page; a version in review does not.
        Assert.Equal("/articles/steroids/v/1", items[2].QuerySelector(".version-heading a")!.GetAttribute("href"));
        Assert.Contains("the version readers see now", items[2].TextContent);
        Assert.Null(items[1].QuerySelector(".version-heading a"));
        Assert.Equal("/articles/steroids/diff/2/3", items[0].QuerySelector("a[href*='/diff/']")!.GetAttribute("href"));
        Assert.Null(items[2].QuerySelector("a[href*='/diff/']"));
    }

    [Fact]
    public async Task The_compare_form_is_a_plain_get_form_sent_on_to_the_permanent_diff_address()
    {
        var (_, history) = await _client.GetPageAsync("/articles/steroids/history");
        var form = history.QuerySelector("form.compare-form")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/articles/steroids/diff", form.GetAttribute("action"));

        using var response = await _client.GetAsync("/articles/steroids/diff?a=1&b=3");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/articles/steroids/diff/1/3", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_diff_marks_added_and_removed_text_in_words_not_only_colour()
    {
        var (status, page) = await _client.GetPageAsync("/articles/steroids/diff/1/2");

        Assert.Equal(HttpStatusCode.OK, status);
        var changed = page.QuerySelector(".diff-line-changed.diff-part-Paragraph")!;
        Assert.Equal("removed: doctor", changed.QuerySelector("del")!.TextContent);
        Assert.Equal("added: neurologist", changed.QuerySelector("ins")!.TextContent);
        Assert.Contains("1 changed, 0 added, 0 removed", page.Text(".diff-summary"));
        Assert.Contains("Version 2: Named the specialist.", page.Text("main"));
        Assert.Equal(["/articles/steroids/v/1", "/articles/steroids/v/2"], page.QuerySelectorAll(".compare-versions a").Select(a => a.GetAttribute("href")));
        Assert.Contains("Version 2 has not been approved", page.Text("main"));
    }

    [Fact]
    public async Task The_diff_follows_the_readers_audience()
    {
        var (_, patient) = await _client.GetPageAsync("/articles/steroids/diff/2/3?audience=patient");
        Assert.Contains("No differences in the text", patient.Text(".diff-summary"));

        var (_, clinician) = await _client.GetPageAsync("/articles/steroids/diff/2/3?audience=clinician");
        Assert.Contains("CK falls on steroids", clinician.Text(".diff-line-added ins"));
    }

    [Theory]
    [InlineData("/articles/steroids/diff/1/9")]
    [InlineData("/articles/steroids/diff/0/1")]
    [InlineData("/articles/steroids/diff/one/two")]
    [InlineData("/articles/steroids/diff/1")]
    [InlineData("/articles/steroids/diff?a=x&b=2")]
    [InlineData("/articles/nothing/diff/1/2")]
    [InlineData("/articles/nothing/history")]
    [InlineData("/articles/Bad_Slug/history")]
    public async Task Unknown_or_malformed_versions_are_404(string url)
    {
        var (status, page) = await _client.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Page not found", page.Text("h1"));
    }

    [Fact]
    public async Task The_article_page_links_to_its_history()
    {
        var (_, page) = await _client.GetPageAsync("/articles/steroids");
        Assert.Contains(page.QuerySelectorAll(".review-links a"), a => a.GetAttribute("href") == "/articles/steroids/history");
    }
}
