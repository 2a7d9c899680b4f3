using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>
/// The answer first: key points for the reader's audience under the title with a one-line review status, the full
/// review box at the foot, patient text for a first-time visitor; and the "Get help now" box on articles that ask for it.
/// </summary>
public sealed class AnswerFirstTests(AnswerFirstTests.Site site) : SharedAppTest<AnswerFirstTests.Site>(site)
{
    /// <summary>Starts with no article: each test writes its own and imports it.</summary>
    public sealed class Site : SharedApp;

    private const string KeyPoints = """
        key_points:
          patient:
            - No medicine has been proven to slow IBM [@cochrane-2015].
            - Physiotherapy helps you keep moving.
            - Tell your doctor about any trouble swallowing.
          clinician:
            - No agent has shown efficacy in randomised trials [@praxis-2025].
            - Refer early for physiotherapy.
            - Screen for dysphagia at each visit.
        """;

    private void WriteArticle(string slug, string extraFrontMatter, string body = "## Treatment\n\nMore detail [@cochrane-2015].\n", int number = 1) =>
        Content.Write($"articles/{slug}/{number}.md", $"""
            ---
            title: Treatments for IBM
            summary: What has been tried.
            category: treatment-evidence
            date: 2026-11-01
            change: First version.
            author: author@example.org
            {extraFrontMatter}
            ---
            {body}
            """);

    private const string HelpPage = """
        ## Call 999 now {#emergency}

        Call 999 if someone is choking or struggling to breathe.

        ## Get urgent help {#urgent}

        Call your GP or NHS 111 the same day if you have signs of a chest infection.
        """;

    private async Task ApproveAsync(string slug, int number = 1)
    {
        await App.StepAsync(slug, number, ReviewStatus.UnderReview);
        await App.StepAsync(slug, number, ReviewStatus.Approved);
    }

    private static bool Before(INode first, INode second) =>
        first.CompareDocumentPosition(second).HasFlag(DocumentPositions.Following);

