using System.Net;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>The review page and its rules, over HTTP, signed in through the real form.</summary>
public sealed class ReviewPageTests(ReviewPageTests.Site site) : SharedAppTest<ReviewPageTests.Site>(site)
{
    internal const string Author = "author@example.org";
    internal const string Body = """
        ## Corticosteroids

        Steroids do not help in IBM [@cochrane-2015].

        ## Exercise

        Gentle exercise is safe.
        """;

    public sealed class Site : SharedApp
    {
        public Site() => Content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM", author: Author);
    }

    private Task<(HttpResponseMessage Response, IDocument Page)> StepAsync(
        HttpClient client, string to, string? note = null, string slug = "steroids", int number = 1, IDocument? shown = null) =>
        PostStepAsync(App, client, to, note, slug, number, shown);

    /// <summary>
    /// Posts a review step as the decision form would. The antiforgery token is taken from the page (the sign-out form
    /// carries one even where the person is offered no step), the stamp from the form or else the database.
    /// </summary>
    internal static async Task<(HttpResponseMessage Response, IDocument Page)> PostStepAsync(
        IbmInfoFactory app, HttpClient client, string to, string? note = null, string slug = "steroids", int number = 1, IDocument? shown = null)
    {
        var url = $"/editor/review/{slug}/{number}";
        shown ??= (await client.GetPageAsync(url)).Document;
        var token = shown.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var stamp = shown.QuerySelector("input[name=stamp]")?.GetAttribute("value")
            ?? (await app.VersionAsync(slug, number)).ConcurrencyStamp.ToString();
        var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["stamp"] = stamp,
            ["to"] = to,
            ["Note"] = note ?? "",
        }));
        return (response, await response.ReadPageAsync());
    }

    private static string Problem(IDocument page) => page.Text(".error-summary");

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_come_back_after()
    {
        var client = App.CreateBrowser();
        using var response = await client.GetAsync("/editor/review/steroids/1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in?returnUrl=%2Feditor%2Freview%2Fsteroids%2F1", response.Headers.Location!.PathAndQuery);

        await App.CreateUserAsync("rev@example.org", ["Reviewer"]);
        var (_, form) = await client.GetPageAsync(response.Headers.Location!.PathAndQuery);
        using var signedIn = await client.SubmitAsync(form, "form.stacked-form",
            new() { ["Email"] = "rev@example.org", ["Password"] = Editorial.Password }, "/account/sign-in");
        Assert.Equal("/editor/review/steroids/1", signedIn.Headers.Location!.OriginalString);
        var (status, page) = await client.GetPageAsync("/editor/review/steroids/1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Steroids in IBM", page.Text("h1"));
    }

    [Fact]
    public async Task A_signed_in_account_without_an_editorial_role_gets_a_friendly_403()
    {
        var client = await App.SignedInAsync("nobody@example.org");

        var (status, page) = await client.GetPageAsync("/editor");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("You do not have access to this page", page.Text("h1"));
        Assert.Contains("Editor or Reviewer role", page.Text("main"));
    }

    /// <summary>
    /// The account the import made for the file's author (listed in authors.yml, no password), given a password and
    /// roles as an administrator's <c>users add</c> would, then signed in.
    /// </summary>
    private async Task<HttpClient> SignInAsFileAuthorAsync(string email, params string[] roles)
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var roleManager = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.Null(user.PasswordHash);
            Assert.True((await users.AddPasswordAsync(user, Editorial.Password)).Succeeded);
            foreach (var role in roles.Where(r => !roleManager.Roles.Any(x => x.Name == r)).ToList())
                await roleManager.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(role));
            var held = await users.GetRolesAsync(user);
            Assert.True((await users.AddToRolesAsync(user, roles.Except(held))).Succeeded);
        }
        var client = App.CreateBrowser();
        using var response = await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task The_account_an_imported_file_names_as_author_cannot_approve_it()
    {
        var author = await SignInAsFileAuthorAsync(Author, "Reviewer", "Editor");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(author, "UnderReview")).Response.StatusCode);

        var (page, shown) = await author.GetPageAsync("/editor/review/steroids/1");
        Assert.Null(shown.QuerySelector("button[value=Approved]"));
        Assert.Contains("the content folder", shown.Text("dl.facts"));
        var (response, result) = await StepAsync(author, "Approved");

        Assert.Equal(HttpStatusCode.OK, page);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You submitted this version, so you cannot approve it", Problem(result));
        Assert.Equal(ReviewStatus.UnderReview, (await App.VersionAsync("steroids", 1)).Status);
    }

    [Fact]
    public async Task The_four_eyes_rule_follows_the_account_whatever_the_case_of_the_e_mail_it_signs_in_with()
    {
        await SignInAsFileAuthorAsync(Author, "Reviewer");
        var author = App.CreateBrowser();
        using (var signedIn = await author.SignInAsync("Author@Example.ORG")) Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await StepAsync(author, "UnderReview");

        var (response, result) = await StepAsync(author, "Approved");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("cannot approve it", Problem(result));
    }

    [Fact]
    public async Task An_editor_without_the_reviewer_role_cannot_move_a_version_through_review()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");

        var (shownStatus, shown) = await editor.GetPageAsync("/editor/review/steroids/1");
        Assert.Equal(HttpStatusCode.OK, shownStatus);
        Assert.Empty(shown.QuerySelectorAll("button[name=to]"));
        Assert.Contains("Only a reviewer", shown.Text("#review-decision ~ ul"));

        var (response, result) = await StepAsync(editor, "UnderReview", shown: shown);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Only a reviewer can move a version to Under review", Problem(result));

        // Even with the version under review, approval stays a reviewer's step.
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        await StepAsync(reviewer, "UnderReview");
        var (approve, approveResult) = await StepAsync(editor, "Approved");
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Contains("Only a reviewer can move a version to Approved", Problem(approveResult));

        var version = await App.VersionAsync("steroids", 1);
        Assert.Equal(ReviewStatus.UnderReview, version.Status);
        Assert.DoesNotContain(version.Transitions, t => t.By == "ed@example.org");
    }

    [Fact]
    public async Task A_step_not_in_the_workflow_is_refused_with_a_clear_message()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");

        var (direct, directResult) = await StepAsync(reviewer, "Approved");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, direct.StatusCode);
        Assert.Contains("A version that is Submitted cannot be moved to Approved. From Submitted it can only go to Under review, Changes requested or Withdrawn.", Problem(directResult));
        Assert.Equal(ReviewStatus.Submitted, (await App.VersionAsync("steroids", 1)).Status);

        await StepAsync(reviewer, "UnderReview");
        await StepAsync(reviewer, "Approved");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(reviewer, "Retired", note: "Superseded by new evidence.")).Response.StatusCode);
        var (back, backResult) = await StepAsync(reviewer, "Approved");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, back.StatusCode);
        Assert.Contains("Retired is a final step", Problem(backResult));

        var (nonsense, nonsenseResult) = await StepAsync(reviewer, "Published");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nonsense.StatusCode);
        Assert.Contains("Choose one of the review steps", Problem(nonsenseResult));
        Assert.Equal(ReviewStatus.Retired, (await App.VersionAsync("steroids", 1)).Status);
    }

    [Fact]
    public async Task Requesting_changes_needs_a_note_and_the_note_typed_is_kept_when_refused()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");

        var (refused, page) = await StepAsync(reviewer, "ChangesRequested", note: "   ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Add a note saying why", Problem(page));

        var (tooLong, longPage) = await StepAsync(reviewer, "ChangesRequested", note: new string('x', 2001));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal(2001, longPage.QuerySelector("textarea[name=Note]")!.TextContent.Trim().Length);

        var (done, _) = await StepAsync(reviewer, "ChangesRequested", note: "Cite the 2024 trial for the second claim.");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var version = await App.VersionAsync("steroids", 1);
        Assert.Equal(ReviewStatus.ChangesRequested, version.Status);
        Assert.Equal("Cite the 2024 trial for the second claim.", version.Transitions.Single(t => t.To == ReviewStatus.ChangesRequested).Note);

        // A version sent back is never the article: with no other, readers are told it is being revised.
        var (_, article) = await App.CreateClient().GetPageAsync("/articles/steroids");
        Assert.Contains("This page is being revised", article.Text("main"));
        Assert.DoesNotContain("Steroids do not help", article.Text("main"));
        // Its own permanent link says what happened to it, in words.
        var (_, permanent) = await App.CreateClient().GetPageAsync("/articles/steroids/v/1");
        Assert.Contains("asked for changes", permanent.Text(".review-note"));
    }

    [Fact]
    public async Task Two_reviewers_approving_at_once_cannot_both_win()
    {
        var first = await App.SignedInAsync("rev1@example.org", "Reviewer");
        var second = await App.SignedInAsync("rev2@example.org", "Reviewer");
        await StepAsync(first, "UnderReview");
        // Both open the page, so both forms carry the same stamp.
        var (_, firstPage) = await first.GetPageAsync("/editor/review/steroids/1");
        var (_, secondPage) = await second.GetPageAsync("/editor/review/steroids/1");
        Assert.Equal(firstPage.QuerySelector("input[name=stamp]")!.GetAttribute("value"), secondPage.QuerySelector("input[name=stamp]")!.GetAttribute("value"));

        var results = await Task.WhenAll(
            StepAsync(first, "Approved", note: "first", shown: firstPage),
            StepAsync(second, "Approved", note: "second", shown: secondPage));

        Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.Redirect);
        var loser = Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("This version was moved to Approved by rev", Problem(loser.Page));
        Assert.Contains("Nothing you asked for was saved", Problem(loser.Page));
        Assert.Equal("Approved", loser.Page.Text(".facts .status"));
        var version = await App.VersionAsync("steroids", 1);
        Assert.Single(version.Transitions, t => t.To == ReviewStatus.Approved);
    }

    [Fact]
    public async Task A_form_shown_before_someone_else_acted_is_refused_even_when_the_step_would_now_be_allowed()
    {
        var first = await App.SignedInAsync("rev1@example.org", "Reviewer");
        var second = await App.SignedInAsync("rev2@example.org", "Reviewer");
        var (_, stale) = await second.GetPageAsync("/editor/review/steroids/1");
        await StepAsync(first, "UnderReview");

        var (response, page) = await StepAsync(second, "ChangesRequested", note: "Too vague.", shown: stale);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("moved to Under review by rev1@example.org", Problem(page));
        Assert.Equal(ReviewStatus.UnderReview, (await App.VersionAsync("steroids", 1)).Status);
    }

    [Fact]
    public async Task Approval_replaces_the_public_caution_and_retiring_stops_the_version_being_current()
    {
        Content.WriteArticle("steroids", 2, Body + "\nA new paragraph.\n", title: "Steroids in IBM, revised", author: Author, change: "Added a paragraph.");
        await App.SyncAsync();
        var reader = App.CreateClient();
        var (_, before) = await reader.GetPageAsync("/articles/steroids");
        Assert.Equal("Steroids in IBM, revised", before.Text("h1"));
        Assert.NotNull(before.QuerySelector(".caution-compact"));

        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        await StepAsync(reviewer, "UnderReview");
        await StepAsync(reviewer, "Approved");

        var (_, approved) = await reader.GetPageAsync("/articles/steroids");
        Assert.Equal("Steroids in IBM", approved.Text("h1"));
        Assert.Null(approved.QuerySelector(".caution-compact"));
        Assert.Contains("by Dr rev on", approved.Text(".review-dates"));

        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (retireNoNote, _) = await StepAsync(editor, "Retired");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retireNoNote.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(editor, "Retired", note: "Withdrawn: a dosage was wrong.")).Response.StatusCode);

        var (_, retired) = await reader.GetPageAsync("/articles/steroids");
        Assert.Equal("Steroids in IBM, revised", retired.Text("h1"));
        Assert.NotNull(retired.QuerySelector(".caution-compact"));
        var (status, permanent) = await reader.GetPageAsync("/articles/steroids/v/1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("withdrawn", permanent.Text(".review-note"));
    }

    [Fact]
    public async Task The_review_page_shows_the_rendering_per_audience_the_diff_and_the_references()
    {
        Content.WriteArticle("steroids", 2, Body.Replace("Gentle exercise is safe.", "::: patient\nGentle exercise is safe.\n:::\n\n::: clinician\nModerate exercise is safe [@praxis-2025].\n:::"),
            title: "Steroids in IBM", author: Author, change: "Split the exercise advice.");
        await App.SyncAsync();
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");

        var (_, page) = await reviewer.GetPageAsync("/editor/review/steroids/2?audience=clinician");

        Assert.Contains("Moderate exercise is safe", page.Text(".rendering-frame .article-body"));
        Assert.DoesNotContain("Gentle exercise", page.Text(".rendering-frame .article-body"));
        Assert.Equal(2, page.QuerySelectorAll(".rendering-frame .reference-list li").Length);
        Assert.Contains("Compared with version 1", page.Text("#review-diff ~ p"));
        Assert.Contains(page.QuerySelectorAll(".diff-line-added"), l => l.TextContent.Contains("Moderate exercise is safe [Praxis Medical Insights 2025].") && l.TextContent.Contains("For clinicians"));
        Assert.Contains("Gentle exercise is safe", page.Text(".diff-line-removed del"));
        Assert.Contains("removed:", page.Text(".diff-line-removed del .visually-hidden"));
    }

    [Fact]
    public async Task The_audit_trail_cannot_be_edited_or_deleted_through_the_site()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        await StepAsync(reviewer, "UnderReview");
        var (_, page) = await reviewer.GetPageAsync("/editor/review/steroids/1");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["id"] = "1", ["Note"] = "rewritten" };

        // No address takes a change to the trail; a "Delete" handler on the review page is its own step form with no step chosen.
        var refusals = new Dictionary<string, HttpStatusCode>
        {
            ["/editor/review/steroids/1/trail/1"] = HttpStatusCode.MethodNotAllowed,
            ["/editor/review/steroids/1/trail/1/delete"] = HttpStatusCode.MethodNotAllowed,
            ["/editor/transitions/1"] = HttpStatusCode.MethodNotAllowed,
            ["/editor/review/steroids/1?handler=Delete"] = HttpStatusCode.UnprocessableEntity,
        };
        foreach (var (url, refusal) in refusals)
        {
            using var post = await reviewer.PostAsync(url, new FormUrlEncodedContent(form));
            Assert.True(post.StatusCode == refusal, $"POST {url}: {(int)post.StatusCode} {post.StatusCode}, expected {(int)refusal} {refusal}");
            if (refusal == HttpStatusCode.UnprocessableEntity) Assert.Contains("Choose one of the review steps", Problem(await post.ReadPageAsync()));
        }
        using var delete = await reviewer.DeleteAsync("/editor/review/steroids/1");
        Assert.False(delete.IsSuccessStatusCode);

        Assert.Empty(page.QuerySelectorAll("#review-trail ~ .table-scroll form, #review-trail ~ .table-scroll button"));
        var version = await App.VersionAsync("steroids", 1);
        Assert.Equal(2, version.Transitions.Count);
        Assert.DoesNotContain(version.Transitions, t => t.Note == "rewritten");
    }

    [Fact]
    public async Task Unknown_articles_and_versions_are_404_in_the_editor_too()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetPageAsync("/editor/review/steroids/9")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetPageAsync("/editor/review/nothing/1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetPageAsync("/editor/review/steroids/one")).Status);
    }
}

