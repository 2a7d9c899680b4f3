using Bunit;
using IbmInfo.Web.Components;
using IbmInfo.Web.Data;

namespace IbmInfo.Web.Tests.Components;

public sealed class ReviewStatusWidgetTests : BunitContext
{
    private IRenderedComponent<ReviewStatusWidget> RenderWidget(ReviewStatus status, bool overdue = false) =>
        Render<ReviewStatusWidget>(p => p
            .Add(w => w.Status, status)
            .Add(w => w.LastUpdated, new DateOnly(2026, 11, 22))
            .Add(w => w.ReviewedByName, status == ReviewStatus.Approved ? "Dr A Reviewer" : null)
            .Add(w => w.ReviewedAt, status == ReviewStatus.Approved ? new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc) : null)
            .Add(w => w.NextReviewDue, status == ReviewStatus.Approved ? new DateOnly(2027, 11, 23) : null)
            .Add(w => w.Overdue, overdue)
            .Add(w => w.HistoryUrl, "/articles/x/history"));

    [Theory]
    [InlineData(ReviewStatus.Submitted, "Submitted")]
    [InlineData(ReviewStatus.UnderReview, "Under review")]
    [InlineData(ReviewStatus.ChangesRequested, "Under review")]
    public void Marks_the_current_step(ReviewStatus status, string current)
    {
        var widget = RenderWidget(status);
        var step = widget.Find("li[aria-current=step]");
        Assert.Equal(current, step.QuerySelector(".review-step-label")!.TextContent);
        Assert.Contains("(current step)", step.TextContent);
    }

    [Fact]
    public void Approved_marks_every_step_done_and_shows_reviewer_and_dates()
    {
        var widget = RenderWidget(ReviewStatus.Approved);
        Assert.Empty(widget.FindAll("li[aria-current]"));
        Assert.Equal(3, widget.FindAll("li.review-step-done").Count);
        Assert.Contains("by Dr A Reviewer on 23 November 2026", widget.Find(".review-dates").TextContent);
        Assert.Contains("23 November 2027", widget.Find(".review-dates").TextContent);
    }

    [Fact]
    public void Changes_requested_and_retired_say_so_in_words()
    {
        Assert.Contains("asked for changes", RenderWidget(ReviewStatus.ChangesRequested).Find(".review-note").TextContent);
        Assert.Contains("withdrawn", RenderWidget(ReviewStatus.Retired).Find(".review-note").TextContent);
    }

    [Fact]
    public void Overdue_review_is_told_to_readers()
    {
        Assert.Contains("past its review date", RenderWidget(ReviewStatus.Approved, overdue: true).Find(".review-overdue").TextContent);
        Assert.Empty(RenderWidget(ReviewStatus.Approved).FindAll(".review-overdue"));
    }

    [Fact]
    public void Links_to_the_editorial_policy_and_the_history()
    {
        var links = RenderWidget(ReviewStatus.Submitted).FindAll(".review-links a").Select(a => a.GetAttribute("href"));
        Assert.Equal(["/editorial-policy", "/articles/x/history"], links);
    }
}
