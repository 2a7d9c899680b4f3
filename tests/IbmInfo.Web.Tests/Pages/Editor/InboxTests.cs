using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Editor;

public sealed class InboxTests(InboxTests.Site site) : SharedAppTest<InboxTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].", title: "Steroids in IBM");
            Content.WriteArticle("exercise", 1, "## Exercise\n\nIt is safe [@praxis-2025].", title: "Exercise and IBM");
        }
    }

    private Task SeedAsync() => App.WithDbAsync(async db =>
    {
        var steroids = await db.Articles.SingleAsync(a => a.Slug == "steroids");
        var exercise = await db.Articles.SingleAsync(a => a.Slug == "exercise");
        var now = DateTime.UtcNow;
        db.Questions.AddRange(
            new ReaderQuestion { Article = steroids, VersionNumber = 1, Name = "<script>alert(1)</script>", Question = "Can I take <b>prednisolone</b>?", AskedAt = now.AddHours(-2) },
            new ReaderQuestion { Article = exercise, VersionNumber = 1, Question = "How much walking is safe?", AskedAt = now.AddHours(-1) });
        db.Feedback.AddRange(
            new PageFeedback { Article = steroids, VersionNumber = 1, Useful = true, At = now.AddDays(-3) },
            new PageFeedback { Article = steroids, VersionNumber = 1, Useful = false, At = now.AddDays(-2) },
            new PageFeedback { Article = steroids, VersionNumber = 1, Useful = true, At = now.AddDays(-2) },
            new PageFeedback { Article = exercise, VersionNumber = 1, Useful = false, At = now.AddMinutes(-5) });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Lists_open_questions_newest_first_with_readers_text_encoded()
    {
        await SeedAsync();
        var client = await App.SignedInAsync("ed@example.org", "Editor");

        var (status, page) = await client.GetPageAsync("/editor/inbox");

        Assert.Equal(HttpStatusCode.OK, status);
        var questions = page.QuerySelectorAll(".message-list .message").ToList();
        Assert.Equal(2, questions.Count);
        Assert.Contains("A reader", questions[0].TextContent);
        Assert.Contains("How much walking is safe?", questions[0].TextContent);
        Assert.Contains("<script>alert(1)</script>", questions[1].TextContent);
        Assert.Contains("Can I take <b>prednisolone</b>?", questions[1].QuerySelector(".message-text")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("main script, .message-text b"));
        Assert.Equal("/articles/steroids/v/1", questions[1].QuerySelector(".message-meta a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Useful_answers_are_counted_per_article_and_version_on_the_feedback_tab()
    {
        await SeedAsync();
        var client = await App.SignedInAsync("ed@example.org", "Editor");

        var (_, page) = await client.GetPageAsync("/editor/feedback");

        var rows = page.QuerySelectorAll("#useful ~ .table-scroll tbody tr")
            .Select(r => r.QuerySelectorAll("td").Take(5).Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal([["Exercise and IBM", "Version 1", "0", "1", "0 %"], ["Steroids in IBM", "Version 1", "2", "1", "67 %"]], rows);
    }

    [Fact]
    public async Task An_editor_marks_a_question_handled_and_who_and_when_is_recorded()
    {
        await SeedAsync();
        var client = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, page) = await client.GetPageAsync("/editor/inbox");

        using var response = await client.SubmitAsync(page, ".message-list .message form", [], "/editor/inbox");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, after) = await client.GetPageAsync("/editor/inbox");
        Assert.Contains("marked as handled", after.Text(".confirmation"));
        Assert.Single(after.QuerySelectorAll(".message-list .message"));
        var (_, handledList) = await client.GetPageAsync("/editor/inbox?state=handled");
        Assert.Contains("Handled by ed@example.org", handledList.Text(".message-list"));
        await App.WithDbAsync(async db =>
        {
            var handled = await db.Questions.SingleAsync(q => q.Handled);
            Assert.Equal("How much walking is safe?", handled.Question);
            Assert.Equal("ed@example.org", handled.HandledBy);
            Assert.True(DateTime.UtcNow - handled.HandledAt < TimeSpan.FromMinutes(1));
        });
    }

    [Fact]
    public async Task A_reviewer_without_the_editor_role_reads_the_inbox_but_cannot_mark_questions_handled()
    {
        await SeedAsync();
        var client = await App.SignedInAsync("rev@example.org", "Reviewer");
        var (status, page) = await client.GetPageAsync("/editor/inbox");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(page.QuerySelectorAll(".message form"));

        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await client.PostAsync("/editor/inbox?handler=Handled&id=1",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await App.WithDbAsync(async db => Assert.False(await db.Questions.AnyAsync(q => q.Handled)));
    }
}