/// <summary>The review page's tests that need an app of their own: a fixed clock, a setting.</summary>
public sealed class ReviewPageSettingsTests : AppTest
{
    public ReviewPageSettingsTests() =>
        Content.WriteArticle("steroids", 1, ReviewPageTests.Body, title: "Steroids in IBM", author: ReviewPageTests.Author);

    private Task<(HttpResponseMessage Response, IDocument Page)> StepAsync(HttpClient client, string to, string? note = null) =>
        ReviewPageTests.PostStepAsync(App, client, to, note);

    [Fact]
    public async Task A_reviewer_takes_a_version_into_review_and_approves_it_which_sets_reviewer_and_next_review_due()
    {
        // A minute before midnight, UTC: the review date is the reviewer's day, whenever the test runs.
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        App.Clock = clock;
        var client = await App.SignedInAsync("rev@example.org", "Reviewer");

        var (started, _) = await StepAsync(client, "UnderReview");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var (approved, _) = await StepAsync(client, "Approved", note: "Checked against the Cochrane review.");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        var version = await App.VersionAsync("steroids", 1);
        Assert.Equal(ReviewStatus.Approved, version.Status);
        Assert.Equal("rev@example.org", version.ReviewedBy);
        Assert.Equal("Dr rev", version.ReviewedByName);
        Assert.Equal(clock.Now.UtcDateTime, version.ReviewedAt);
        Assert.Equal(new DateOnly(2027, 11, 30), version.NextReviewDue);

        var (_, page) = await client.GetPageAsync("/editor/review/steroids/1");
        Assert.Contains("moved from Under review to Approved", page.Text(".confirmation"));
        var trail = page.QuerySelectorAll("#review-trail ~ .table-scroll tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, trail.Count);
        Assert.Contains("Submitted", trail[0]);
        Assert.Contains("rev@example.org", trail[1]);
        Assert.Contains("Checked against the Cochrane review.", trail[2]);
    }

    [Fact]
    public async Task The_review_interval_comes_from_configuration()
    {
        App.Settings["Review:IntervalMonths"] = "6";
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        await StepAsync(reviewer, "UnderReview");
        await StepAsync(reviewer, "Approved");

        var version = await App.VersionAsync("steroids", 1);
        Assert.Equal(DateOnly.FromDateTime(version.ReviewedAt!.Value).AddMonths(6), version.NextReviewDue);
    }
}
