using Bunit;
using IbmInfo.Web.Components;
using IbmInfo.Web.Data;

namespace IbmInfo.Web.Tests.Components;

/// <summary>The widget on a version closed without approval: withdrawn by its editor, or superseded by a newer approval.</summary>
public sealed class ReviewStatusWidgetClosedTests : BunitContext
{
    private IRenderedComponent<ReviewStatusWidget> RenderWidget(ReviewStatus status) =>
        Render<ReviewStatusWidget>(p => p
            .Add(w => w.Status, status)
            .Add(w => w.LastUpdated, new DateOnly(2026, 11, 22))
            .Add(w => w.HistoryUrl, "/articles/x/history"));

    [Theory]
    [InlineData(ReviewStatus.Withdrawn, "Submitted", "withdrawn")]
    [InlineData(ReviewStatus.Superseded, "Under review", "replaced by a newer one before it was reviewed")]
    public void Says_in_words_that_the_version_was_closed_and_never_marks_it_approved(ReviewStatus status, string step, string words)
    {
        var widget = RenderWidget(status);
        Assert.Equal(step, widget.Find("li[aria-current=step] .review-step-label").TextContent);
        Assert.Contains(words, widget.Find(".review-note").TextContent);
        Assert.DoesNotContain(widget.FindAll("li.review-step-done .review-step-label"), l => l.TextContent == "Approved");
    }
}
