using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// Running the site on PostgreSQL as an operator deploys it: <c>db migrate</c> as the deploy step, a node that refuses
/// a database missing a migration, settings that are wrong said plainly, and the commands an operator runs (accounts,
/// content import and export, <c>db verify</c>, <c>db backup</c>) working on, or refusing, a PostgreSQL database. The
/// commands run inside the test process, through the code the published app runs, and the test reads what they print;
/// the site's own start, the settings a process refuses and one <c>content import</c> run the built dll in a process of
/// its own, as an operator would.
/// </summary>
public sealed class DeployStepTests : IDisposable
{
    private readonly ContentTree _content = new();
    private readonly List<PostgreSqlApp> _apps = [];

    public DeployStepTests()
    {
        _content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids", author: "editor@example.org");
        _content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls", author: "editor@example.org");
    }

    private PostgreSqlApp OnEmptyDatabase() => Keep(PostgreSqlApp.OnEmptyDatabase(_content.Root));

    private PostgreSqlApp Keep(PostgreSqlApp app)
    {
        _apps.Add(app);
        return app;
    }

    /// <summary>The app's migrations for PostgreSQL, as the build holds them.</summary>
    private static List<string> Migrations()
    {
        var options = new DbContextOptionsBuilder<PostgreSqlIbmInfoDb>().UseNpgsql("Host=localhost;Database=unused").Options;
        using var db = new PostgreSqlIbmInfoDb(options);
        return db.Database.GetMigrations().ToList();
    }

    /// <summary>What a stack trace prints: frames ("   at …") or the runtime's "Unhandled exception".</summary>
    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task Db_migrate_on_an_empty_database_creates_the_schema_naming_each_migration_then_finds_nothing_to_apply()
    {
        var app = OnEmptyDatabase();
        Assert.Empty(app.Tables());

        var (code, output) = await app.RunCommandAsync(null, "db", "migrate");

        Assert.True(code == 0, output);
        var migrations = Migrations();
        Assert.NotEmpty(migrations);
        Assert.Contains($"Applied {migrations.Count} migration(s): {string.Join(", ", migrations)}.", output);
        Assert.DoesNotContain("ERR", output);
        Assert.Contains("Transitions", app.Tables());
        Assert.Contains("Versions", app.Tables());
        Assert.Contains("__EFMigrationsHistory", app.Tables());

        var (again, againOutput) = await app.RunCommandAsync(null, "db", "migrate");
        Assert.True(again == 0, againOutput);
        Assert.Contains("The database is up to date: no migration to apply.", againOutput);
    }

    [Fact]
    public async Task A_node_with_migrate_at_start_off_refuses_an_unmigrated_database_naming_db_migrate_and_starts_once_it_has_run()
    {
        var app = OnEmptyDatabase();
        app.CommandSettings.Add(("Database:MigrateAtStart", "false"));
        app.CommandSettings.Add(("Urls", "http://127.0.0.1:0"));

        var (code, output) = await app.RunCommandProcessAsync(null); // no command: the site itself starts

        Assert.True(code == 1, output);
        Assert.Contains("FTL", output);
        Assert.Contains("The site cannot start: The database has not had", output);
        Assert.Contains("run `IbmInfo.Web db migrate` once (a deploy step)", output);
        AssertNoStackTrace(output);
        Assert.Empty(app.Tables()); // a node that refuses changes nothing

        Assert.Equal(0, (await app.RunCommandAsync(null, "db", "migrate")).ExitCode);
        // The same node, started in the test host this time, now serves the site: the deploy step was all it lacked.
        app.Settings["Database:MigrateAtStart"] = "false";
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/articles/steroids")).StatusCode);
    }

