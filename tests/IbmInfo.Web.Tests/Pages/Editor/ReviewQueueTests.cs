using System.Net;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>
/// Queues that empty, withdrawing, the loop between reviewer and editor and the re-review that confirms a version
/// unchanged: each over HTTP, signed in through the real form, reading what the pages and the database then say.
/// </summary>
public sealed class ReviewQueueTests(ReviewQueueTests.Site site) : SharedAppTest<ReviewQueueTests.Site>(site)
{
    /// <summary>The account the version files name as their author: it submitted every version here.</summary>
    private const string Submitter = "editor@example.org";

    public sealed class Site : SharedApp
    {
        public Site()
        {
            for (var n = 1; n <= 3; n++)
                Content.WriteArticle("steroids", n, $"## Steroids\n\nVersion {n} of the steroids text [@cochrane-2015].", title: "Steroids in IBM", author: Submitter, change: $"Change {n}.");
            Content.WriteArticle("falls", 1, "## Falls\n\nRails on the stairs help.", title: "Preventing falls", author: Submitter);
            Content.WriteArticle("falls", 2, "## Falls\n\nRails and ramps help.", title: "Preventing falls", author: Submitter, change: "Ramps.");
            Content.WriteArticle("hands", 1, "## Hands\n\nA thick pen grip helps.", title: "Weak hands", author: Submitter);
        }
    }

