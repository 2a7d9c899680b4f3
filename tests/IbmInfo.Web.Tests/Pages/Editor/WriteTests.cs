using System.Net;
using AngleSharp.Dom;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>Writing, previewing and submitting versions in the browser, through the real forms over HTTP.</summary>
public sealed class WriteTests(WriteTests.Site site) : SharedAppTest<WriteTests.Site>(site)
{
    private const string Body = """
        ## Corticosteroids

        Steroids do not help in IBM [@cochrane-2015].

        ::: patient
        Ask your team before stopping any medicine.
        :::

        ::: clinician
        No randomised trial has shown benefit.
        :::
        """;

    public sealed class Site : SharedApp
    {
        public Site() => Content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM");
    }

    /// <summary>Every field of the writing form as the page shows it, with the test's values over them.</summary>
    private static FormUrlEncodedContent WriteForm(IDocument page, params (string Name, string Value)[] values)
    {
        var form = page.QuerySelector("#write-form") ?? throw new Xunit.Sdk.XunitException("no writing form");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = input.GetAttribute("name")!;
            fields[name] = input.TagName switch
            {
                "TEXTAREA" => input.TextContent,
                "SELECT" => input.QuerySelector("option[selected]")?.GetAttribute("value") ?? "",
                _ => input.GetAttribute("value") ?? "",
            };
        }
        foreach (var (name, value) in values) fields[name] = value;
        return new FormUrlEncodedContent(fields);
    }

    private static async Task<(HttpResponseMessage Response, IDocument Page)> PressAsync(
        HttpClient client, string slug, string handler, IDocument shown, params (string, string)[] values)
    {
        var response = await client.PostAsync($"/editor/write/{slug}?handler={handler}", WriteForm(shown, values));
        return (response, await response.ReadPageAsync());
    }

    private async Task<string> AccountIdAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email))!.Id;
    }

    [Fact]
    public async Task The_form_starts_from_the_newest_version_and_submitting_makes_the_next_version_submitted_by_the_signed_in_account()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor", "Reviewer");
        var (status, form) = await editor.GetPageAsync("/editor/write/steroids");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Steroids in IBM", form.QuerySelector("#Form_Title")!.GetAttribute("value"));
        Assert.Contains("Steroids do not help in IBM [@cochrane-2015].", form.QuerySelector("#Form_Body")!.TextContent);
        Assert.Null(form.QuerySelector("[name*=uthor]"));

        var (submitted, _) = await PressAsync(editor, "steroids", "Submit", form,
            ("Form.ChangeNote", "Added the 2025 review."), ("Form.Body", Body + "\n\nA 2025 review agrees [@praxis-2025].\n"));

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal("/editor/review/steroids/2", submitted.Headers.Location!.OriginalString);
        var version = await App.VersionAsync("steroids", 2);
        Assert.Equal((ReviewStatus.Submitted, VersionOrigin.Browser), (version.Status, version.Origin));
        Assert.Equal(await AccountIdAsync("ed@example.org"), version.SubmittedById);
        Assert.Equal("Added the 2025 review.", version.ChangeNote);
        Assert.Contains("author: \"ed@example.org\"", version.Markdown);
        Assert.Contains("A 2025 review agrees [@praxis-2025].", version.Markdown);
        Assert.Equal(ContentLoader.HashOf(version.Markdown!), version.ContentHash);
        var (_, review) = await editor.GetPageAsync("/editor/review/steroids/2");
        Assert.Contains("submitted for review, by you", review.Text(".confirmation"));
        Assert.Contains("the web editor", review.Text("dl.facts"));
        await App.WithDbAsync(async db => Assert.False(await db.Drafts.AnyAsync()));

        // Readers still see version 1 until a reviewer approves version 2... and then the new text.
        await App.StepAsync("steroids", 2, ReviewStatus.UnderReview);
        var (_, underReview) = await editor.GetPageAsync("/editor/review/steroids/2");
        Assert.Contains("You submitted this version, so you cannot approve it", underReview.Text("#review-decision ~ ul"));
        await App.StepAsync("steroids", 2, ReviewStatus.Approved);
        var (_, article) = await App.CreateClient().GetPageAsync("/articles/steroids");
        Assert.Contains("A 2025 review agrees", article.Text(".article-body"));
        Assert.Contains("Musculoskeletal disorders", article.Text(".reference-list"));
    }

    [Fact]
    public async Task Each_problem_is_shown_beside_its_field_with_the_line_inside_the_body_and_nothing_is_submitted()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, form) = await editor.GetPageAsync("/editor/write/steroids");

        var (response, page) = await PressAsync(editor, "steroids", "Submit", form,
            ("Form.Title", ""), ("Form.ChangeNote", "Broken."), ("Form.Body", "## Fine\n\nText.\nCites [@nobody].\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Line 4: unknown citation key '@nobody'; add it to references.yml or correct the key.", page.Text("#Form_Body-error"));
        Assert.Contains("'title'", page.Text("#Form_Title-error"));
        Assert.Contains("There are 2 problems", page.Text(".error-summary h2"));
        Assert.Equal("#Form_Body", page.QuerySelectorAll(".error-summary a").Last().GetAttribute("href"));
        Assert.Contains("Cites [@nobody].", page.QuerySelector("#Form_Body")!.TextContent);
        await App.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Versions.CountAsync());
            Assert.Contains("[@nobody]", (await db.Drafts.SingleAsync()).Body);
        });
    }

    [Fact]
    public async Task Preview_renders_with_the_real_pipeline_for_the_chosen_audience_and_the_draft_stays_private()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, form) = await editor.GetPageAsync("/editor/write/steroids");
        var draftBody = Body.Replace("Ask your team", "Draft words: ask your team", StringComparison.Ordinal);

        var (response, patient) = await PressAsync(editor, "steroids", "Preview", form, ("audience", "patient"), ("Form.ChangeNote", "Draft."), ("Form.Body", draftBody));
        var (_, clinician) = await PressAsync(editor, "steroids", "Preview", patient, ("audience", "clinician"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Preview for patients and carers", patient.Text("#preview-heading"));
        var body = patient.QuerySelector(".preview .article-body")!;
        Assert.Contains("Draft words: ask your team", body.TextContent);
        Assert.DoesNotContain("No randomised trial", body.TextContent);
        Assert.NotNull(body.QuerySelector("sup.citation a[href='#ref-1']"));
        Assert.Contains("Treatment for inclusion body myositis", patient.Text(".preview .reference-list"));
        Assert.Contains("No randomised trial", clinician.Text(".preview .article-body"));
        Assert.DoesNotContain("Draft words", clinician.Text(".preview .article-body"));

        // Never public, never searchable, and no one else's.
        var reader = App.CreateClient();
        Assert.DoesNotContain("Draft words", await reader.GetStringAsync("/articles/steroids"));
        Assert.DoesNotContain("Draft words", await reader.GetStringAsync("/search?q=draft+words"));
        Assert.DoesNotContain("Draft words", await reader.GetStringAsync("/sitemap.xml"));
        Assert.DoesNotContain("Draft words", await reader.GetStringAsync("/feed.atom"));
        var other = await App.SignedInAsync("other@example.org", "Editor");
        var (_, theirs) = await other.GetPageAsync("/editor/write/steroids");
        Assert.DoesNotContain("Draft words", theirs.QuerySelector("#Form_Body")!.TextContent);
        Assert.DoesNotContain("steroids", (await other.GetPageAsync("/editor/drafts")).Document.Text("main"));

        // Listed for its author, resumable, discardable.
        var (_, drafts) = await editor.GetPageAsync("/editor/drafts");
        Assert.Equal("/editor/write/steroids", drafts.QuerySelector(".drafts a")!.GetAttribute("href"));
        var (_, resumed) = await editor.GetPageAsync("/editor/write/steroids");
        Assert.Contains("Draft words", resumed.QuerySelector("#Form_Body")!.TextContent);
        using var discarded = await editor.SubmitAsync(drafts, ".drafts form", new Dictionary<string, string>(), "/editor/drafts");
        Assert.Equal(HttpStatusCode.Redirect, discarded.StatusCode);
        await App.WithDbAsync(async db => Assert.False(await db.Drafts.AnyAsync()));
    }

    [Fact]
    public async Task Someone_else_submitting_first_is_said_plainly_with_what_changed_and_the_editors_text_is_kept()
    {
        var first = await App.SignedInAsync("ed@example.org", "Editor");
        var second = await App.SignedInAsync("other@example.org", "Editor");
        var (_, mine) = await first.GetPageAsync("/editor/write/steroids");
        var (_, theirs) = await second.GetPageAsync("/editor/write/steroids");
        await PressAsync(first, "steroids", "Save", mine, ("Form.ChangeNote", "Mine."), ("Form.Body", Body + "\nMy own paragraph.\n"));
        var (theirsSubmitted, _) = await PressAsync(second, "steroids", "Submit", theirs, ("Form.ChangeNote", "Theirs."), ("Form.Body", Body + "\nTheir new paragraph.\n"));
        Assert.Equal(HttpStatusCode.Redirect, theirsSubmitted.StatusCode);

        var (_, resumed) = await first.GetPageAsync("/editor/write/steroids");
        var (response, page) = await PressAsync(first, "steroids", "Submit", resumed);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Someone else submitted a version of this article after you started your draft", page.Text(".conflict h2"));
        Assert.Contains("Version 2, “Theirs.”, submitted by other@example.org", page.Text(".conflict"));
        Assert.Contains("Their new paragraph.", page.Text(".diff"));
        Assert.Contains("My own paragraph.", page.QuerySelector("#Form_Body")!.TextContent);
        Assert.Equal([1, 2], await NumbersAsync());

        var (again, _) = await PressAsync(first, "steroids", "Submit", page);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal([1, 2, 3], await NumbersAsync());
        Assert.Contains("Their new paragraph.", (await App.VersionAsync("steroids", 2)).Markdown);
        Assert.Contains("My own paragraph.", (await App.VersionAsync("steroids", 3)).Markdown);
    }

    private async Task<List<int>> NumbersAsync()
    {
        var numbers = new List<int>();
        await App.WithDbAsync(async db => numbers.AddRange(await db.Versions.Where(v => v.Article.Slug == "steroids").OrderBy(v => v.Number).Select(v => v.Number).ToListAsync()));
        return numbers;
    }

    [Fact]
    public async Task A_new_article_gets_a_checked_slug_and_its_first_version_from_the_form()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, form) = await editor.GetPageAsync("/editor/new");

        using var taken = await editor.SubmitAsync(form, "form.stacked-form", new() { ["Title"] = "Steroids again", ["Slug"] = "steroids", ["Kind"] = "Article" }, "/editor/new");
        using var invalid = await editor.SubmitAsync(form, "form.stacked-form", new() { ["Title"] = "Hands", ["Slug"] = "Hand Exercises!", ["Kind"] = "Article" }, "/editor/new");
        using var started = await editor.SubmitAsync(form, "form.stacked-form", new() { ["Title"] = "Hand exercises", ["Slug"] = "", ["Kind"] = "Article" }, "/editor/new");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("There is already an article or page at 'steroids'", (await taken.ReadPageAsync()).Text(".error-summary"));
        Assert.Contains("'hand-exercises'", (await invalid.ReadPageAsync()).Text(".error-summary"));
        Assert.Equal("/editor/write/hand-exercises", started.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/articles/hand-exercises")).StatusCode);

        var (_, write) = await editor.GetPageAsync("/editor/write/hand-exercises");
        var (noCategory, problem) = await PressAsync(editor, "hand-exercises", "Submit", write, ("Form.Body", "## Gentle stretches\n\nKeep the fingers moving."));
        Assert.True(HttpStatusCode.UnprocessableEntity == noCategory.StatusCode, problem.Body?.TextContent);
        Assert.Contains("'category'", problem.Text("#Form_Category-error"));
        Assert.Contains("'summary'", problem.Text("#Form_Summary-error"));
        var (submitted, _) = await PressAsync(editor, "hand-exercises", "Submit", problem, ("Form.Category", "management"), ("Form.Summary", "Exercises for weak hands."),
            ("Form.OtherFrontMatter", KeyPoints));

        Assert.Equal("/editor/review/hand-exercises/1", submitted.Headers.Location!.OriginalString);
        var (_, article) = await App.CreateClient().GetPageAsync("/articles/hand-exercises");
        Assert.Equal("Hand exercises", article.Text("h1"));
        Assert.NotNull(article.QuerySelector(".caution-compact"));
    }

    [Fact]
    public async Task Only_editors_may_write_and_every_editor_form_carries_an_antiforgery_token()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/editor/write/steroids")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/editor/new")).StatusCode);

        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync("/editor/write/no-such-article")).StatusCode);
        foreach (var url in new[] { "/editor/write/steroids", "/editor/new", "/editor/references/edit", "/editor" })
        {
            var (_, page) = await editor.GetPageAsync(url);
            foreach (var form in page.QuerySelectorAll("form[method=post]"))
                Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        }
        using var forged = await editor.PostAsync("/editor/write/steroids?handler=Submit", new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Body"] = "Forged." }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal([1], await NumbersAsync());
    }

    // The newest version of an article needs key points; the form keeps them with the other front-matter fields.
    private const string KeyPoints = "key_points:\n  patient:\n    - Keep your fingers moving.\n    - Stretch gently.\n    - Stop if it hurts.\n"
        + "  clinician:\n    - Gentle range-of-motion work.\n    - No resistance training advice here.\n    - Stop on pain.\n";
}