    public static TheoryData<string, string?, string> WrongSettings => new()
    {
        { "Oracle", "Host=127.0.0.1;Database=ibminfo", "Database:Provider is \"Oracle\": it must be Sqlite (the default) or PostgreSql." },
        { "PostgreSql", "Data Source=data/ibminfo.db", "Database:Provider is PostgreSql, but ConnectionStrings:IbmInfo names a SQLite file (Data Source=…)" },
        { "PostgreSql", "", "Database:Provider is PostgreSql, so ConnectionStrings:IbmInfo must be set" },
        { "PostgreSql", "Host=127.0.0.1", "ConnectionStrings:IbmInfo must name the PostgreSQL server (Host=…) and the database (Database=…)." },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public async Task A_wrong_provider_or_connection_string_stops_the_site_and_every_command_with_the_setting_to_fix(string provider, string? connectionString, string message)
    {
        var app = OnEmptyDatabase();
        app.CommandSettings.Add(("Database:Provider", provider));
        app.CommandSettings.Add(("ConnectionStrings:IbmInfo", connectionString ?? ""));
        app.CommandSettings.Add(("Urls", "http://127.0.0.1:0"));

        foreach (var args in new[] { Array.Empty<string>(), ["db", "verify"] }) // the site, and a command
        {
            var (code, output) = await app.RunCommandProcessAsync(null, args);
            Assert.True(code == 1, $"{string.Join(' ', args)}: {output}");
            Assert.Contains(message, output);
            AssertNoStackTrace(output);
        }
    }

    [Fact]
    public async Task Accounts_content_import_and_export_and_db_verify_work_on_postgresql_and_db_backup_points_at_pg_dump()
    {
        var app = OnEmptyDatabase();
        Assert.Equal(0, (await app.RunCommandAsync(null, "db", "migrate")).ExitCode);

        var (import, importOutput) = await app.RunCommandProcessAsync(null, "content", "import");
        Assert.True(import == 0, importOutput);
        var (add, addOutput) = await app.RunCommandAsync(Editorial.Password, "users", "add", "--email", "dr.a@example.org", "--role", "Reviewer", "--name", "Dr A Reviewer");
        Assert.True(add == 0, addOutput);
        var (list, listOutput) = await app.RunCommandAsync(null, "users", "list");
        Assert.True(list == 0, listOutput);
        Assert.Contains("dr.a@example.org\tDr A Reviewer\tReviewer", listOutput);

        var exported = Path.Combine(app.DataDirectory, "export");
        var (export, exportOutput) = await app.RunCommandAsync(null, "content", "export", "--to", exported);
        Assert.True(export == 0, exportOutput);
        Assert.True(File.Exists(Path.Combine(exported, "articles", "steroids", "1.md")), exportOutput);

        var (verify, verifyOutput) = await app.RunCommandAsync(null, "db", "verify");
        Assert.True(verify == 0, verifyOutput);
        Assert.Contains($"entries in the database {app.Database} on 127.0.0.1", verifyOutput);

        var backupFile = Path.Combine(app.DataDirectory, "backup.db");
        var (backup, backupOutput) = await app.RunCommandAsync(null, "db", "backup", "--to", backupFile);
        Assert.True(backup == 2, backupOutput);
        Assert.Contains("this site uses PostgreSQL, so nothing was written. Back it up with pg_dump", backupOutput);
        Assert.False(File.Exists(backupFile));
        Assert.False(File.Exists(backupFile + ".partial"));
        AssertNoStackTrace(backupOutput);
    }

    [Fact]
    public async Task Db_verify_on_postgresql_names_the_entry_changed_behind_the_apps_back()
    {
        var app = Keep(new PostgreSqlApp(_content.Root));
        await app.CreateUserAsync("dr.a@example.org", [Roles.Reviewer], "Dr A Reviewer");
        var reviewer = new ReviewActor("dr.a@example.org", "Dr A Reviewer", IsEditor: false, IsReviewer: true);
        await app.StepAsync("steroids", 1, ReviewStatus.UnderReview, null, reviewer);
        await app.StepAsync("steroids", 1, ReviewStatus.Approved, "Checked against the Cochrane review.", reviewer);
        await app.StepAsync("falls", 1, ReviewStatus.UnderReview, null, reviewer);
        await app.StepAsync("falls", 1, ReviewStatus.ChangesRequested, "Cite the trial.", reviewer);

        var (code, output) = await app.RunCommandAsync(null, "db", "verify");
        Assert.True(code == 0, output);
        Assert.Contains("The review trail verifies: 6 entries", output);

        ReviewTransition forged = null!;
        await app.WithDbAsync(async db => forged = await db.Transitions.Include(t => t.Version).ThenInclude(v => v.Article)
            .SingleAsync(t => t.To == ReviewStatus.ChangesRequested));
        using (var connection = TestDatabase.Open(app.Database))
        using (var edit = new Npgsql.NpgsqlCommand(ReviewTrailSql.PostgreSqlDropTriggers
            + "UPDATE \"Transitions\" SET \"Note\" = 'Fine as it is.' WHERE \"To\" = 'ChangesRequested';", connection))
            edit.ExecuteNonQuery();

        var (after, afterOutput) = await app.RunCommandAsync(null, "db", "verify");
        Assert.True(after == 1, afterOutput);
        Assert.Contains("The review trail does NOT verify", afterOutput);
        Assert.Contains($"entry {forged.Id} (falls version 1", afterOutput);
        Assert.Contains("its hash does not match", afterOutput);
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
            app.Drop();
        }
        _content.Dispose();
    }
}
