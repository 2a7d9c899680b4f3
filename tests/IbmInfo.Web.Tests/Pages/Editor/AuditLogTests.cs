using System.Net;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>The site-wide audit log at <c>/editor/audit</c>, over HTTP: its filters, paging, CSV export and chain check.</summary>
public sealed class AuditLogTests(AuditLogTests.Site site) : SharedAppTest<AuditLogTests.Site>(site)
{
    private const string Formula = "=HYPERLINK(\"http://example.com/x\",\"Click\"), then approve";
    private static readonly DateTimeOffset Imported = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    public sealed class Site : SharedApp
    {
        public MovableClock Calendar { get; } = new(Imported);

        public Site()
        {
            Content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids", author: "editor@example.org");
            Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls", author: "editor@example.org");
            Clock = Calendar;
        }
    }

    public sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Each test starts on the day of the import, as the database the reset puts back was left.</summary>
    public override Task InitializeAsync()
    {
        Shared.Calendar.Now = Imported;
        return base.InitializeAsync();
    }

    /// <summary>Imported on 10 November (the shared app's first start); steroids reviewed on 12 November, falls sent back on 20 November.</summary>
    private async Task<HttpClient> ReviewedAsync()
    {
        var reviewer = new ReviewActor("dr.a@example.org", "Dr A", IsEditor: false, IsReviewer: true);
        Shared.Calendar.Now = new DateTimeOffset(2026, 11, 12, 10, 0, 0, TimeSpan.Zero);
        await App.StepAsync("steroids", 1, ReviewStatus.UnderReview, null, reviewer);
        await App.StepAsync("steroids", 1, ReviewStatus.Approved, Formula, reviewer);
        Shared.Calendar.Now = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        await App.StepAsync("falls", 1, ReviewStatus.UnderReview, null, reviewer);
        await App.StepAsync("falls", 1, ReviewStatus.ChangesRequested, "Cite the trial.\nAnd say \"which\" one.", reviewer);
        return await App.SignedInAsync("dr.b@example.org", Roles.Reviewer);
    }

