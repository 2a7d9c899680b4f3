using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Dom;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>
/// The review e-mails, sent by the app through a real SMTP server (aiosmtpd, see <see cref="SmtpServer"/>) after real
/// steps taken through the forms, and read back from what the server received.
/// </summary>
public sealed class ReviewMailTests : IDisposable
{
    private const string Body = """
        ## Corticosteroids

        Steroids do not help in IBM [@cochrane-2015].
        """;

    // Addresses of this test alone: the SMTP server is shared by the whole run.
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private readonly ContentTree _content = new();
    private readonly List<IbmInfoFactory> _apps = [];

    private string Address(string name) => $"{name}-{_tag}@example.org";

    private LoggedApp NewApp(string? dataDirectory = null)
    {
        var app = new LoggedApp(_content.Root, dataDirectory);
        app.Settings["RateLimits:SignInPostsPerMinute"] = "100000";
        _apps.Add(app);
        return app;
    }

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        _content.Dispose();
    }

    [Fact]
    public async Task An_import_mails_each_reviewer_once_listing_the_new_versions_they_did_not_submit()
    {
        var smtp = SmtpServer.Shared;
        var app = NewApp();
        smtp.Configure(app);
        var (editor, reviewer, noPassword) = (Address("ed"), Address("rev"), Address("ghost"));
        var editorClient = await app.SignedInAsync(editor, "Editor", "Reviewer");
        await app.CreateUserAsync(reviewer, ["Reviewer"]);
        await CreateWithoutPasswordAsync(app, noPassword, "Reviewer");
        _content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM", author: editor, change: "First version.");
        _content.WriteArticle("exercise", 1, "## Exercise\n\nGentle exercise is safe.", title: "Exercise", author: editor);
        _content.WriteArticle("swallowing", 1, "## Swallowing\n\nAsk for a swallowing assessment.", title: "Swallowing", author: "author@example.org");

        var (_, dashboard) = await editorClient.GetPageAsync("/editor");
        using var imported = await editorClient.SubmitAsync(dashboard, "form[action='/editor?handler=Import']");
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);

        // The reviewer's address sorts last, so once theirs has come every other mail of this import has been sent.
        var toReviewer = Assert.Single(await smtp.WaitForAsync(reviewer));
        Assert.Equal("Review requested: 3 new versions", toReviewer.Subject);
        var text = SmtpServer.Text(toReviewer);
        Assert.Contains("“Steroids in IBM”, version 1, submitted by " + editor, text);
        Assert.Contains("What changed: First version.", text);
        foreach (var slug in new[] { "exercise", "steroids", "swallowing" })
            Assert.Contains($"https://ibminfo.example/editor/review/{slug}/1", text);
        Assert.Equal("review@ibminfo.example", Assert.Single(toReviewer.From.Mailboxes).Address);

        // The editor, a reviewer too, is asked only about the version they did not submit.
        var toEditor = Assert.Single(smtp.MessagesTo(editor));
        Assert.Equal("Review requested: “Swallowing”, version 1", toEditor.Subject);
        Assert.DoesNotContain("steroids", SmtpServer.Text(toEditor));
        // An account that cannot sign in is not mailed, nor is the password-less author of the content folder.
        Assert.Empty(smtp.MessagesTo(noPassword));
        Assert.Empty(smtp.MessagesTo("author@example.org"));
    }

    [Fact]
    public async Task Requested_changes_reach_the_editor_with_the_note_and_an_approval_tells_them_too()
    {
        var smtp = SmtpServer.Shared;
        _content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM");
        var app = NewApp();
        smtp.Configure(app);
        var (editor, reviewer) = (Address("ed"), Address("rev"));
        var editorClient = await app.SignedInAsync(editor, "Editor");
        var reviewerClient = await app.SignedInAsync(reviewer, "Reviewer");

        await WriteNextVersionAsync(editorClient, "Added the dose.");
        var asked = Assert.Single(await smtp.WaitForAsync(reviewer));
        Assert.Equal("Review requested: “Steroids in IBM”, version 2", asked.Subject);
        Assert.Contains("https://ibminfo.example/editor/review/steroids/2", SmtpServer.Text(asked));

        await StepAsync(reviewerClient, 2, "UnderReview");
        await StepAsync(reviewerClient, 2, "ChangesRequested", "Cite the 2015 review for the dose.\nAnd say who to ask.");
        var sentBack = Assert.Single(await smtp.WaitForAsync(editor));
        Assert.Equal("Changes requested: “Steroids in IBM”, version 2", sentBack.Subject);
        var text = SmtpServer.Text(sentBack);
        Assert.Contains("Dr rev-" + _tag + " (" + reviewer + ") asked for changes to version 2", text);
        Assert.Contains("> Cite the 2015 review for the dose.", text);
        Assert.Contains("> And say who to ask.", text);
        Assert.Contains("https://ibminfo.example/editor/review/steroids/2", text);
        Assert.Contains("https://ibminfo.example/editor/write/steroids", text);

        await WriteNextVersionAsync(editorClient, "Cited the 2015 review.");
        await smtp.WaitForAsync(reviewer, 2);
        await StepAsync(reviewerClient, 3, "UnderReview");
        await StepAsync(reviewerClient, 3, "Approved");
        var messages = await smtp.WaitForAsync(editor, 2);
        Assert.Equal(2, messages.Count);
        var approved = messages[1];
        Assert.Equal("Approved: “Steroids in IBM”, version 3", approved.Subject);
        Assert.Contains("approved version 3 of “Steroids in IBM”", SmtpServer.Text(approved));
        Assert.Contains("https://ibminfo.example/editor/review/steroids/3", SmtpServer.Text(approved));
        // Starting a review tells nobody: the two reviewer mails were the two review requests.
        Assert.Equal(2, smtp.MessagesTo(reviewer).Count);
    }

    [Fact]
    public async Task With_no_mail_host_a_step_sends_nothing_and_the_log_says_once_that_mail_is_off()
    {
        _content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM");
        var app = NewApp();
        var reviewer = Address("rev");
        var reviewerClient = await app.SignedInAsync(reviewer, "Reviewer");

        var response = await StepAsync(reviewerClient, 1, "UnderReview");

        Assert.Equal(ReviewStatus.UnderReview, (await app.VersionAsync("steroids", 1)).Status);
        Assert.Equal(HttpStatusCode.OK, (await reviewerClient.GetPageAsync(response.Headers.Location!.OriginalString)).Status);
        Assert.Single(app.Log, e => e.Message.StartsWith("Mail is off", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Log, e => e.Level >= LogEventLevel.Warning && e.Source.Contains("Mail", StringComparison.Ordinal));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(scope.ServiceProvider.GetRequiredService<IbmInfo.Web.Hosting.MailQueue>().Enabled);
    }

    [Fact]
    public async Task A_dead_smtp_server_never_fails_the_step_and_each_failed_send_is_a_warning_naming_the_recipient()
    {
        var app = NewApp();
        SmtpServer.Shared.Configure(app);
        app.Settings["Mail:Port"] = SmtpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (editor, reviewer) = (Address("ed"), Address("rev"));
        var reviewerClient = await app.SignedInAsync(reviewer, "Reviewer");
        await app.CreateUserAsync(editor, ["Editor"]);
        _content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM", author: editor);
        await app.SyncAsync();

        await StepAsync(reviewerClient, 1, "UnderReview");
        var response = await StepAsync(reviewerClient, 1, "ChangesRequested", "Cite the 2015 review.");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await reviewerClient.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Null(page.QuerySelector(".error-summary"));
        Assert.Equal(ReviewStatus.ChangesRequested, (await app.VersionAsync("steroids", 1)).Status);
        foreach (var recipient in new[] { reviewer, editor })
        {
            var warning = await app.WaitForLogAsync(e => e.Level == LogEventLevel.Warning && e.Message.Contains(recipient, StringComparison.Ordinal));
            Assert.Contains("trying again", warning.Message);
        }
    }

    [Fact]
    public async Task A_re_review_reminder_is_sent_once_per_due_date_whatever_the_checks_and_restarts_then_once_more_when_overdue()
    {
        var smtp = SmtpServer.Shared;
        _content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM");
        var data = Path.Combine(Path.GetTempPath(), "ibminfo-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        File.Copy(IbmInfoFactory.MigratedTemplate.Value, Path.Combine(data, "ibminfo.db"));
        try
        {
            var reviewer = Address("rev");
            // Arranged with mail off, so that no check runs before the version is approved.
            var setup = NewApp(data);
            setup.Clock = new FixedClock(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
            await setup.CreateUserAsync(reviewer, ["Reviewer"]);
            await setup.SetStatusAsync("steroids", 1, ReviewStatus.Approved, nextReviewDue: new DateOnly(2027, 3, 13));
            setup.Dispose();

            // The check at start sends the reminder; the next check, on the same due date, finds it recorded.
            var first = NewApp(data);
            first.Clock = new FixedClock(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
            smtp.Configure(first);
            first.CreateClient().Dispose();
            var reminder = Assert.Single(await smtp.WaitForAsync(reviewer));
            Assert.Equal("Re-review due: “Steroids in IBM”, version 1", reminder.Subject);
            Assert.Contains("due on 13 March 2027, in 12 days", SmtpServer.Text(reminder));
            Assert.Contains("https://ibminfo.example/editor/review/steroids/1", SmtpServer.Text(reminder));
            Assert.Equal(0, await RemindAsync(first));
            first.Dispose();

            // The next day, after a restart: nothing new.
            var restarted = NewApp(data);
            restarted.Clock = new FixedClock(new DateTimeOffset(2027, 3, 2, 9, 0, 0, TimeSpan.Zero));
            smtp.Configure(restarted);
            restarted.CreateClient().Dispose();
            Assert.Equal(0, await RemindAsync(restarted));
            restarted.Dispose();

            // Past the due date, the check at start sends the overdue reminder, once.
            var overdue = NewApp(data);
            overdue.Clock = new FixedClock(new DateTimeOffset(2027, 3, 20, 9, 0, 0, TimeSpan.Zero));
            smtp.Configure(overdue);
            overdue.CreateClient().Dispose();
            var messages = await smtp.WaitForAsync(reviewer, 2);
            Assert.Equal("Re-review overdue: “Steroids in IBM”, version 1", messages[1].Subject);
            Assert.Contains("overdue since 13 March 2027", SmtpServer.Text(messages[1]));
            Assert.Equal(0, await RemindAsync(overdue));
            await Task.Delay(500);
            Assert.Equal(2, smtp.MessagesTo(reviewer).Count);
        }
        finally
        {
            foreach (var app in _apps) app.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<int> RemindAsync(IbmInfoFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewNotifications>().SendDueRemindersAsync(default);
    }

    private static async Task CreateWithoutPasswordAsync(IbmInfoFactory app, string email, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>"Submit for review" in the web editor, on the newest version's text with one more paragraph.</summary>
    private static async Task WriteNextVersionAsync(HttpClient editor, string change)
    {
        var (_, page) = await editor.GetPageAsync("/editor/write/steroids");
        var form = page.QuerySelector("#write-form") ?? throw new Xunit.Sdk.XunitException("no writing form");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
            fields[input.GetAttribute("name")!] = input.TagName switch
            {
                "TEXTAREA" => input.TextContent,
                "SELECT" => input.QuerySelector("option[selected]")?.GetAttribute("value") ?? "",
                _ => input.GetAttribute("value") ?? "",
            };
        fields["Form.ChangeNote"] = change;
        fields["Form.Body"] += "\n\n" + change + "\n";
        using var response = await editor.PostAsync("/editor/write/steroids?handler=Submit", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Presses a step's button on the review page (its antiforgery token and the version's stamp), with the note typed.</summary>
    internal static async Task<HttpResponseMessage> StepAsync(HttpClient client, int number, string to, string note = "", string slug = "steroids")
    {
        var url = $"/editor/review/{slug}/{number}";
        var (_, page) = await client.GetPageAsync(url);
        Assert.True(page.QuerySelector($"button[name=to][value={to}]") is not null, $"no '{to}' button on {url}");
        var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["stamp"] = page.QuerySelector("input[name=stamp]")!.GetAttribute("value")!,
            ["to"] = to,
            ["Note"] = note,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{to} on {url}: {(int)response.StatusCode} {(await response.ReadPageAsync()).QuerySelector(".error-summary")?.TextContent}");
        return response;
    }

    public sealed record LogLine(LogEventLevel Level, string Source, string Message);

    /// <summary>The app with every Serilog event it writes kept, to read what it logged.</summary>
    private sealed class LoggedApp(string contentRoot, string? dataDirectory) : IbmInfoFactory(contentRoot, dataDirectory)
    {
        private readonly Sink _sink = new();

        public IReadOnlyList<LogLine> Log => [.. _sink.Lines];

        public async Task<LogLine> WaitForLogAsync(Func<LogLine, bool> match, int seconds = 20)
        {
            var until = DateTime.UtcNow.AddSeconds(seconds);
            while (true)
            {
                if (_sink.Lines.FirstOrDefault(match) is { } line) return line;
                if (DateTime.UtcNow > until)
                    throw new Xunit.Sdk.XunitException($"no such log event within {seconds} s; warnings: " +
                        string.Join(" | ", _sink.Lines.Where(l => l.Level >= LogEventLevel.Warning).Select(l => l.Message)));
                await Task.Delay(100);
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<Serilog.Core.ILogEventSink>(_sink));
        }

        private sealed class Sink : Serilog.Core.ILogEventSink
        {
            public ConcurrentQueue<LogLine> Lines { get; } = new();

            public void Emit(LogEvent logEvent) => Lines.Enqueue(new LogLine(logEvent.Level,
                logEvent.Properties.TryGetValue("SourceContext", out var source) ? source.ToString().Trim('"') : "",
                logEvent.RenderMessage()));
        }
    }
}
