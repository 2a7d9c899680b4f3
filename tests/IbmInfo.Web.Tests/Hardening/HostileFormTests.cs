using System.Net;
using System.Text;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// Hostile form posts over real HTTP: oversized bodies, forged antiforgery tokens, cross-site posts, and markup in
/// every field that editors later read. Each is refused with a 4xx or stored as plain text and shown escaped.
/// </summary>
public sealed class HostileFormTests(HostileSite site) : IClassFixture<HostileSite>
{
    private const string Slug = HostileSite.Slug;

    /// <summary>Markup and tricks a reader or an editor might type; each must come back as the same text, never as markup.</summary>
    private static readonly string[] HostileText =
    [
        "<ibm-xss onclick=\"alert(1)\">Sam</ibm-xss>",
        "<script>alert(document.cookie)</script>",
        "\"><ibm-xss>",
        "'><img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><ibm-xss/>",
        "</textarea><ibm-xss>broke out</ibm-xss>",
        "</blockquote></li></ul><ibm-xss>",
        "<!-- <ibm-xss> -->",
        "<base href=\"https://evil.example/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "javascript:alert(1)",
        "@(1+1) {{7*7}} ${7*7}",
        "&lt;ibm-xss&gt; &amp;",
        "\u202Etxt.exe",
    ];

    public static TheoryData<string> Payloads => [.. HostileText];

    private static readonly string Megabyte = new('q', 1024 * 1024);

    private async Task<int> QuestionsAsync()
    {
        var count = 0;
        await site.App.WithDbAsync(async db => count = await db.Questions.CountAsync(q => q.Article.Slug == Slug));
        return count;
    }

    private async Task<int> FeedbackAsync()
    {
        var count = 0;
        await site.App.WithDbAsync(async db => count = await db.Feedback.CountAsync(f => f.Article.Slug == Slug));
        return count;
    }

    /// <summary>A browser on the article, and the article page as it was shown (its forms and their hidden fields).</summary>
    private async Task<(HttpClient Client, IDocument Article)> ReaderAsync()
    {
        var client = site.Browser();
        var (status, article) = await client.GetPageAsync($"/articles/{Slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        return (client, article);
    }

    private static FormUrlEncodedContent Fields(IDocument page, string formSelector, params (string Name, string Value)[] values) =>
        Forms.Fields(page, formSelector, values);

    [Theory]
    [InlineData("questions", false)]
    [InlineData("questions", true)]
    [InlineData("feedback", false)]
    [InlineData("feedback", true)]
    public async Task An_oversized_reader_post_gets_413_and_a_calm_page_and_nothing_is_stored(string form, bool chunked)
    {
        var (client, article) = await ReaderAsync();
        var (questions, feedback) = (await QuestionsAsync(), await FeedbackAsync());
        var selector = form == "questions" ? ".follow-up form" : ".page-feedback form";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/articles/{Slug}/{form}")
        {
            Content = Fields(article, selector, ("name", "Sam"), ("question", Megabyte), ("useful", "yes")),
        };
        if (chunked)
        {
            // No Content-Length: the limit must hold while the body streams in, not only when it is announced. Twice
            // the limit, not a megabyte, so the client has sent it all before the server answers and hangs up.
            var body = await Fields(article, selector, ("name", "Sam"), ("question", Megabyte[..(128 * 1024)]), ("useful", "yes")).ReadAsStreamAsync();
            request.Content = new StreamContent(body) { Headers = { ContentType = request.Content.Headers.ContentType } };
            request.Headers.TransferEncodingChunked = true;
        }
        else
        {
            // The announced size is refused before the body is read; the client waits for that answer rather than
            // writing a megabyte into a connection the server is closing.
            request.Headers.ExpectContinue = true;
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal("That was too much to send", page!.Text("h1"));
        Assert.Equal((questions, feedback), (await QuestionsAsync(), await FeedbackAsync()));
    }

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/account/sign-out")]
    [InlineData("/audience")]
    [InlineData("/editor/review/" + Slug + "/1")]
    [InlineData("/editor/inbox?handler=Handled&id=1")]
    [InlineData("/search")]
    [InlineData("/")]
    [InlineData("/articles/" + Slug)]
    public async Task An_oversized_post_anywhere_else_is_refused_calmly(string url)
    {
        // Where the server answers without reading the body (a redirect to sign-in), the client sends none of it.
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([new("text", Megabyte)]) };
        request.Headers.ExpectContinue = true;
        using var response = await site.Raw().SendAsync(request);

        await HostileSite.AssertCalmAsync(response);
        Assert.InRange((int)response.StatusCode, 300, 499);
    }

    [Theory]
    [InlineData("questions")]
    [InlineData("feedback")]
    public async Task A_cross_site_reader_post_with_a_forged_token_is_refused_and_nothing_is_stored(string form)
    {
        var (client, _) = await ReaderAsync();
        var (questions, feedback) = (await QuestionsAsync(), await FeedbackAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/articles/{Slug}/{form}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = "CfDJ8forged" + new string('A', 100),
                ["version"] = "1",
                ["name"] = "Evil",
                ["question"] = "Posted from another site",
                ["useful"] = "no",
            }),
        };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await client.SendAsync(request);

