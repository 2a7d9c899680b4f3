using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>What readers get of a retired article, a retired version's permanent link and versions sent back for changes.</summary>
public sealed class RetiredAndSentBackTests(RetiredAndSentBackTests.Site site) : SharedAppTest<RetiredAndSentBackTests.Site>(site)
{
    private const string Reason = "Withdrawn: the dosage advice was wrong.";

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nPrednisolone was tried [@cochrane-2015].", title: "Steroids in IBM");
            Content.WriteArticle("hands", 1, "## Hands\n\nA zebrawood pen grip helps [@praxis-2025].", title: "Weak hands", category: "living-with-ibm");
            Content.WriteArticle("falls", 1, "## Falls\n\nStair rails help.", title: "Preventing falls", category: "management");
            Content.WriteArticle("falls", 2, "## Falls\n\nQuokka ramps help.", title: "Preventing falls, revised", category: "management");
            Content.WriteArticle("swallowing", 1, "## Swallowing\n\nSit upright to eat.", title: "Swallowing", category: "management");
            Content.WriteArticle("swallowing", 2, "## Swallowing\n\nWombat thickener helps.", title: "Swallowing, revised", category: "management");
            Content.WritePage("support-groups", 1, "## Support groups\n\nThe Marmoset group meets monthly.", title: "Support groups");
        }
    }

    private async Task ApproveAsync(string slug, int number)
    {
        await App.StepAsync(slug, number, ReviewStatus.UnderReview);
        await App.StepAsync(slug, number, ReviewStatus.Approved);
    }

    private async Task SendBackAsync(string slug, int number) =>
        await App.StepAsync(slug, number, ReviewStatus.ChangesRequested, "Cite the trial.");

    [Fact]
    public async Task A_retired_article_answers_410_with_the_date_and_the_reason_and_keeps_its_history()
    {
        await ApproveAsync("steroids", 1);
        await App.StepAsync("steroids", 1, ReviewStatus.Retired, Reason);
        var retired = (await App.VersionAsync("steroids", 1)).Transitions.Single(t => t.To == ReviewStatus.Retired);
        var client = App.CreateClient();

        using var response = await client.GetAsync("/articles/steroids");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        var page = await response.ReadPageAsync();
        Assert.Contains($"Withdrawn on {retired.At:d MMMM yyyy}", page.Text("main"));
        Assert.Contains(Reason, page.Text("main"));
        Assert.DoesNotContain("Prednisolone", page.Text("main"));
        Assert.NotNull(page.QuerySelector("main a[href='/articles/steroids/history']"));

        var (historyStatus, history) = await client.GetPageAsync("/articles/steroids/history");
        Assert.Equal(HttpStatusCode.OK, historyStatus);
        Assert.Contains("Retired", history.Text("#v1"));
        Assert.Contains(Reason, history.Text("#v1 .version-steps"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/articles/no-such-article")).StatusCode);
    }

    [Fact]
    public async Task A_retired_standalone_page_answers_410_with_the_date_and_the_reason()
    {
        await ApproveAsync("support-groups", 1);
        await App.StepAsync("support-groups", 1, ReviewStatus.Retired, Reason);
        var retired = (await App.VersionAsync("support-groups", 1)).Transitions.Single(t => t.To == ReviewStatus.Retired);

        using var response = await App.CreateClient().GetAsync("/support-groups");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        var page = await response.ReadPageAsync();
        Assert.Equal("Support groups: withdrawn – IbmInfo", page.Title);
        Assert.Contains($"Withdrawn on {retired.At:d MMMM yyyy}. This page is no longer published.", page.Text("main"));
        Assert.Contains(Reason, page.Text("main"));
        Assert.DoesNotContain("Marmoset", page.Text("main"));
        Assert.Null(page.QuerySelector("main a[href*='/history']")); // standalone pages have no public history
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/no-such-page")).StatusCode);
    }

    [Fact]
    public async Task A_retired_versions_permanent_link_says_when_and_why_it_was_withdrawn_and_never_that_it_is_pending()
    {
        await ApproveAsync("steroids", 1);
        await App.StepAsync("steroids", 1, ReviewStatus.Retired, Reason);
        var retired = (await App.VersionAsync("steroids", 1)).Transitions.Single(t => t.To == ReviewStatus.Retired);

        var (status, page) = await App.CreateClient().GetPageAsync("/articles/steroids/v/1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Withdrawn on {retired.At:d MMMM yyyy}.", page.Text(".review-line"));
        Assert.Contains(Reason, page.Text(".review-line"));
        Assert.DoesNotContain("pending", page.Text("main"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Prednisolone", page.Text(".article-body"));
    }

    [Fact]
    public async Task A_first_version_sent_back_is_not_public_the_page_says_it_is_being_revised()
    {
        await SendBackAsync("hands", 1);
        var client = App.CreateClient();

        using var response = await client.GetAsync("/articles/hands");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        var page = await response.ReadPageAsync();
        Assert.Contains("This page is being revised", page.Text("main"));
        Assert.DoesNotContain("zebrawood", page.Text("main"));

        var (_, search) = await client.GetPageAsync("/search?q=zebrawood");
        Assert.Equal("No results for “zebrawood”.", search.Text(".search-count"));
        var sitemap = await client.GetStringAsync("/sitemap.xml");
        Assert.DoesNotContain("/articles/hands", sitemap);
        Assert.Contains("/articles/steroids", sitemap);
        Assert.DoesNotContain("/articles/hands", await client.GetStringAsync("/feed.atom"));
        var (_, home) = await client.GetPageAsync("/");
        Assert.Null(home.QuerySelector("a[href='/articles/hands']"));
        Assert.NotNull(home.QuerySelector("a[href='/articles/steroids']"));
        var (_, reference) = await client.GetPageAsync("/references/praxis-2025");
        Assert.Null(reference.QuerySelector("a[href='/articles/hands']"));
    }

    [Fact]
    public async Task A_second_version_sent_back_leaves_readers_on_the_approved_first()
    {
        await ApproveAsync("falls", 1);
        await SendBackAsync("falls", 2);
        var client = App.CreateClient();

        var (status, page) = await client.GetPageAsync("/articles/falls");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Preventing falls", page.Text("h1"));
        Assert.Null(page.QuerySelector(".caution-compact"));
        var (_, search) = await client.GetPageAsync("/search?q=quokka");
        Assert.Equal("No results for “quokka”.", search.Text(".search-count"));

        // Nothing approved: the version still waiting is shown under the caution, never the one sent back.
        await SendBackAsync("swallowing", 2);
        var (_, pending) = await client.GetPageAsync("/articles/swallowing");
        Assert.Equal("Swallowing", pending.Text("h1"));
        Assert.Contains("pending review", pending.Text(".caution-compact"));
        var (_, wombat) = await client.GetPageAsync("/search?q=wombat");
        Assert.Equal("No results for “wombat”.", wombat.Text(".search-count"));
    }
}