    /// <summary>Gives the submitting account (made by the import, without a password) a password and roles, and signs it in.</summary>
    private async Task<HttpClient> SignInAsSubmitterAsync(params string[] roles)
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var user = (await users.FindByEmailAsync(Submitter))!;
            Assert.True((await users.AddPasswordAsync(user, Editorial.Password)).Succeeded);
            foreach (var role in roles.Where(r => !roleManager.Roles.Any(x => x.Name == r)).ToList())
                await roleManager.CreateAsync(new IdentityRole(role));
            // The import makes the authors' accounts editors already.
            var added = await users.AddToRolesAsync(user, roles.Except(await users.GetRolesAsync(user)));
            Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Description)));
        }
        var client = App.CreateBrowser();
        using var response = await client.SignInAsync(Submitter);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Posts a review step as the decision form would, with the antiforgery token and the stamp the page shows.</summary>
    private async Task<(HttpResponseMessage Response, IDocument Page)> StepAsync(HttpClient client, string slug, int number, string to, string note = "")
    {
        var url = $"/editor/review/{slug}/{number}";
        var (_, shown) = await client.GetPageAsync(url);
        var token = shown.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        // A person offered no form still posts the version's current stamp, as a forged request would.
        var stamp = shown.QuerySelector("input[name=stamp]")?.GetAttribute("value") ?? await StampAsync(slug, number);
        var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["stamp"] = stamp, ["to"] = to, ["Note"] = note,
        }));
        return (response, await response.ReadPageAsync());
    }

    private async Task<string> StampAsync(string slug, int number) => (await App.VersionAsync(slug, number)).ConcurrencyStamp.ToString();

    private static List<string> Queue(IDocument dashboard, string status) =>
        dashboard.QuerySelectorAll($"section[aria-labelledby=status-{status}] li").Select(li => li.TextContent).ToList();

    [Fact]
    public async Task Approving_a_version_closes_every_older_waiting_one_as_superseded_and_the_queues_empty()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(reviewer, "steroids", 1, "UnderReview")).Response.StatusCode);
        var (_, before) = await reviewer.GetPageAsync("/editor");
        Assert.Single(Queue(before, "UnderReview"), q => q.Contains("Steroids in IBM, version 1"));
        Assert.Equal(2, Queue(before, "Submitted").Count(q => q.Contains("Steroids in IBM")));

        await StepAsync(reviewer, "steroids", 3, "UnderReview");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(reviewer, "steroids", 3, "Approved")).Response.StatusCode);
        var (_, confirmation) = await reviewer.GetPageAsync("/editor/review/steroids/3");
        Assert.Contains("Older versions still waiting (1 and 2) closed as superseded.", confirmation.Text(".confirmation"));

        foreach (var (number, from) in new[] { (1, ReviewStatus.UnderReview), (2, ReviewStatus.Submitted) })
        {
            var older = await App.VersionAsync("steroids", number);
            Assert.Equal(ReviewStatus.Superseded, older.Status);
            var step = older.Transitions.OrderBy(t => t.Id).Last();
            Assert.Equal((from, ReviewStatus.Superseded, "rev@example.org", "Superseded by version 3"), (step.From!.Value, step.To, step.By, step.Note));
            // The same save as the approval, at the same moment.
            Assert.Equal((await App.VersionAsync("steroids", 3)).ReviewedAt, step.At);

            var (_, review) = await reviewer.GetPageAsync($"/editor/review/steroids/{number}");
            Assert.Empty(review.QuerySelectorAll("button[name=to]"));
            Assert.Contains("no step can be taken", review.Text("section[aria-labelledby=review-decision]"));
            Assert.Contains("Superseded by version 3", review.QuerySelectorAll("#review-trail ~ .table-scroll tbody tr").Last().TextContent);
        }
        var (_, after) = await reviewer.GetPageAsync("/editor");
        Assert.DoesNotContain(Queue(after, "Submitted").Concat(Queue(after, "UnderReview")), q => q.Contains("Steroids in IBM"));
        Assert.Contains("0 under review", after.Text(".stat-list"));

        // A forged "Superseded" is not a step anyone may ask for.
        var (forged, _) = await StepAsync(reviewer, "falls", 1, "Superseded");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.Equal(ReviewStatus.Submitted, (await App.VersionAsync("falls", 1)).Status);
    }

    [Fact]
    public async Task The_reviewers_request_reaches_the_dashboard_the_editor_writing_the_next_version_and_that_versions_review_page()
    {
        const string Request = "Say which trials showed the ramps help, and cite them.";
        await App.StepAsync("falls", 1, ReviewStatus.UnderReview);
        await App.StepAsync("falls", 1, ReviewStatus.Approved);
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        await StepAsync(reviewer, "falls", 2, "UnderReview");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(reviewer, "falls", 2, "ChangesRequested", Request)).Response.StatusCode);
        var step = (await App.VersionAsync("falls", 2)).Transitions.Single(t => t.To == ReviewStatus.ChangesRequested);

        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, dashboard) = await editor.GetPageAsync("/editor");
        var sentBack = Assert.Single(Queue(dashboard, "ChangesRequested"));
        Assert.Contains("Preventing falls, version 2", sentBack);
        Assert.Contains($"Changes requested by rev@example.org: {Request}", sentBack);

        var (_, write) = await editor.GetPageAsync("/editor/write/falls");
        var beside = write.Text(".change-request");
        Assert.Contains($"Changes requested on version 2 by rev@example.org on {step.At:d MMMM yyyy}:", beside);
        Assert.Contains(Request, beside);
        var link = write.QuerySelector(".change-request a")!.GetAttribute("href")!;
        Assert.Equal($"/editor/review/falls/2#trail-entry-{step.Id}", link);
        var (_, requested) = await editor.GetPageAsync(link.Split('#')[0]);
        Assert.Contains(Request, requested.QuerySelector($"tr#trail-entry-{step.Id}")!.TextContent);

        // The next version, written in the browser: its review page links the request it answers.
        var form = write.QuerySelector("#write-form")!;
        var fields = form.QuerySelectorAll("input[name], textarea[name], select[name]").ToDictionary(
            i => i.GetAttribute("name")!,
            i => i.TagName == "TEXTAREA" ? i.TextContent : i.TagName == "SELECT" ? i.QuerySelector("option[selected]")?.GetAttribute("value") ?? "" : i.GetAttribute("value") ?? "");
        fields["Form.ChangeNote"] = "Cited the trials.";
        fields["Form.Body"] = "## Falls\n\nRails and ramps help [@cochrane-2015].";
        using var submitted = await editor.PostAsync("/editor/write/falls?handler=Submit", new FormUrlEncodedContent(fields));
        Assert.Equal("/editor/review/falls/3", submitted.Headers.Location!.OriginalString);
        var (_, next) = await reviewer.GetPageAsync("/editor/review/falls/3");
        Assert.Contains(Request, next.Text(".change-request"));
        Assert.Equal(link, next.QuerySelector(".change-request a")!.GetAttribute("href"));

        // With a newer version written, the sent-back one no longer waits for anyone.
        var (_, emptied) = await editor.GetPageAsync("/editor");
        Assert.Empty(Queue(emptied, "ChangesRequested"));
        Assert.Contains("0 changes requested", emptied.Text(".stat-list"));
        var (_, writeNext) = await editor.GetPageAsync("/editor/write/falls");
        Assert.Null(writeNext.QuerySelector(".change-request"));
    }

    [Fact]
    public async Task Only_the_submitter_may_withdraw_a_version_and_only_before_its_review_starts()
    {
        var other = await App.SignedInAsync("ed@example.org", "Editor", "Reviewer");
        var stamp = await StampAsync("hands", 1);
        var (refused, refusedPage) = await StepAsync(other, "hands", 1, "Withdrawn");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only the account that submitted this version (editor@example.org) can withdraw it.", refusedPage.Text(".error-summary"));
        Assert.Equal(stamp, await StampAsync("hands", 1));

        var submitter = await SignInAsSubmitterAsync("Editor");
        var (_, review) = await submitter.GetPageAsync("/editor/review/hands/1");
        Assert.NotNull(review.QuerySelector("button[name=to][value=Withdrawn]"));
        var (done, _) = await StepAsync(submitter, "hands", 1, "Withdrawn", "Written for the wrong audience.");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var withdrawn = await App.VersionAsync("hands", 1);
        Assert.Equal(ReviewStatus.Withdrawn, withdrawn.Status);
        var step = withdrawn.Transitions.OrderBy(t => t.Id).Last();
        Assert.Equal((ReviewStatus.Submitted, ReviewStatus.Withdrawn, Submitter, "Written for the wrong audience."), (step.From!.Value, step.To, step.By, step.Note));
        var (_, dashboard) = await submitter.GetPageAsync("/editor");
        Assert.DoesNotContain(Queue(dashboard, "Submitted"), q => q.Contains("Weak hands"));

        // Readers never get a withdrawn version as the article.
        var (status, article) = await App.CreateClient().GetPageAsync("/articles/hands");
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.DoesNotContain("thick pen grip", article.Body!.TextContent);

        // Once a reviewer has started, it is theirs to decide: no withdrawing, not even by the submitter.
        await App.StepAsync("falls", 1, ReviewStatus.UnderReview);
        var before = await StampAsync("falls", 1);
        var (late, latePage) = await StepAsync(submitter, "falls", 1, "Withdrawn");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Contains("A version that is Under review cannot be moved to Withdrawn", latePage.Text(".error-summary"));
        Assert.Equal((ReviewStatus.UnderReview, before), ((await App.VersionAsync("falls", 1)).Status, await StampAsync("falls", 1)));
    }

    [Fact]
    public async Task A_re_review_confirms_the_current_approved_version_unchanged_for_another_interval()
    {
        // Approved a while ago, due on 10 November 2027; the text and its hash are what stays.
        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved, nextReviewDue: new DateOnly(2027, 11, 10));
        await App.Services.GetRequiredService<SiteChanges>().NotifyAsync();
        var approved = await App.VersionAsync("falls", 1);
        var versions = 0;
        await App.WithDbAsync(async db => versions = await db.Versions.CountAsync());

        // The submitter may not confirm their own version, even holding the Reviewer role.
        var submitter = await SignInAsSubmitterAsync("Reviewer");
        var (own, ownPage) = await StepAsync(submitter, "falls", 1, "Approved", "Looks fine to me.");
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("You submitted this version, so you cannot confirm it", ownPage.Text(".error-summary"));

        var reviewer = await App.SignedInAsync("second@example.org", "Reviewer");
        var (_, review) = await reviewer.GetPageAsync("/editor/review/falls/1");
        Assert.Equal("Confirm unchanged for another interval", review.QuerySelector("button[name=to][value=Approved]")!.TextContent.Trim());
        var (noNote, noNotePage) = await StepAsync(reviewer, "falls", 1, "Approved");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNote.StatusCode);
        Assert.Contains("what you checked the version against", noNotePage.Text(".error-summary"));
        Assert.Equal(approved.ConcurrencyStamp, (await App.VersionAsync("falls", 1)).ConcurrencyStamp);

        var (done, _) = await StepAsync(reviewer, "falls", 1, "Approved", "Checked against the 2026 guideline; no change needed.");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var confirmed = await App.VersionAsync("falls", 1);
        var step = confirmed.Transitions.OrderBy(t => t.Id).Last();
        Assert.Equal((ReviewStatus.Approved, ReviewStatus.Approved, "second@example.org", "Checked against the 2026 guideline; no change needed."),
            (step.From!.Value, step.To, step.By, step.Note));
        Assert.Equal(DateOnly.FromDateTime(step.At).AddMonths(12), confirmed.NextReviewDue);
        Assert.NotEqual(approved.NextReviewDue, confirmed.NextReviewDue);
        Assert.Equal((ReviewStatus.Approved, approved.ContentHash, "Dr second", step.At), (confirmed.Status, confirmed.ContentHash, confirmed.ReviewedByName, confirmed.ReviewedAt));
        var after = 0;
        await App.WithDbAsync(async db => after = await db.Versions.CountAsync());
        Assert.Equal(versions, after);

        var reader = App.CreateClient();
        var (_, article) = await reader.GetPageAsync("/articles/falls");
        Assert.Contains($"Reviewed {step.At:d MMMM yyyy} by Dr second", article.Text(".review-line"));
        Assert.Contains(confirmed.NextReviewDue!.Value.ToString("d MMMM yyyy"), article.Text(".review-dates"));
        var (_, history) = await reader.GetPageAsync("/articles/falls/history");
        Assert.Contains($"Reviewed again, unchanged on {step.At:d MMMM yyyy}: Checked against the 2026 guideline; no change needed.", history.Text("#v1 .version-steps"));

        // Only the version readers see can be confirmed: once version 2 is approved, version 1 cannot.
        await App.StepAsync("falls", 2, ReviewStatus.UnderReview);
        await App.StepAsync("falls", 2, ReviewStatus.Approved);
        var (older, olderPage) = await StepAsync(reviewer, "falls", 1, "Approved", "Still fine.");
        Assert.Equal(HttpStatusCode.Forbidden, older.StatusCode);
        Assert.Contains("Readers see version 2 now", olderPage.Text(".error-summary"));
        Assert.Null(olderPage.QuerySelector("button[name=to][value=Approved]"));
    }
}
