using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// The tamper-evident review trail: the database refuses to change or delete an entry, the hash chain holds over a
/// realistic run of imports and review steps, and <c>db verify</c> (the built dll, in its own process) names the first
/// entry that no longer matches after the database file is edited behind the app's back with plain SQL.
/// </summary>
public sealed class ReviewTrailTests(ReviewTrailTests.Site site) : SharedAppTest<ReviewTrailTests.Site>(site)
{
    private const string Reviewer = "dr.a@example.org";

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids", author: "editor@example.org");
            Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls", author: "editor@example.org");
        }
    }

    private Task<(int ExitCode, string Output)> VerifyAsync(params string[] options) => App.RunCommandAsync(null, ["db", "verify", .. options]);

    /// <summary>A month of an editorial team's work: import, start review, approve, request changes, a new version imported.</summary>
    private async Task WorkAsync()
    {
        await App.CreateUserAsync(Reviewer, [Roles.Reviewer], "Dr A Reviewer");
        string? id = null;
        await App.WithDbAsync(async db => id = (await db.Users.SingleAsync(u => u.Email == Reviewer)).Id);
        var reviewer = new ReviewActor(Reviewer, "Dr A Reviewer", IsEditor: false, IsReviewer: true, id);
        await App.StepAsync("steroids", 1, ReviewStatus.UnderReview, null, reviewer);
        await App.StepAsync("steroids", 1, ReviewStatus.Approved, "Checked against the Cochrane review.", reviewer);
        await App.StepAsync("falls", 1, ReviewStatus.UnderReview, null, reviewer);
        await App.StepAsync("falls", 1, ReviewStatus.ChangesRequested, "Cite the trial, and say \"which\" one.", reviewer);
        Content.WriteArticle("falls", 2, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015; @praxis-2025].", title: "Preventing falls", author: "editor@example.org");
        await App.SyncAsync();
    }

    private async Task<List<ReviewTransition>> TrailAsync()
    {
        var trail = new List<ReviewTransition>();
        await App.WithDbAsync(async db => trail.AddRange(await db.Transitions.AsNoTracking().Include(t => t.Version).ThenInclude(v => v.Article).OrderBy(t => t.Id).ToListAsync()));
        return trail;
    }

    private SqliteConnection OpenFile()
    {
        var connection = new SqliteConnection($"Data Source={App.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Sql(string sql)
    {
        using var connection = OpenFile();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An edit as an attacker holding the file would make it: the triggers dropped first.</summary>
    private void Forge(string sql) => Sql(ReviewTrailSql.DropTriggers + sql);

    private static string Entry(ReviewTransition t) => $"entry {t.Id} ({t.Version.Article.Slug} version {t.Version.Number}, {t.From?.ToString() ?? "new"} → {t.To}";

    [Fact]
    public async Task The_chain_verifies_after_imports_and_review_steps_and_each_entry_records_who_and_the_text_they_saw()
    {
        await WorkAsync();
        var trail = await TrailAsync();

        Assert.Equal(7, trail.Count);
        Assert.Equal(ReviewTrail.Genesis, trail[0].PreviousHash);
        for (var i = 1; i < trail.Count; i++) Assert.Equal(trail[i - 1].Hash, trail[i].PreviousHash);
        Assert.All(trail, t => Assert.Equal(ReviewTrail.HashOf(t, t.Version.Article.Slug, t.Version.Number), t.Hash));
        Assert.All(trail, t => Assert.Equal(t.Version.ContentHash, t.ContentHash));
        Assert.Equal(trail.Count, trail.Select(t => t.Hash).Distinct().Count());
        var approved = Assert.Single(trail, t => t.To == ReviewStatus.Approved);
        Assert.Equal((Reviewer, approved.Version.ContentHash), (approved.By, approved.ContentHash));
        Assert.NotNull(approved.ById);
        Assert.All(trail.Where(t => t.From is null), t => Assert.Equal(t.Version.SubmittedById, t.ById));

        var (code, output) = await VerifyAsync();

        Assert.True(code == 0, output);
        Assert.Contains($"The review trail verifies: 7 entries", output);
        Assert.Contains(trail[^1].Hash, output);
    }

    [Fact]
    public async Task Steps_saved_at_the_same_moment_by_different_reviewers_form_one_chain()
    {
        for (var i = 0; i < 8; i++) Content.WriteArticle($"topic-{i}", 1, $"## Topic {i}\n\nText [@cochrane-2015].", author: "editor@example.org");
        await App.SyncAsync();
        await App.CreateUserAsync(Reviewer, [Roles.Reviewer]);
        var reviewer = new ReviewActor(Reviewer, "Dr A Reviewer", IsEditor: false, IsReviewer: true);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => App.StepAsync($"topic-{i}", 1, ReviewStatus.UnderReview, null, reviewer))));

        var trail = await TrailAsync();
        Assert.Equal(18, trail.Count);
        Assert.Equal(trail.Count, trail.Select(t => t.PreviousHash).Distinct().Count());
        TrailReport? report = null;
        await App.WithDbAsync(async db => report = await ReviewTrailCheck.RunAsync(db));
        Assert.True(report!.Verifies, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task The_database_refuses_to_update_or_delete_an_entry_through_ef_and_through_plain_sql()
    {
        await WorkAsync();
        var before = await TrailAsync();

        await App.WithDbAsync(async db =>
        {
            var entry = await db.Transitions.SingleAsync(t => t.To == ReviewStatus.Approved);
            entry.By = "mallory@example.org";
            var updated = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains("append-only", updated.InnerException!.Message);
            db.ChangeTracker.Clear();
            db.Transitions.Remove(await db.Transitions.FirstAsync());
            var deleted = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains("append-only", deleted.InnerException!.Message);
        });
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => Sql("UPDATE Transitions SET Note = 'rewritten'")).Message);
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => Sql("DELETE FROM Transitions")).Message);
        // A version cannot be deleted from under its trail either.
        Assert.Throws<SqliteException>(() => Sql("PRAGMA foreign_keys = ON; DELETE FROM Versions"));

        var after = await TrailAsync();
        Assert.Equal(before.Select(t => (t.Id, t.By, t.Note, t.Hash)), after.Select(t => (t.Id, t.By, t.Note, t.Hash)));
        Assert.Equal(0, (await VerifyAsync()).ExitCode);
    }

    [Fact]
    public async Task A_forged_approver_is_named_by_db_verify_even_when_the_version_was_changed_to_match()
    {
        await WorkAsync();
        var approved = (await TrailAsync()).Single(t => t.To == ReviewStatus.Approved);
        Forge("UPDATE Transitions SET By = 'mallory@example.org' WHERE \"To\" = 'Approved'; UPDATE Versions SET ReviewedBy = 'mallory@example.org' WHERE Status = 'Approved';");

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains("The review trail does NOT verify", output);
        Assert.Contains(Entry(approved), output);
        Assert.Contains("its hash does not match", output);
    }

    [Theory]
    [InlineData("UPDATE Transitions SET Note = 'Fine as it is.' WHERE \"To\" = 'ChangesRequested'", "ChangesRequested")]
    [InlineData("UPDATE Transitions SET At = '2026-01-01 09:00:00' WHERE \"To\" = 'Approved'", "Approved")]
    [InlineData("UPDATE Transitions SET \"To\" = 'Approved' WHERE \"To\" = 'ChangesRequested'; UPDATE Versions SET Status = 'Approved', ReviewedBy = 'dr.a@example.org' WHERE Status = 'ChangesRequested'", "ChangesRequested")]
    public async Task A_changed_note_time_or_step_is_named_by_db_verify(string forgery, string step)
    {
        await WorkAsync();
        var forged = (await TrailAsync()).Single(t => t.To.ToString() == step);
        Forge(forgery);

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains($"entry {forged.Id} ({forged.Version.Article.Slug} version {forged.Version.Number}", output);
        Assert.Contains("its hash does not match", output);
    }

    [Fact]
    public async Task A_deleted_entry_is_found_at_the_entry_after_it()
    {
        await WorkAsync();
        var trail = await TrailAsync();
        var removed = trail.Single(t => t.To == ReviewStatus.UnderReview && t.Version.Article.Slug == "falls");
        var next = trail[trail.IndexOf(removed) + 1];
        Forge($"DELETE FROM Transitions WHERE Id = {removed.Id}");

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains($"NOT verify ({App.DatabasePath}): {Entry(next)}", output);
        Assert.Contains($"does not follow entry {removed.Id - 1}", output);
    }

    [Fact]
    public async Task An_inserted_entry_is_named_by_db_verify()
    {
        await WorkAsync();
        var trail = await TrailAsync();
        var falls = trail.First(t => t.Version.Article.Slug == "falls");
        Forge($"""
            INSERT INTO Transitions (VersionId, "From", "To", By, At, Note, ContentHash, PreviousHash, Hash)
            VALUES ({falls.VersionId}, 'ChangesRequested', 'Approved', 'mallory@example.org', '2026-12-01 10:00:00', '', '{falls.ContentHash}', '{trail[^1].Hash}', '{new string('a', 64)}');
            """);

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains($"entry {trail[^1].Id + 1} (falls version 1, ChangesRequested → Approved", output);
    }

    [Fact]
    public async Task A_changed_content_hash_or_text_of_a_version_is_found()
    {
        await WorkAsync();
        var trail = await TrailAsync();
        var approved = trail.Single(t => t.To == ReviewStatus.Approved);
        var submitted = trail.First(t => t.VersionId == approved.VersionId);
        var fakeHash = new string('b', 64);
        Forge($"UPDATE Versions SET ContentHash = '{fakeHash}' WHERE Id = {approved.VersionId}");

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains($"NOT verify ({App.DatabasePath}): {Entry(submitted)}", output);
        Assert.Contains($"the version's content hash is now {fakeHash[..12]}", output);

        Forge($"UPDATE Versions SET ContentHash = '{approved.ContentHash}', Markdown = Markdown || 'Steroids cure IBM.' WHERE Id = {approved.VersionId}");
        (code, output) = await VerifyAsync();
        Assert.True(code == 1, output);
        Assert.Contains("version 1 of steroids: its stored text does not hash to its content hash", output);
    }

    [Fact]
    public async Task A_status_set_behind_the_trails_back_is_found()
    {
        await WorkAsync();
        Forge("UPDATE Versions SET Status = 'Approved', ReviewedBy = 'dr.a@example.org' WHERE Status = 'Submitted'");

        var (code, output) = await VerifyAsync();

        Assert.True(code == 1, output);
        Assert.Contains("version 2 of falls: it is Approved, but its last trail entry", output);
    }

    [Fact]
    public async Task The_head_hash_kept_elsewhere_is_printed_and_checked()
    {
        await WorkAsync();
        var head = (await TrailAsync())[^1].Hash;

        var (code, output) = await VerifyAsync("--print-head");
        Assert.True(code == 0, output);
        Assert.Equal(head, output.Trim().Split('\n')[^1].Trim());

        Assert.Equal(0, (await VerifyAsync("--expect-head", head)).ExitCode);
        (code, output) = await VerifyAsync("--expect-head", new string('c', 64));
        Assert.True(code == 1, output);
        Assert.Contains("kept as the trail's head", output);
    }

    [Fact]
    public async Task Entries_stored_before_the_chain_are_chained_by_the_migration()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibminfo-trail-backfill-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteIbmInfoDb>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using (var db = new SqliteIbmInfoDb(options))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261201205324_KeyPointsAndUrgentHelp");
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO Articles (Id, Slug, Kind, "Order") VALUES (1, 'steroids', 'Article', 0);
                    INSERT INTO Versions (Id, ArticleId, Number, SourceFile, ContentHash, Markdown, Origin, Title, Summary, Date, ChangeNote, SubmittedBy, SubmittedAt, Status, StatusChangedAt, UrgentHelp, ConcurrencyStamp)
                    VALUES (1, 1, 1, 'articles/steroids/1.md', 'ab8b7a2e1f4c6f1f6ad1e54ac26c8ac0a51f6d06bb1c0b0d27ea0d6a7c6d2c11', NULL, 'ContentFolder', 'Steroids', 'S', '2026-11-01', 'First.', 'editor@example.org', '2026-11-01 09:00:00', 'UnderReview', '2026-11-02 09:00:00', 0, '00000000-0000-0000-0000-000000000001');
                    INSERT INTO Transitions (Id, VersionId, "From", "To", By, At, Note) VALUES
                        (1, 1, NULL, 'Submitted', 'editor@example.org', '2026-11-01 09:00:00', 'Imported.'),
                        (2, 1, 'Submitted', 'UnderReview', 'dr.a@example.org', '2026-11-02 09:00:00.1234567', '');
                    """);
                await db.Database.MigrateAsync();
            }
            await using (var db = new SqliteIbmInfoDb(options))
            {
                var trail = await db.Transitions.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
                Assert.Equal(ReviewTrail.Genesis, trail[0].PreviousHash);
                Assert.Equal(trail[0].Hash, trail[1].PreviousHash);
                Assert.All(trail, t => Assert.Equal(ReviewTrail.HashOf(t, "steroids", 1), t.Hash));
                Assert.All(trail, t => Assert.Equal("ab8b7a2e1f4c6f1f6ad1e54ac26c8ac0a51f6d06bb1c0b0d27ea0d6a7c6d2c11", t.ContentHash));
                var report = await ReviewTrailCheck.RunAsync(db);
                Assert.True(report.Verifies, string.Join("\n", report.Problems));
                Assert.Equal((2, trail[1].Hash), (report.Entries, report.HeadHash));
                Assert.Contains("append-only", (await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM Transitions"))).Message);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