    private static List<string[]> Rows(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll(".audit-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_sign_in()
    {
        var client = App.CreateBrowser();
        foreach (var url in new[] { "/editor/audit", "/editor/audit?handler=csv" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/sign-in?returnUrl=", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task Every_step_is_listed_newest_first_with_its_hash_and_a_link_to_its_review_page_and_the_chain_verifies()
    {
        var client = await ReviewedAsync();
        var (status, page) = await client.GetPageAsync("/editor/audit");
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Contains("The review trail verifies: 6 entries", page.Text(".audit-chain"));
        var rows = Rows(page);
        Assert.Equal("Under review → Changes requested", rows[0][1]);
        Assert.Equal("falls version 1", rows[0][2]);
        Assert.Equal("dr.a@example.org", rows[0][3]);
        Assert.Equal(6, rows.Count(r => r[1].Contains('→')));
        Assert.Contains(rows, r => r[1].StartsWith("Import:", StringComparison.Ordinal));
        var newest = (await App.VersionAsync("falls", 1)).Transitions.OrderBy(t => t.Id).Last();
        Assert.Equal(newest.Hash[..12], rows[0][5]);
        Assert.Equal("/editor/review/falls/1", page.QuerySelector(".audit-table tbody tr a")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("nav.editor-nav a[href='/editor/audit']"));
    }

    [Theory]
    [InlineData("?article=falls", 3)]
    [InlineData("?step=Approved", 1)]
    [InlineData("?person=DR.A", 4)]
    [InlineData("?from=2026-11-12&to=2026-11-12", 2)]
    [InlineData("?article=steroids&step=UnderReview&from=2026-11-11", 1)]
    [InlineData("?from=2026-11-21", 0)]
    public async Task The_filters_narrow_the_steps_shown(string query, int steps)
    {
        var client = await ReviewedAsync();
        var (_, page) = await client.GetPageAsync("/editor/audit" + query);

        var rows = Rows(page);
        Assert.Equal(steps, rows.Count);
        Assert.All(rows, r => Assert.Contains('→', r[1]));
        Assert.Contains(steps == 1 ? "1 entry" : $"{steps} entries", page.Text(".audit-count"));
    }

    [Fact]
    public async Task The_csv_holds_exactly_the_filtered_rows_quoted_and_with_formulas_neutralised()
    {
        var client = await ReviewedAsync();
        var (_, page) = await client.GetPageAsync("/editor/audit?article=steroids");
        var link = page.QuerySelector(".audit-count a")!.GetAttribute("href")!;
        Assert.Equal("/editor/audit?handler=csv&article=steroids", link);

        using var response = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("audit-log.csv", response.Content.Headers.ContentDisposition!.ToString());
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var records = CsvText.Parse(text);

        Assert.Equal(["When (UTC)", "Kind", "Article", "Version", "Step", "By", "Note", "Entry", "Content hash", "Entry hash"], records[0]);
        Assert.Equal(4, records.Count); // the heading and steroids' three steps
        var approved = records.Single(r => r[4] == "Under review → Approved");
        Assert.Equal("'" + Formula, approved[6]);
        Assert.Equal("2026-11-12T10:00:00.0000000Z", approved[0]);
        var version = await App.VersionAsync("steroids", 1);
        var entry = version.Transitions.Single(t => t.To == ReviewStatus.Approved);
        Assert.Equal((entry.Id.ToString(), version.ContentHash, entry.Hash), (approved[7], approved[8], approved[9]));
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.com/x\"\",\"\"Click\"\"), then approve\"", text);
        Assert.DoesNotContain(records.Skip(1).SelectMany(r => r), cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@');

        using var all = await client.GetAsync("/editor/audit?handler=csv&person=dr.a");
        var allRecords = CsvText.Parse(await all.Content.ReadAsStringAsync());
        Assert.Equal(5, allRecords.Count);
        Assert.Contains(allRecords, r => r[6] == "Cite the trial.\nAnd say \"which\" one.");
    }

    [Fact]
    public async Task Entries_are_paged_fifty_at_a_time_and_several_added_in_one_save_are_chained_in_order()
    {
        var client = await ReviewedAsync();
        await App.WithDbAsync(async db =>
        {
            var version = await db.Versions.SingleAsync(v => v.Article.Slug == "falls" && v.Number == 1);
            for (var i = 0; i < 54; i++)
                db.Transitions.Add(new ReviewTransition { VersionId = version.Id, From = ReviewStatus.ChangesRequested, To = ReviewStatus.ChangesRequested, By = "dr.a@example.org", At = new DateTime(2026, 11, 21, 9, 0, i, DateTimeKind.Utc), Note = $"Reminder {i}" });
            await db.SaveChangesAsync();
        });

        var (_, first) = await client.GetPageAsync("/editor/audit?article=falls");
        Assert.Equal(50, Rows(first).Count);
        Assert.Equal("Reminder 53", Rows(first)[0][4]);
        Assert.Contains("57 entries, page 1 of 2", first.Text(".audit-count"));
        Assert.Contains("The review trail verifies: 60 entries", first.Text(".audit-chain"));
        var older = first.QuerySelector(".audit-pages a[rel=next]")!.GetAttribute("href")!;
        Assert.Equal("/editor/audit?article=falls&p=2", older);

        var (_, second) = await client.GetPageAsync(older);
        Assert.Equal(["Reminder 3", "Reminder 2", "Reminder 1", "Reminder 0"], Rows(second).Take(4).Select(r => r[4]).ToArray());
        Assert.Equal(7, Rows(second).Count);
    }

    [Fact]
    public async Task A_forged_entry_shows_the_chain_broken_and_the_row_that_no_longer_matches()
    {
        var client = await ReviewedAsync();
        var entry = (await App.VersionAsync("steroids", 1)).Transitions.Single(t => t.To == ReviewStatus.Approved);
        TestDatabase.ExecuteBehindTheAppsBack(App,
            ReviewTrailSql.DropTriggers + "UPDATE Transitions SET Note = 'Checked.' WHERE \"To\" = 'Approved';",
            ReviewTrailSql.PostgreSqlDropTriggers + "UPDATE \"Transitions\" SET \"Note\" = 'Checked.' WHERE \"To\" = 'Approved';");

        var (_, page) = await client.GetPageAsync("/editor/audit");

        Assert.Contains("The review trail does not verify", page.Text(".audit-chain"));
        Assert.Contains($"entry {entry.Id} (steroids version 1, UnderReview → Approved", page.Text(".audit-chain"));
        var forged = Rows(page).Single(r => r[4] == "Checked.");
        Assert.Contains("does not match", forged[5]);
        Assert.Single(Rows(page), r => r[5].Contains("does not match"));
    }
}
