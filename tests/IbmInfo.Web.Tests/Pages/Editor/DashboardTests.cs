using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Editor;

public sealed class DashboardTests(DashboardTests.Site site) : SharedAppTest<DashboardTests.Site>(site)
{
    /// <summary>The app's "today", fixed: a run crossing midnight must not turn one day overdue into two.</summary>
    public sealed class Site : SharedApp
    {
        public FixedClock Calendar { get; } = new(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));

        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].", title: "Steroids in IBM");
            Content.WriteArticle("exercise", 1, "## Exercise\n\nIt is safe [@praxis-2025].", title: "Exercise and IBM");
            Content.WriteArticle("broken", 1, "## Broken\n\nCites [@nobody].", title: "Broken");
            Clock = Calendar;
        }
    }

    [Fact]
    public async Task Lists_versions_waiting_by_status_recent_steps_and_content_problems()
    {
        var client = await App.SignedInAsync("rev@example.org", "Reviewer");
        await App.SetStatusAsync("exercise", 1, ReviewStatus.UnderReview);

        var (status, page) = await client.GetPageAsync("/editor");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Steroids in IBM, version 1", page.Text("#status-Submitted ~ ul"));
        Assert.Contains("Exercise and IBM, version 1", page.Text("#status-UnderReview ~ ul"));
        Assert.Equal("/editor/review/steroids/1", page.QuerySelector("#status-Submitted ~ ul a")!.GetAttribute("href"));
        Assert.Equal(2, page.QuerySelectorAll("#recent ~ .table-scroll tbody tr").Length);
        Assert.Contains("articles/broken/1.md", page.Text(".problem-list"));
        Assert.Contains("unknown citation key", page.Text(".problem-list"));
    }

    [Fact]
    public async Task Overdue_reviews_are_flagged_on_the_dashboard_and_to_readers()
    {
        var clock = Shared.Calendar;
        var yesterday = DateOnly.FromDateTime(clock.Now.UtcDateTime).AddDays(-1);
        await App.SetStatusAsync("steroids", 1, ReviewStatus.Approved, nextReviewDue: yesterday);
        await App.SetStatusAsync("exercise", 1, ReviewStatus.Approved, nextReviewDue: yesterday.AddYears(1));
        var client = await App.SignedInAsync("ed@example.org", "Editor");

        var (_, dashboard) = await client.GetPageAsync("/editor");
        var overdue = dashboard.QuerySelectorAll("#overdue ~ ul li.overdue").Select(li => li.TextContent).ToList();
        Assert.Contains("Steroids in IBM", Assert.Single(overdue));
        Assert.Contains("1 days overdue", overdue[0]);

        var (_, article) = await App.CreateClient().GetPageAsync("/articles/steroids");
        Assert.Contains("past its review date", article.Text(".review-overdue"));
        var (_, fresh) = await App.CreateClient().GetPageAsync("/articles/exercise");
        Assert.Null(fresh.QuerySelector(".review-overdue"));
    }

    [Fact]
    public async Task A_transition_made_in_the_database_by_someone_else_shows_in_recent_steps_with_its_note()
    {
        await App.WithDbAsync(async db =>
        {
            var version = await db.Versions.SingleAsync(v => v.Article.Slug == "steroids");
            db.Transitions.Add(new ReviewTransition { VersionId = version.Id, From = ReviewStatus.Submitted, To = ReviewStatus.UnderReview, By = "other@example.org", At = DateTime.UtcNow, Note = "<b>bold</b>" });
            await db.SaveChangesAsync();
        });
        var client = await App.SignedInAsync("ed@example.org", "Editor");

        var (_, page) = await client.GetPageAsync("/editor");

        var first = page.QuerySelector("#recent ~ .table-scroll tbody tr")!;
        Assert.Contains("Submitted → Under review", first.TextContent);
        Assert.Contains("<b>bold</b>", first.TextContent);
        Assert.Null(first.QuerySelector("b"));
    }
}