        await HostileSite.AssertCalmAsync(response);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal((questions, feedback), (await QuestionsAsync(), await FeedbackAsync()));
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Markup_in_a_readers_question_and_name_reaches_the_editors_as_text(string payload)
    {
        var (client, article) = await ReaderAsync();
        var name = payload.Length <= 100 ? payload : payload[..100];
        using var sent = await client.PostAsync($"/articles/{Slug}/questions", Fields(article, ".follow-up form", ("name", name), ("question", "Q: " + payload)));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        var editor = await EditorAsync();
        foreach (var url in new[] { "/editor/inbox", "/editor" })
        {
            using var response = await editor.GetAsync(url);
            var page = await HostileSite.AssertCalmAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (url != "/editor/inbox") continue;
            var messages = page!.QuerySelectorAll(".message").Select(m => m.TextContent).ToList();
            Assert.Contains(messages, m => m.Contains("Q: " + payload, StringComparison.Ordinal) && m.Contains(name, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Markup_in_a_refused_question_is_shown_back_as_text(string payload)
    {
        var (client, article) = await ReaderAsync();

        // An empty question is refused and the form comes back with the name the reader typed.
        using var response = await client.PostAsync($"/articles/{Slug}/questions", Fields(article, ".follow-up form", ("name", payload), ("question", "")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal(payload, page!.QuerySelector("#question-name")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("<ibm-xss>")]
    [InlineData("yes<script>alert(1)</script>")]
    [InlineData("%FF")]
    [InlineData("")]
    public async Task A_hostile_feedback_answer_is_refused_calmly_and_not_stored(string useful)
    {
        var (client, article) = await ReaderAsync();
        var before = await FeedbackAsync();

        using var response = await client.PostAsync($"/articles/{Slug}/feedback", Fields(article, ".page-feedback form", ("useful", useful)));

        await HostileSite.AssertCalmAsync(response);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(before, await FeedbackAsync());
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Markup_typed_as_a_sign_in_address_is_shown_back_as_text(string payload)
    {
        var client = site.Browser();

        using var response = await client.SignInAsync(payload, "not the password at all");

        var page = await HostileSite.AssertCalmAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, page!.QuerySelector("input[name=Email]")!.GetAttribute("value"));
    }

    /// <summary>Forged tokens: made up, empty, shaped like a real one, and a real one from someone else's session.</summary>
    public static TheoryData<string> ForgedTokens => ["garbage", "", "CfDJ8" + new string('A', 150), "another session"];

    private async Task<string> TokenAsync(string kind)
    {
        if (kind != "another session") return kind;
        var (_, page) = await site.Browser().GetPageAsync("/account/sign-in");
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task A_forged_token_on_sign_in_gets_400_and_signs_nobody_in(string forged)
    {
        var email = $"ed-{Guid.NewGuid():N}@example.org";
        await site.App.CreateUserAsync(email, ["Editor"]);
        var client = site.Browser();
        var (_, form) = await client.GetPageAsync("/account/sign-in");

        using var response = await client.PostAsync("/account/sign-in", Fields(form, "form.stacked-form",
            ("__RequestVerificationToken", await TokenAsync(forged)), ("Email", email), ("Password", Editorial.Password)));

        await HostileSite.AssertCalmAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var editor = await client.GetAsync("/editor");
        Assert.Equal(HttpStatusCode.Redirect, editor.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Forged_tokens_on_the_editors_forms_get_400_and_change_nothing(string forged)
    {
        var editor = await EditorAsync();
        var token = await TokenAsync(forged);
        var questionId = 0;
        await site.App.WithDbAsync(async db =>
        {
            var article = await db.Articles.SingleAsync(a => a.Slug == "treatment-evidence");
            var question = new ReaderQuestion { ArticleId = article.Id, VersionNumber = 1, Question = "Still open?", AskedAt = DateTime.UtcNow };
            db.Questions.Add(question);
            await db.SaveChangesAsync();
            questionId = question.Id;
        });
        var version = await site.App.VersionAsync("treatment-evidence", 1);

        using var review = await editor.PostAsync("/editor/review/treatment-evidence/1", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["stamp"] = version.ConcurrencyStamp.ToString(), ["to"] = "ChangesRequested", ["Note"] = "Forged.",
        }));
        using var handled = await editor.PostAsync($"/editor/inbox?handler=Handled&id={questionId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        using var signOut = await editor.PostAsync("/account/sign-out",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        foreach (var response in new[] { review, handled, signOut })
        {
            await HostileSite.AssertCalmAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var after = await site.App.VersionAsync("treatment-evidence", 1);
        Assert.Equal((version.Status, version.Transitions.Count), (after.Status, after.Transitions.Count));
        await site.App.WithDbAsync(async db => Assert.False((await db.Questions.SingleAsync(q => q.Id == questionId)).Handled));
        using var stillIn = await editor.GetAsync("/editor");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task Markup_in_a_review_note_is_shown_as_text_to_editors_and_readers()
    {
        var note = string.Join(" ", HostileText);
        note = note.Length <= 2000 ? note : note[..2000];
        var reviewer = await EditorAsync();
        var (_, shown) = await reviewer.GetPageAsync($"/editor/review/{HostileSite.NoteSlug}/1");

        // Refused first (approval straight from Submitted is not a step): the note comes back in the form, as text.
        using var refused = await reviewer.PostAsync($"/editor/review/{HostileSite.NoteSlug}/1", Fields(shown, "form.stacked-form:has(textarea)", ("to", "Approved"), ("Note", note)));
        var again = await HostileSite.AssertCalmAsync(refused);
        Assert.Equal(note, again!.QuerySelector("textarea[name=Note]")!.TextContent.TrimStart('\n'));

        using var requested = await reviewer.PostAsync($"/editor/review/{HostileSite.NoteSlug}/1", Fields(shown, "form.stacked-form:has(textarea)", ("to", "ChangesRequested"), ("Note", note)));
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);

        foreach (var url in new[] { $"/editor/review/{HostileSite.NoteSlug}/1", "/editor", $"/articles/{HostileSite.NoteSlug}/history", $"/articles/{HostileSite.NoteSlug}" })
        {
            using var response = await reviewer.GetAsync(url);
            var page = await HostileSite.AssertCalmAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (url.StartsWith("/editor", StringComparison.Ordinal))
                Assert.Contains(note, page!.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }
    }

    /// <summary>A newly made Editor and Reviewer, signed in through the real form.</summary>
    private async Task<HttpClient> EditorAsync()
    {
        var email = $"ed-{Guid.NewGuid():N}@example.org";
        await site.App.CreateUserAsync(email, ["Editor", "Reviewer"], name: "Dr Hostile");
        var client = site.Browser();
        using var response = await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
