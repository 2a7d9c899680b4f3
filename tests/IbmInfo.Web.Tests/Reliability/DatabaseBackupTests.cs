using System.Diagnostics;
using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// <c>db backup --to FILE</c>, run on the built dll while the site runs: the copy, opened as the site's database,
/// holds every review step, approval, account, question and feedback answer exactly as they were.
/// </summary>
public sealed class DatabaseBackupTests : AppTest
{
    // Inside the app's data folder, so it is deleted with it.
    private string BackupFile => Path.Combine(App.DataDirectory, "backups", "nightly", "ibminfo-backup.db");

    public DatabaseBackupTests()
    {
        Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls", author: "editor@example.org");
        Content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids", author: "editor@example.org");
    }

    private Task<(int ExitCode, string Output)> BackupAsync(params string[] options) => App.RunCommandAsync(null, ["db", "backup", .. options]);

    private Task ReviewAsync(string slug, ReviewStatus to, string? note, ReviewActor actor) => App.StepAsync(slug, 1, to, note, actor);

    /// <summary>Every record the backup must keep, as text, in a fixed order.</summary>
    private static async Task<List<string>> RecordsAsync(IbmInfoFactory app)
    {
        var records = new List<string>();
        await app.WithDbAsync(async db =>
        {
            records.AddRange((await db.Transitions.AsNoTracking().OrderBy(t => t.Id)
                .Select(t => new { t.Id, t.VersionId, t.From, t.To, t.By, t.At, t.Note }).ToListAsync()).Select(r => $"{r}"));
            records.AddRange((await db.Versions.AsNoTracking().OrderBy(v => v.Id)
                .Select(v => new { v.Id, v.Article.Slug, v.Number, v.ContentHash, v.Status, v.StatusChangedAt, v.SubmittedBy, v.ReviewedBy, v.ReviewedByName, v.ReviewedAt, v.NextReviewDue, v.ConcurrencyStamp })
                .ToListAsync()).Select(r => $"{r}"));
            records.AddRange((await db.Questions.AsNoTracking().OrderBy(q => q.Id)
                .Select(q => new { q.Id, q.ArticleId, q.VersionNumber, q.Name, q.Question, q.AskedAt, q.Handled, q.HandledBy, q.HandledAt }).ToListAsync()).Select(r => $"{r}"));
            records.AddRange((await db.Feedback.AsNoTracking().OrderBy(f => f.Id)
                .Select(f => new { f.Id, f.ArticleId, f.VersionNumber, f.Useful, f.At }).ToListAsync()).Select(r => $"{r}"));
            records.AddRange((await db.Users.AsNoTracking().OrderBy(u => u.Id)
                .Select(u => new { u.Id, u.Email, u.PasswordHash, u.SecurityStamp }).ToListAsync()).Select(r => $"{r}"));
        });
        return records;
    }

    [Fact]
    public async Task A_backup_taken_while_the_site_runs_restores_every_review_record_account_question_and_feedback_answer()
    {
        var client = App.NoRedirects();
        await App.CreateUserAsync("dr.a@example.org", [Roles.Reviewer], "Dr A Reviewer");
        var reviewer = new ReviewActor("dr.a@example.org", "Dr A Reviewer", IsEditor: false, IsReviewer: true);
        await ReviewAsync("falls", ReviewStatus.UnderReview, null, reviewer);
        await ReviewAsync("falls", ReviewStatus.Approved, "Checked against the Cochrane review.", reviewer);
        await ReviewAsync("steroids", ReviewStatus.ChangesRequested, "Say which trials.", reviewer);
        var (_, article) = await client.GetPageAsync("/articles/falls");
        for (var i = 0; i < 3; i++)
        {
            using var asked = await client.SubmitAsync(article, ".follow-up form", ("name", $"Reader {i}"), ("question", $"Question {i}: does a stick help?"));
            Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
            using var answered = await client.SubmitAsync(article, ".page-feedback form", ("useful", i == 0 ? "no" : "yes"));
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }
        await App.WithDbAsync(async db =>
        {
            var first = await db.Questions.OrderBy(q => q.Id).FirstAsync();
            (first.Handled, first.HandledBy, first.HandledAt) = (true, "dr.a@example.org", new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc));
            await db.SaveChangesAsync();
        });
        var original = await RecordsAsync(App);

        var (code, output) = await BackupAsync("--to", BackupFile);

        Assert.True(code == 0, output);
        Assert.Contains($"to {BackupFile}", output);
        Assert.True(output.Contains("5 review transitions, 2 versions (1 approved), 3 reader questions, 3 feedback answers, 2 accounts", StringComparison.Ordinal), output);
        Assert.False(File.Exists(BackupFile + "-wal"));

        using var restored = new IbmInfoFactory(Content.Root);
        restored.Settings["ConnectionStrings:IbmInfo"] = $"Data Source={BackupFile}";
        var restoredClient = restored.CreateBrowser();
        await WaitUntilHealthyAsync(restoredClient);
        Assert.Equal(original, await RecordsAsync(restored));
        var (_, falls) = await restoredClient.GetPageAsync("/articles/falls");
        Assert.Contains("Dr A Reviewer", falls.Text("main"));
        using var signIn = await restoredClient.SignInAsync("dr.a@example.org");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/editor/my-work", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_force_is_given()
    {
        App.CreateClient().Dispose();
        Directory.CreateDirectory(Path.GetDirectoryName(BackupFile)!);
        await File.WriteAllTextAsync(BackupFile, "yesterday's backup");

        var (refused, refusal) = await BackupAsync("--to", BackupFile);

        Assert.Equal(1, refused);
        Assert.Contains("already exists", refusal);
        Assert.Contains("--force", refusal);
        Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(BackupFile));

        var (forced, output) = await BackupAsync("--to", BackupFile, "--force");

        Assert.True(forced == 0, output);
        Assert.Equal("2", DatabaseSnapshot.Scalar(BackupFile, "SELECT count(*) FROM Versions"));
        Assert.False(File.Exists(BackupFile + ".partial"));
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var health = await client.GetAsync("/healthz");
            if (health.StatusCode == HttpStatusCode.OK) return;
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the restored site did not become healthy");
            await Task.Delay(50);
        }
    }
}
