using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>
/// The review trail's two promises on whichever database the tests run on (this namespace runs on SQLite and again on
/// PostgreSQL): reviewers saving at the same moment form one chain, never a fork, and the database itself refuses to
/// change or delete an entry, through the app and through plain SQL.
/// </summary>
public sealed class ReviewTrailOnEachProviderTests : AppTest
{
    private const string Reviewer = "dr.a@example.org";

    public ReviewTrailOnEachProviderTests()
    {
        for (var i = 0; i < 8; i++) Content.WriteArticle($"topic-{i}", 1, $"## Topic {i}\n\nText [@cochrane-2015].", author: "editor@example.org");
    }

    private async Task<List<ReviewTransition>> TrailAsync()
    {
        var trail = new List<ReviewTransition>();
        await App.WithDbAsync(async db => trail.AddRange(await db.Transitions.AsNoTracking().OrderBy(t => t.Id).ToListAsync()));
        return trail;
    }

    [Fact]
    public async Task Steps_saved_at_the_same_moment_by_different_reviewers_form_one_chain()
    {
        await App.CreateUserAsync(Reviewer, [Roles.Reviewer]);
        var reviewer = new ReviewActor(Reviewer, "Dr A Reviewer", IsEditor: false, IsReviewer: true);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => App.StepAsync($"topic-{i}", 1, ReviewStatus.UnderReview, null, reviewer))));

        var trail = await TrailAsync();
        Assert.Equal(16, trail.Count); // eight imports, eight steps
        Assert.Equal(ReviewTrail.Genesis, trail[0].PreviousHash);
        for (var i = 1; i < trail.Count; i++) Assert.Equal(trail[i - 1].Hash, trail[i].PreviousHash);
        TrailReport? report = null;
        await App.WithDbAsync(async db => report = await ReviewTrailCheck.RunAsync(db));
        Assert.True(report!.Verifies, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task The_database_refuses_to_update_or_delete_an_entry_through_the_app_and_through_plain_sql()
    {
        await App.StepAsync("topic-0", 1, ReviewStatus.UnderReview);
        var before = await TrailAsync();

        await App.WithDbAsync(async db =>
        {
            var entry = await db.Transitions.SingleAsync(t => t.To == ReviewStatus.UnderReview);
            entry.Note = "rewritten";
            var updated = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains(ReviewTrailSql.AppendOnly, updated.InnerException!.Message);
            db.ChangeTracker.Clear();
            db.Transitions.Remove(await db.Transitions.FirstAsync());
            var deleted = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains(ReviewTrailSql.AppendOnly, deleted.InnerException!.Message);
        });
        foreach (var (sqlite, postgreSql) in new[]
        {
            ("UPDATE Transitions SET Note = 'rewritten'", "UPDATE \"Transitions\" SET \"Note\" = 'rewritten'"),
            ("DELETE FROM Transitions", "DELETE FROM \"Transitions\""),
            ("DELETE FROM Transitions", "TRUNCATE \"Transitions\" CASCADE"),
        })
        {
            var refused = Assert.ThrowsAny<System.Data.Common.DbException>(() => TestDatabase.ExecuteBehindTheAppsBack(App, sqlite, postgreSql));
            Assert.Contains(ReviewTrailSql.AppendOnly, refused.Message);
        }

        var after = await TrailAsync();
        Assert.Equal(before.Select(t => (t.Id, t.Note, t.Hash)), after.Select(t => (t.Id, t.Note, t.Hash)));
    }
}
