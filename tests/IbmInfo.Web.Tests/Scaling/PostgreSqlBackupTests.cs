using System.Diagnostics;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Npgsql;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// A PostgreSQL site backed up as docs/scaling.md says ("Backups on PostgreSQL"): Debian's <c>pg_dump</c> in its
/// custom format, restored with <c>pg_restore</c> into a new database, holds every review record as it was, and
/// <c>db verify</c> on the restored database verifies with the head hash that was kept.
/// </summary>
public sealed class PostgreSqlBackupTests : IDisposable
{
    private readonly ContentTree _content = new();
    private readonly PostgreSqlApp _site;
    private readonly PostgreSqlApp _restored;

    public PostgreSqlBackupTests()
    {
        _content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids", author: "editor@example.org");
        _content.WriteArticle("steroids", 2, "## Steroids\n\nNo proven benefit; side effects [@cochrane-2015].", title: "Steroids", author: "editor@example.org", change: "Side effects.");
        _content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@praxis-2025].", title: "Preventing falls", author: "editor@example.org");
        _site = new PostgreSqlApp(_content.Root);
        _restored = PostgreSqlApp.OnEmptyDatabase(_content.Root);
    }

    /// <summary>Runs a PostgreSQL client program of the server's own version on the test server; returns all it printed.</summary>
    private static async Task<string> RunClientAsync(string program, string database, params string[] args)
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.PostgreSqlConnectionString(database));
        int versionNumber;
        using (var connection = TestDatabase.Open(database))
        using (var version = new NpgsqlCommand("SHOW server_version_num", connection))
            versionNumber = int.Parse((string)version.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
        var bin = $"/usr/lib/postgresql/{versionNumber / 10000}/bin";
        var start = new ProcessStartInfo(Path.Combine(bin, program)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--host", server.Host!, "--port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", server.Username!, "--dbname", database })
            start.ArgumentList.Add(arg);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (server.Password is string password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var printed = await output + await errors;
        Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {printed}");
        return printed;
    }

    /// <summary>The rows a query returns, each as PostgreSQL writes a row as text.</summary>
    private static List<string> Rows(string database, string sql)
    {
        using var connection = TestDatabase.Open(database);
        using var select = new NpgsqlCommand($"SELECT q::text FROM ({sql}) q", connection);
        using var reader = select.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    private const string TrailSql = "SELECT * FROM \"Transitions\" ORDER BY \"Id\"";
    private const string VersionsSql = "SELECT a.\"Slug\", v.\"Number\", v.\"ContentHash\", v.\"Status\", v.\"ReviewedBy\", v.\"ReviewedAt\" FROM \"Versions\" v JOIN \"Articles\" a ON a.\"Id\" = v.\"ArticleId\" ORDER BY 1, 2";

    [Fact]
    public async Task A_pg_dump_restored_into_a_new_database_holds_every_review_record_and_verifies_with_the_kept_head()
    {
        // A site at work: imported versions, an account, review steps through the workflow, a reader's question.
        await _site.CreateUserAsync("dr.a@example.org", [Roles.Reviewer], "Dr A Reviewer");
        var reviewer = new ReviewActor("dr.a@example.org", "Dr A Reviewer", IsEditor: false, IsReviewer: true);
        await _site.StepAsync("steroids", 1, ReviewStatus.UnderReview, null, reviewer);
        await _site.StepAsync("steroids", 1, ReviewStatus.Approved, "Checked against the Cochrane review.", reviewer);
        await _site.StepAsync("falls", 1, ReviewStatus.UnderReview, null, reviewer);
        await _site.StepAsync("falls", 1, ReviewStatus.ChangesRequested, "Cite the trial.", reviewer);
        var client = _site.NoRedirects();
        var (_, article) = await client.GetPageAsync("/articles/steroids");
        using (var asked = await client.SubmitAsync(article, ".follow-up form", ("name", "Sam"), ("question", "Does a stick help?")))
            Assert.Equal(System.Net.HttpStatusCode.Redirect, asked.StatusCode);
        var (headCode, head) = await _site.RunCommandAsync(null, "db", "verify", "--print-head");
        Assert.True(headCode == 0, head);
        head = head.Trim();

        var dump = Path.Combine(_restored.DataDirectory, "ibminfo.dump");
        Directory.CreateDirectory(_restored.DataDirectory);
        await RunClientAsync("pg_dump", _site.Database, "--format=custom", "--file", dump);
        await RunClientAsync("pg_restore", _restored.Database, "--no-owner", "--exit-on-error", dump);

        var trail = Rows(_site.Database, TrailSql);
        Assert.Equal(7, trail.Count); // three imported versions, four review steps
        Assert.Equal(trail, Rows(_restored.Database, TrailSql));
        var versions = Rows(_site.Database, VersionsSql);
        Assert.Equal(3, versions.Count);
        Assert.Equal(versions, Rows(_restored.Database, VersionsSql));
        Assert.Single(Rows(_restored.Database, "SELECT * FROM \"Questions\" WHERE \"Question\" = 'Does a stick help?'"));
        // Every other row too: accounts, roles, references, the rendered pages.
        var all = TestDatabase.AllRowsAsText(_site.Database);
        all.Sort(StringComparer.Ordinal);
        var restoredAll = TestDatabase.AllRowsAsText(_restored.Database);
        restoredAll.Sort(StringComparer.Ordinal);
        Assert.Equal(all, restoredAll);

        var (verify, verifyOutput) = await _restored.RunCommandAsync(null, "db", "verify", "--expect-head", head);
        Assert.True(verify == 0, verifyOutput);
        Assert.Contains($"head hash {head}", verifyOutput);
        // The restored database still refuses an edit of its trail: the triggers came back with it.
        using var connection = TestDatabase.Open(_restored.Database);
        using var edit = new NpgsqlCommand("UPDATE \"Transitions\" SET \"Note\" = 'Fine.'", connection);
        Assert.Throws<PostgresException>(() => edit.ExecuteNonQuery());
    }

    public void Dispose()
    {
        _site.Dispose();
        _restored.Dispose();
        _restored.Drop();
        _content.Dispose();
    }
}