    [Fact]
    public async Task A_first_time_visitor_reads_the_patient_key_points_under_the_title_with_a_short_pending_line()
    {
        WriteArticle("treatments", KeyPoints);
        await App.SyncAsync();
        var (status, page) = await App.CreateClient().GetPageAsync("/articles/treatments");

        Assert.Equal(HttpStatusCode.OK, status);
        var points = page.QuerySelectorAll(".key-points-box li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["No medicine has been proven to slow IBM Reference 1.", "Physiotherapy helps you keep moving.", "Tell your doctor about any trouble swallowing."], points);
        Assert.DoesNotContain("randomised", page.Text("main"));

        var line = page.QuerySelector(".article-header .review-line")!;
        Assert.Contains("Pending review", line.TextContent);
        Assert.Contains("pending review by the medical advisory board", line.TextContent);
        var body = page.QuerySelector(".article-body")!;
        Assert.True(Before(page.QuerySelector(".key-points-box")!, body));
        Assert.True(Before(body, page.QuerySelector(".review-status")!), "the full review box is at the foot");

        // The key points' citation is number 1, shared with the body's use of the same reference.
        Assert.Equal(["Treatment for inclusion body myositis"], page.QuerySelectorAll(".reference-list li cite").Select(c => c.TextContent));
        Assert.Equal("#ref-1", page.QuerySelector(".key-points-box sup a")!.GetAttribute("href"));
        Assert.Equal("#ref-1", page.QuerySelector(".article-body sup a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_professional_key_points_open_by_link_and_the_switch_says_why_it_asks_without_the_word_version()
    {
        WriteArticle("treatments", KeyPoints);
        await App.SyncAsync();
        var client = App.CreateClient();
        var (_, patient) = await client.GetPageAsync("/articles/treatments");
        var form = patient.QuerySelector("form.audience-switch")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Contains("We ask so that we can show you the text written for you", form.TextContent);
        Assert.DoesNotContain("version", form.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Patient or carer", form.QuerySelector("button[aria-pressed=true]")!.TextContent.Replace("✓", "").Trim());
        Assert.Equal("clinician", form.QuerySelector("button[aria-pressed=false]")!.GetAttribute("value"));

        var (_, clinician) = await client.GetPageAsync("/articles/treatments?audience=clinician");
        Assert.Contains("No agent has shown efficacy in randomised trials", clinician.Text(".key-points-box"));
        Assert.DoesNotContain("Physiotherapy helps you keep moving", clinician.Text("main"));
        Assert.Equal("Healthcare professional", clinician.QuerySelector("button[aria-pressed=true]")!.TextContent.Replace("✓", "").Trim());
    }

    [Fact]
    public async Task An_approved_version_says_who_reviewed_it_in_one_line()
    {
        WriteArticle("treatments", KeyPoints);
        await App.SyncAsync();
        await ApproveAsync("treatments");
        var (_, page) = await App.CreateClient().GetPageAsync("/articles/treatments");

        var line = page.Text(".article-header .review-line");
        Assert.StartsWith("Reviewed ", line);
        Assert.Contains("by Dr Test Reviewer", line);
        Assert.DoesNotContain("Pending", page.Text(".article-header"));
        Assert.Null(page.QuerySelector(".caution-compact"));
    }

    [Fact]
    public async Task A_version_without_key_points_keeps_its_summary_and_no_empty_box()
    {
        // Only the newest version must have key points: an older one, at its permanent link, has none.
        WriteArticle("treatments", "order: 1");
        WriteArticle("treatments", KeyPoints, number: 2);
        await App.SyncAsync();
        var (_, page) = await App.CreateClient().GetPageAsync("/articles/treatments/v/1");
        Assert.Null(page.QuerySelector(".key-points-box"));
        Assert.Equal("What has been tried.", page.Text(".lead"));
    }

    [Fact]
    public async Task The_get_help_now_box_shows_the_current_help_page_as_two_labelled_tiers_with_its_own_review_status()
    {
        WriteArticle("swallowing", KeyPoints + "\nurgent_help: true");
        WriteArticle("treatments", KeyPoints);
        Content.WritePage("get-help-now", 1, HelpPage, title: "Get help now");
        await App.SyncAsync();
        var client = App.CreateClient();

        var (_, page) = await client.GetPageAsync("/articles/swallowing");
        var box = page.QuerySelector(".get-help-now")!;
        Assert.Equal("Get help now", box.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("General safety advice", box.TextContent);
        var tiers = box.QuerySelectorAll(".help-tier");
        Assert.Equal(2, tiers.Length);
        Assert.Equal("Emergency", tiers[0].QuerySelector(".help-tier-label")!.TextContent);
        Assert.Contains("Call 999 if someone is choking or struggling to breathe.", tiers[0].TextContent);
        Assert.Equal("Call 999 now", tiers[0].QuerySelector("h3")!.TextContent.Trim());
        Assert.Equal("Urgent", tiers[1].QuerySelector(".help-tier-label")!.TextContent);
        Assert.Contains("signs of a chest infection", tiers[1].TextContent);
        Assert.Equal("help-urgent", tiers[1].QuerySelector("h3")!.Id);
        Assert.Contains("pending review by the medical advisory board", box.QuerySelector(".help-status")!.TextContent);
        Assert.True(Before(page.QuerySelector(".key-points-box")!, box));
        Assert.True(Before(box, page.QuerySelector(".article-body")!));

        var (_, other) = await client.GetPageAsync("/articles/treatments");
        Assert.Null(other.QuerySelector(".get-help-now"));

        await ApproveAsync("get-help-now");
        var (_, approved) = await client.GetPageAsync("/articles/swallowing");
        Assert.Contains("This advice was reviewed on", approved.Text(".get-help-now .help-status"));
    }

    [Fact]
    public async Task Without_a_help_page_the_box_is_left_out_rather_than_invented()
    {
        WriteArticle("swallowing", KeyPoints + "\nurgent_help: true");
        await App.SyncAsync();
        var (status, page) = await App.CreateClient().GetPageAsync("/articles/swallowing");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(page.QuerySelector(".get-help-now"));
    }

    [Fact]
    public async Task The_home_page_promise_says_how_many_pages_are_reviewed_in_every_state()
    {
        WriteArticle("treatments", KeyPoints);
        Content.WriteArticle("falls", 1, "## Falls\n\nText.\n", title: "Falls", category: "living-with-ibm");
        await App.SyncAsync();
        var client = App.CreateClient();

        var (_, none) = await client.GetPageAsync("/");
        Assert.Contains("None of the pages below has been reviewed yet", none.Text(".review-promise"));
        Assert.DoesNotContain("Every page is reviewed", none.Text("main"));

        await ApproveAsync("treatments");
        var (_, some) = await client.GetPageAsync("/");
        Assert.Contains("1 of the 2 pages below have been reviewed", some.Text(".review-promise"));

        await ApproveAsync("falls");
        var (_, all) = await client.GetPageAsync("/");
        Assert.Contains("All 2 pages below have been reviewed", all.Text(".review-promise"));
        Assert.Empty(all.QuerySelectorAll(".badge-pending"));
    }

    [Fact]
    public async Task Every_page_names_its_absolute_canonical_address_and_a_pending_one_is_not_indexed()
    {
        WriteArticle("treatments", KeyPoints);
        Content.WriteArticle("treatments", 2, "## Treatment\n\nNewer.\n", title: "Treatments for IBM");
        await App.SyncAsync();
        var client = App.CreateClient();
        await App.SyncAsync();
        await ApproveAsync("treatments");

        var (_, current) = await client.GetPageAsync("/articles/treatments");
        Assert.Equal("http://localhost/articles/treatments", Assert.Single(current.QuerySelectorAll("link[rel=canonical]")).GetAttribute("href"));
        Assert.Null(current.QuerySelector("meta[name=robots]"));
        Assert.Equal("article", current.QuerySelector("meta[property='og:type']")!.GetAttribute("content"));
        Assert.Equal("Treatments for IBM", current.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.Equal("http://localhost/articles/treatments", current.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        Assert.NotNull(current.QuerySelector("meta[property='og:description']"));
        Assert.EndsWith(".svg", current.QuerySelector("link[rel=icon]")!.GetAttribute("href")!.Split('?')[0]);

        // Version 2 is pending: its permanent link points to the current page and is not indexed.
        var (_, pending) = await client.GetPageAsync("/articles/treatments/v/2");
        Assert.Equal("http://localhost/articles/treatments", Assert.Single(pending.QuerySelectorAll("link[rel=canonical]")).GetAttribute("href"));
        Assert.Equal("noindex", pending.QuerySelector("meta[name=robots]")!.GetAttribute("content"));

        foreach (var path in new[] { "/", "/references", "/articles/treatments/history", "/alert-card" })
        {
            var (_, other) = await client.GetPageAsync(path);
            var canonical = Assert.Single(other.QuerySelectorAll("link[rel=canonical]")).GetAttribute("href")!;
            Assert.StartsWith("http://localhost/", canonical);
        }
    }

    [Fact]
    public async Task The_structured_data_lists_the_references_as_citations()
    {
        WriteArticle("treatments", KeyPoints);
        await App.SyncAsync();
        var (_, page) = await App.CreateClient().GetPageAsync("/articles/treatments");
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        var citation = json.RootElement.GetProperty("citation")[0];
        Assert.Equal("Treatment for inclusion body myositis", citation.GetProperty("name").GetString());
        Assert.Equal("https://doi.org/10.1002/14651858.CD001555.pub5", citation.GetProperty("url").GetString());
        Assert.Equal("http://localhost/articles/treatments", json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Robots_txt_names_the_sitemap_by_its_absolute_address()
    {
        WriteArticle("treatments", KeyPoints);
        await App.SyncAsync();
        using var response = await App.CreateClient().GetAsync("/robots.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", text);
        Assert.Contains("Disallow: /editor", text);
    }
}
