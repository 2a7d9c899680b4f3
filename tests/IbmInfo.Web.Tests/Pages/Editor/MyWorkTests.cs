using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>"My work": what waits for the signed-in person, where signing in lands, and its count in the navigation.</summary>
public sealed class MyWorkTests(MyWorkTests.Site site) : SharedAppTest<MyWorkTests.Site>(site)
{
    /// <summary>An author of the content folder (an account without a password until a test gives it one).</summary>
    private const string ContentEditor = "editor@example.org";

    public sealed class Site : SharedApp
    {
        /// <summary>Noon on a fixed day, running on: the dates due below are counted from it, not from a day a run may leave.</summary>
        public RunningClock Calendar { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        public Site()
        {
            Clock = Calendar;
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].", title: "Steroids in IBM");
            Content.WriteArticle("exercise", 1, "## Exercise\n\nGentle exercise is safe.", title: "Exercise");
            Content.WriteArticle("swallowing", 1, "## Swallowing\n\nAsk for an assessment.", title: "Swallowing", author: ContentEditor);
            Content.WriteArticle("falls", 1, "## Falls\n\nFalls are common.", title: "Falls");
            Content.WriteArticle("hands", 1, "## Hands\n\nAids help.", title: "Hand aids");
            Content.WriteArticle("research", 1, "## Research\n\nTrials continue.", title: "Research");
        }
    }

    private DateOnly Today => Shared.Calendar.Today;

    private async Task<HttpClient> SignInAsContentEditorAsync(params string[] extraRoles)
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var user = (await users.FindByEmailAsync(ContentEditor))!;
            Assert.True((await users.AddPasswordAsync(user, Editorial.Password)).Succeeded);
            foreach (var role in extraRoles)
            {
                if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
                Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            }
        }
        var client = App.CreateBrowser();
        using var signedIn = await client.SignInAsync(ContentEditor);
        Assert.Equal("/editor/my-work", signedIn.Headers.Location!.OriginalString);
        return client;
    }

    private static List<string> Items(IDocument page, string section) =>
        page.QuerySelectorAll($"section[aria-labelledby={section}] li").Select(li => Regex.Replace(li.TextContent, @"\s+", " ").Trim()).ToList();

    [Fact]
    public async Task Signing_in_lands_on_my_work_and_an_editor_with_nothing_waiting_is_told_so()
    {
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();
        using var signedIn = await client.SignInAsync("ed@example.org");
        Assert.Equal("/editor/my-work", signedIn.Headers.Location!.OriginalString);

        var (status, page) = await client.GetPageAsync("/editor/my-work");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("My work (0)", page.Text("h1"));
        Assert.StartsWith("Nothing waits for you", page.Text(".my-work-empty"));
        Assert.Equal("My work (0)", page.Text(".editor-nav a[href='/editor/my-work']"));
        // An editor is not a reviewer: no review queue, no re-review list.
        Assert.Null(page.QuerySelector("#to-review"));
        Assert.Null(page.QuerySelector("#due"));
    }

    [Fact]
    public async Task A_reviewer_sees_versions_waiting_for_them_but_not_their_own_and_articles_due_within_30_days_or_overdue()
    {
        await App.StepAsync("exercise", 1, ReviewStatus.UnderReview);
        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved, nextReviewDue: Today.AddDays(10));
        await App.SetStatusAsync("hands", 1, ReviewStatus.Approved, nextReviewDue: Today.AddDays(-3));
        await App.SetStatusAsync("research", 1, ReviewStatus.Approved, nextReviewDue: Today.AddDays(200));
        var client = await SignInAsContentEditorAsync("Reviewer");

        var (_, page) = await client.GetPageAsync("/editor/my-work");

        Assert.Equal("My work (4)", page.Text("h1"));
        Assert.Equal("My work (4)", page.Text(".editor-nav a[href='/editor/my-work']"));
        Assert.Equal("Waiting for your review (2)", page.Text("#to-review"));
        var toReview = Items(page, "to-review");
        Assert.Equal(2, toReview.Count);
        Assert.Contains(toReview, i => i.StartsWith("Steroids in IBM, version 1 — Submitted since", StringComparison.Ordinal));
        Assert.Contains(toReview, i => i.StartsWith("Exercise, version 1 — Under review (review started by reviewer@example.org)", StringComparison.Ordinal));
        // Swallowing is their own: a second person reviews it.
        Assert.DoesNotContain(toReview, i => i.Contains("Swallowing", StringComparison.Ordinal));
        Assert.Equal("/editor/review/steroids/1", page.QuerySelector("section[aria-labelledby=to-review] a[href$='steroids/1']")!.GetAttribute("href"));

        Assert.Equal("Due for re-review (2)", page.Text("#due"));
        var due = Items(page, "due");
        Assert.Equal(2, due.Count);
        Assert.StartsWith("Hand aids, version 1 — overdue since", due[0]);
        Assert.StartsWith("Falls, version 1 — due", due[1]);
        Assert.Contains("(3 days)", due[0]);
        Assert.Contains("(in 10 days)", due[1]);
        Assert.NotNull(page.QuerySelector("section[aria-labelledby=due] li.overdue a[href='/editor/review/hands/1']"));
        Assert.DoesNotContain(due, d => d.Contains("Research", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_editor_sees_their_version_sent_back_with_the_note_until_they_submit_a_newer_one()
    {
        await App.StepAsync("swallowing", 1, ReviewStatus.UnderReview);
        await App.StepAsync("swallowing", 1, ReviewStatus.ChangesRequested, "Say who to ask for the assessment.");
        await App.StepAsync("steroids", 1, ReviewStatus.UnderReview);
        await App.StepAsync("steroids", 1, ReviewStatus.ChangesRequested, "Not theirs.");
        var client = await SignInAsContentEditorAsync();

        var (_, page) = await client.GetPageAsync("/editor/my-work");

        Assert.Equal("My work (1)", page.Text("h1"));
        var item = Assert.Single(page.QuerySelectorAll("section[aria-labelledby=sent-back] li"));
        Assert.Contains("Swallowing, version 1", item.TextContent);
        Assert.Contains("changes requested by reviewer@example.org", item.TextContent);
        Assert.Equal("Say who to ask for the assessment.", item.QuerySelector("blockquote")!.TextContent.Trim());
        Assert.NotNull(item.QuerySelector("a[href='/editor/review/swallowing/1']"));
        Assert.Equal("Write version 2 of Swallowing", item.QuerySelector("a[href='/editor/write/swallowing']")!.TextContent.Trim());

        Content.WriteArticle("swallowing", 2, "## Swallowing\n\nAsk your speech and language therapist.", title: "Swallowing", author: ContentEditor);
        await App.SyncAsync();

        var (_, after) = await client.GetPageAsync("/editor/my-work");
        Assert.Equal("My work (0)", after.Text("h1"));
        Assert.Equal("None of your versions waits for changes.", after.Text("section[aria-labelledby=sent-back] p"));
    }
}
