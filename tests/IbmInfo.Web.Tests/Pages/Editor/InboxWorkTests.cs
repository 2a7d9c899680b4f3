using System.Net;
using System.Text;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>
/// The readers' inbox as a team works from it: questions sent through the real reader form, then internal notes,
/// "answered in version N", handled and undone, filters, counts, paging and the CSV export, all through the pages' forms.
/// </summary>
public sealed class InboxWorkTests(InboxWorkTests.Site site) : SharedAppTest<InboxWorkTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].", title: "Steroids in IBM");
            Content.WriteArticle("steroids", 2, "## Steroids\n\nNo benefit, and side effects [@cochrane-2015].", title: "Steroids in IBM", change: "Side effects added.");
            Content.WriteArticle("exercise", 1, "## Exercise\n\nIt is safe [@praxis-2025].", title: "Exercise and IBM");
        }
    }

    /// <summary>A reader's question, sent as a browser sends it from the article; returns its id.</summary>
    private async Task<int> AskAsync(string slug, string question, string? name = null)
    {
        using var reader = App.NoRedirects();
        var (_, article) = await reader.GetPageAsync($"/articles/{slug}");
        using var sent = await reader.SubmitAsync(article, ".follow-up form", ("name", name ?? ""), ("question", question));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var id = 0;
        await App.WithDbAsync(async db => id = await db.Questions.Where(q => q.Question == question).Select(q => q.Id).SingleAsync());
        return id;
    }

    /// <summary>Posts one of a question page's forms, found by its handler, as the signed-in browser would.</summary>
    private static async Task<HttpResponseMessage> PostOnMessageAsync(HttpClient client, int id, string handler, Dictionary<string, string>? values = null)
    {
        var (status, page) = await client.GetPageAsync($"/editor/inbox/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return await client.SubmitAsync(page, $"form[action*='handler={handler}']", values ?? [], $"/editor/inbox/{id}");
    }

    [Fact]
    public async Task An_internal_note_is_kept_with_who_and_when_and_is_shown_only_to_editors()
    {
        var id = await AskAsync("steroids", "Is prednisolone ever worth trying?", name: "Pat");
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        const string note = "Asked twice this month: <b>add</b> a line on short trials. NOTE-7731";

        using var added = await PostOnMessageAsync(editor, id, "Note", new() { ["note"] = note });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var (_, page) = await editor.GetPageAsync($"/editor/inbox/{id}");
        Assert.Equal("Note added.", page.Text(".confirmation"));
        var entry = page.QuerySelector(".thread .thread-note")!;
        Assert.Contains("Dr ed (ed@example.org)", entry.TextContent);
        Assert.Contains(note, entry.QuerySelector(".thread-text")!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".thread-text b"));
        Assert.Contains("1 internal note", (await editor.GetPageAsync("/editor/inbox")).Document.Text(".message-list"));
        // A reviewer adds to the same thread; a second note never replaces the first.
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        using var second = await PostOnMessageAsync(reviewer, id, "Note", new() { ["note"] = "Agreed: the 2015 review covers it." });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        await App.WithDbAsync(async db =>
        {
            var notes = await db.QuestionActivity.Where(a => a.QuestionId == id).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal([("ed@example.org", note), ("rev@example.org", "Agreed: the 2015 review covers it.")], notes.Select(n => (n.By, n.Text!)).ToList());
            Assert.All(notes, n => Assert.True(DateTime.UtcNow - n.At < TimeSpan.FromMinutes(1)));
        });

        using var reader = App.NoRedirects();
        foreach (var url in new[] { "/articles/steroids", "/articles/steroids/v/1", "/articles/steroids/history", "/search?q=trials", $"/editor/inbox/{id}", "/editor/inbox?handler=Csv&state=all" })
        {
            using var response = await reader.GetAsync(url);
            Assert.DoesNotContain("NOTE-7731", await response.Content.ReadAsStringAsync());
        }
        using var anonymous = await reader.GetAsync($"/editor/inbox/{id}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/sign-in", anonymous.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData(2001, "", "2,000 characters or fewer (it has 2,001)")]
    [InlineData(20, "\u0007", "invisible control characters")]
    public async Task An_over_long_or_control_character_note_is_refused_with_the_text_kept(int length, string control, string error)
    {
        var id = await AskAsync("exercise", "Can I swim?");
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var text = new string('n', length);

        using var response = await PostOnMessageAsync(editor, id, "Note", new() { ["note"] = control + text });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains(error, page.Text("#note-error"));
        Assert.Equal(text, page.QuerySelector("#note-text")!.TextContent);
        await App.WithDbAsync(async db => Assert.Equal(0, await db.QuestionActivity.CountAsync()));
    }

    [Fact]
    public async Task A_question_is_linked_to_the_version_that_answered_it_and_counted_as_answered()
    {
        var id = await AskAsync("steroids", "What side effects do steroids have?");
        await AskAsync("steroids", "Is there a trial near me?");
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, message) = await editor.GetPageAsync($"/editor/inbox/{id}");
        Assert.Equal(["", "2", "1"], message.QuerySelectorAll("#answer-version option").Select(o => o.GetAttribute("value") ?? "").ToArray());

        using var linked = await PostOnMessageAsync(editor, id, "Answer", new() { ["version"] = "2" });

        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        var (_, page) = await editor.GetPageAsync($"/editor/inbox/{id}");
        Assert.Equal("/articles/steroids/v/2", page.QuerySelector(".message-answered a")!.GetAttribute("href"));
        Assert.Equal("Answered", page.Text(".message-meta .badge"));
        Assert.Contains("Linked as answered in version 2", page.Text(".thread"));
        Assert.Contains("Marked handled", page.Text(".thread"));
        var (_, answered) = await editor.GetPageAsync("/editor/inbox?state=answered");
        var item = Assert.Single(answered.QuerySelectorAll(".message-list .message"));
        Assert.Equal("/articles/steroids/v/2", item.QuerySelector(".message-answered a")!.GetAttribute("href"));
        Assert.Equal(("1", "1", "0"), (Count(answered, "new"), Count(answered, "answered"), Count(answered, "handled")));
        await App.WithDbAsync(async db =>
        {
            var question = await db.Questions.SingleAsync(q => q.Id == id);
            Assert.Equal((2, true, "ed@example.org"), (question.AnsweredInVersion, question.Handled, question.HandledBy));
        });

        // A version the article does not have is refused, and the link stays as it was.
        using var wrong = await PostOnMessageAsync(editor, id, "Answer", new() { ["version"] = "9" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("has no version 9", (await wrong.ReadPageAsync()).Text("#answer-error"));
        await App.WithDbAsync(async db => Assert.Equal(2, (await db.Questions.SingleAsync(q => q.Id == id)).AnsweredInVersion));
    }

    [Fact]
    public async Task Handled_can_be_undone_and_every_step_records_who_and_when()
    {
        var id = await AskAsync("exercise", "How far should I walk?");
        var ed = await App.SignedInAsync("ed@example.org", "Editor");
        var kim = await App.SignedInAsync("kim@example.org", "Editor");

        using var handled = await PostOnMessageAsync(ed, id, "Handled");
        using var reopened = await PostOnMessageAsync(kim, id, "Reopen");
        var (_, asNew) = await kim.GetPageAsync("/editor/inbox");
        Assert.Contains("How far should I walk?", asNew.Text(".message-list"));
        Assert.StartsWith("Mark handled", asNew.Text(".message-list form button"));
        // Handled again from the list itself.
        using var again = await kim.SubmitAsync(asNew, ".message-list .message form", [], "/editor/inbox");

        foreach (var response in new[] { handled, reopened, again }) Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await ed.GetPageAsync($"/editor/inbox/{id}");
        var steps = page.QuerySelectorAll(".thread-entry .thread-meta").Select(e => e.TextContent).ToList();
        Assert.Equal(3, steps.Count);
        Assert.Matches(@"^Dr ed \(ed@example\.org\), \d+ \w+ \d{4} \d\d:\d\d UTC: Marked handled$", steps[0]);
        Assert.Matches(@"^Dr kim \(kim@example\.org\), .* UTC: Marked unhandled again$", steps[1]);
        Assert.Matches(@"^Dr kim \(kim@example\.org\), .* UTC: Marked handled$", steps[2]);
        Assert.Contains("Handled by kim@example.org", page.Text(".message-handled-by"));
        await App.WithDbAsync(async db =>
        {
            var activity = await db.QuestionActivity.Where(a => a.QuestionId == id).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal([(QuestionActivityKind.Handled, "ed@example.org"), (QuestionActivityKind.Reopened, "kim@example.org"), (QuestionActivityKind.Handled, "kim@example.org")],
                activity.Select(a => (a.Kind, a.By)).ToList());
            Assert.True(activity[0].At <= activity[1].At && activity[1].At <= activity[2].At);
            var question = await db.Questions.SingleAsync(q => q.Id == id);
            Assert.Equal((true, "kim@example.org"), (question.Handled, question.HandledBy));
        });
    }

    [Fact]
    public async Task A_reviewer_cannot_mark_handled_reopen_or_link_a_version()
    {
        var id = await AskAsync("exercise", "Is cycling fine?");
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        var (_, page) = await reviewer.GetPageAsync($"/editor/inbox/{id}");
        Assert.Null(page.QuerySelector("#answer-version"));
        Assert.NotNull(page.QuerySelector("#note-text"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var handler in new[] { "Handled", "Reopen", "Answer" })
        {
            using var response = await reviewer.PostAsync($"/editor/inbox/{id}?handler={handler}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["version"] = "1" }));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        await App.WithDbAsync(async db => Assert.Equal((false, (int?)null), (await db.Questions.Where(q => q.Id == id).Select(q => new { q.Handled, q.AnsweredInVersion }).SingleAsync()) is var row ? (row.Handled, row.AnsweredInVersion) : default));
    }

    private static string Count(IDocument page, string state) => page.Text($".inbox-count[data-state={state}] strong");

    /// <summary>Three questions on steroids (new, handled, answered) and two on exercise (new, handled).</summary>
    private async Task<HttpClient> SeedStatesAsync()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        await AskAsync("steroids", "Steroid question, new");
        var handled = await AskAsync("steroids", "Steroid question, handled");
        var answered = await AskAsync("steroids", "Steroid question, answered");
        await AskAsync("exercise", "Exercise question, new");
        var exerciseHandled = await AskAsync("exercise", "Exercise question, handled");
        foreach (var q in new[] { handled, exerciseHandled }) (await PostOnMessageAsync(editor, q, "Handled")).Dispose();
        (await PostOnMessageAsync(editor, answered, "Answer", new() { ["version"] = "1" })).Dispose();
        return editor;
    }

    private static List<string> Listed(IDocument page) =>
        page.QuerySelectorAll(".message-list .message .message-text").Select(m => m.TextContent).ToList();

    [Fact]
    public async Task The_filter_form_narrows_by_article_and_state_and_counts_each_state()
    {
        var editor = await SeedStatesAsync();

        var (_, all) = await editor.GetPageAsync("/editor/inbox?state=all");
        Assert.Equal(("2", "2", "1", "5"), (Count(all, "new"), Count(all, "handled"), Count(all, "answered"), Count(all, "all")));
        var form = all.QuerySelector("form.inbox-filter")!;
        Assert.Equal(("get", "/editor/inbox"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal(["", "exercise", "steroids"], form.QuerySelectorAll("#filter-article option").Select(o => o.GetAttribute("value") ?? "").ToArray());

        var (_, byDefault) = await editor.GetPageAsync("/editor/inbox");
        Assert.Equal(["Exercise question, new", "Steroid question, new"], Listed(byDefault));

        var (_, steroids) = await editor.GetPageAsync("/editor/inbox?article=steroids&state=all");
        Assert.Equal(["Steroid question, answered", "Steroid question, handled", "Steroid question, new"], Listed(steroids));
        Assert.Equal(("1", "1", "1", "3"), (Count(steroids, "new"), Count(steroids, "handled"), Count(steroids, "answered"), Count(steroids, "all")));
        Assert.Equal("steroids", steroids.QuerySelector("#filter-article option[selected]")!.GetAttribute("value"));

        var (_, handled) = await editor.GetPageAsync("/editor/inbox?article=steroids&state=handled");
        Assert.Equal(["Steroid question, handled"], Listed(handled));
        Assert.Equal("handled", handled.QuerySelector("#filter-state option[selected]")!.GetAttribute("value"));
        var (_, answered) = await editor.GetPageAsync("/editor/inbox?state=answered");
        Assert.Equal(["Steroid question, answered"], Listed(answered));
        var (status, unknown) = await editor.GetPageAsync("/editor/inbox?article=nothing-here&state=new");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Listed(unknown));
    }

    [Fact]
    public async Task Questions_come_a_page_at_a_time_with_the_filter_kept()
    {
        await App.WithDbAsync(async db =>
        {
            var exercise = await db.Articles.SingleAsync(a => a.Slug == "exercise");
            var start = DateTime.UtcNow.AddDays(-1);
            db.Questions.AddRange(Enumerable.Range(1, 25).Select(i => new ReaderQuestion { Article = exercise, VersionNumber = 1, Question = $"Question {i:00}", AskedAt = start.AddMinutes(i) }));
            await db.SaveChangesAsync();
        });
        var editor = await App.SignedInAsync("ed@example.org", "Editor");

        var (_, first) = await editor.GetPageAsync("/editor/inbox?article=exercise&state=new");
        Assert.Equal(20, Listed(first).Count);
        Assert.Equal("Question 25", Listed(first)[0]);
        Assert.Contains("Page 1 of 2", first.Text(".pager"));
        var next = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("article=exercise", next);

        var (_, second) = await editor.GetPageAsync(next);
        Assert.Equal(["Question 05", "Question 04", "Question 03", "Question 02", "Question 01"], Listed(second));
        Assert.NotNull(second.QuerySelector(".pager a[rel=prev]"));
    }

    [Fact]
    public async Task The_csv_export_holds_exactly_the_filtered_questions_quoted_and_safe_from_formulas()
    {
        var editor = await SeedStatesAsync();
        await AskAsync("steroids", "=HYPERLINK(\"http://evil.example\",\"click\")", name: "@admin");
        await AskAsync("steroids", "Two lines, a comma\nand \"quotes\"", name: "-Sam, +1");

        using var response = await editor.GetAsync("/editor/inbox?article=steroids&state=new&handler=Csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = CsvText.Parse(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["Id", "Asked (UTC)", "Article", "Version", "Name", "Question", "State", "Handled by", "Handled (UTC)", "Answered in version", "Notes"], rows[0]);
        var questions = rows.Skip(1).Select(r => (r[2], r[4], r[5], r[6])).ToList();
        Assert.Equal([
            ("steroids", "'-Sam, +1", "Two lines, a comma\nand \"quotes\"", "New"),
            ("steroids", "'@admin", "'=HYPERLINK(\"http://evil.example\",\"click\")", "New"),
            ("steroids", "", "Steroid question, new", "New"),
        ], questions);
        // The same filter on the page lists the same questions.
        var (_, page) = await editor.GetPageAsync("/editor/inbox?article=steroids&state=new");
        Assert.Equal(3, Listed(page).Count);

        using var answered = await editor.GetAsync("/editor/inbox?state=answered&handler=Csv");
        var answeredRows = CsvText.Parse(Encoding.UTF8.GetString((await answered.Content.ReadAsByteArrayAsync())[3..]));
        Assert.Equal([("Steroid question, answered", "Answered", "ed@example.org", "1")], answeredRows.Skip(1).Select(r => (r[5], r[6], r[7], r[9])).ToList());

        // The filter form's own button asks for the file.
        Assert.Equal("Csv", page.QuerySelector("form.inbox-filter button[name=handler]")!.GetAttribute("value"));

        using var anonymous = await App.NoRedirects().GetAsync("/editor/inbox?state=all&handler=Csv");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/sign-in", anonymous.Headers.Location!.PathAndQuery);
    }
}
