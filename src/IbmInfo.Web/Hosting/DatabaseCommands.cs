using IbmInfo.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// <c>db backup --to FILE [--force]</c>: a consistent copy of the database through SQLite's online backup, safe while
/// the site runs (readers and writers carry on; the copy is the database as it was at one instant). The review trail
/// and readers' messages exist nowhere else: content can be synced again, they cannot.
/// <c>db migrate</c>: applies the migrations the database has not had yet (on PostgreSQL, the deploy step before new
/// nodes start; on SQLite the site also does it at start).
/// <c>db verify [--print-head] [--expect-head HASH]</c>: recomputes the review trail's hash chain and checks the
/// versions against it (see <see cref="ReviewTrailCheck"/>); exits 1 naming the first entry that no longer matches.
/// </summary>
public static class DatabaseCommands
{
    public const string Usage = "  IbmInfo.Web db migrate   (applies the migrations the database has not had yet)\n" +
        "  IbmInfo.Web db backup --to FILE [--force]   (SQLite: a copy of the database, safe while the site runs; --force replaces FILE)\n" +
        "  IbmInfo.Web db verify [--print-head] [--expect-head HASH]   (checks the review trail's hash chain; --print-head prints only the newest entry's hash, to keep elsewhere)";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CommandConsole console)
    {
        if (args is ["verify", .. var verifyOptions]) return await VerifyAsync(services, verifyOptions, console);
        if (args is ["migrate"]) return await MigrateAsync(services, console);
        if (!TryParse(args, out var to, out var force)) return console.Fail(Usage, 2);
        if (services.GetRequiredService<DatabaseAccess>().Provider != DatabaseProvider.Sqlite)
            return console.Fail("db backup copies a SQLite database file; this site uses PostgreSQL, so nothing was written. Back it up with pg_dump (see docs/scaling.md, \"Backups on PostgreSQL\").", 2);
        var target = Path.GetFullPath(to);
        if (File.Exists(target) && !force) return console.Fail($"{target} already exists; nothing was written. Choose a new file, or add --force to replace it.", 1);
        if (Directory.Exists(target)) return console.Fail($"{target} is a folder; give the backup's file name.", 1);

        await using var scope = services.CreateAsyncScope();
        var source = (SqliteConnection)scope.ServiceProvider.GetRequiredService<IbmInfoDb>().Database.GetDbConnection();
        var sourceFile = new SqliteConnectionStringBuilder(source.ConnectionString).DataSource;
        if (!File.Exists(sourceFile)) return console.Fail($"There is no database at {sourceFile}; nothing was written.", 1);

        // Written under a temporary name first, so FILE is never a half-written copy.
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        File.Delete(partial);
        Counts counts;
        await source.OpenAsync();
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            source.BackupDatabase(copy);
            // One self-contained file: no write-ahead log beside it to forget when copying it elsewhere.
            await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE;");
            counts = await CountAsync(copy);
        }
        File.Move(partial, target, overwrite: force);

        console.Out.WriteLine($"Backed up {sourceFile} to {target} ({new FileInfo(target).Length:N0} bytes): " +
            $"{counts.Transitions} review transitions, {counts.Versions} versions ({counts.Approved} approved), " +
            $"{counts.Questions} reader questions, {counts.Feedback} feedback answers, {counts.Accounts} accounts. " +
            $"Review trail head: {counts.TrailHead} (keep it elsewhere; db verify --expect-head checks it).");
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CommandConsole console)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        var pending = await StartupSync.MigrateAsync(db, CancellationToken.None);
        await SqliteSettings.UseWriteAheadLogAsync(db, CancellationToken.None);
        console.Out.WriteLine(pending.Count == 0
            ? "The database is up to date: no migration to apply."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return 0;
    }

    private static async Task<int> VerifyAsync(IServiceProvider services, string[] options, CommandConsole console)
    {
        var (printHead, expectHead) = (false, (string?)null);
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--print-head": printHead = true; break;
                case "--expect-head" when i + 1 < options.Length && expectHead is null: expectHead = options[++i].Trim().ToLowerInvariant(); break;
                default: return console.Fail(Usage, 2);
            }
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        var access = services.GetRequiredService<DatabaseAccess>();
        var file = access.FilePath ?? DatabaseName(access.ConnectionString);
        if (access.FilePath is not null && !File.Exists(file)) return console.Fail($"There is no database at {file}.", 1);
        var report = await ReviewTrailCheck.RunAsync(db);
        if (printHead)
        {
            console.Out.WriteLine(report.HeadHash);
            return report.Verifies ? 0 : 1;
        }

        var problems = report.Problems.Select(p => p.Message).ToList();
        if (expectHead is not null && report.HeadHash != expectHead
            && !await db.Transitions.AnyAsync(t => t.Hash == expectHead))
            problems.Add($"no entry has the hash {expectHead} that was kept as the trail's head; the trail was rewritten, or that hash is from another database.");
        if (problems.Count == 0)
        {
            console.Out.WriteLine($"The review trail verifies: {report.Entries} entries in {file}, newest {(report.HeadId is int id ? $"entry {id}" : "none")}, head hash {report.HeadHash}.");
            return 0;
        }
        console.Error.WriteLine($"The review trail does NOT verify ({file}): {problems[0]}");
        foreach (var problem in problems.Skip(1).Take(49)) console.Error.WriteLine("  also: " + problem);
        if (problems.Count > 50) console.Error.WriteLine($"  … and {problems.Count - 50} more.");
        console.Error.WriteLine($"{problems.Count} problem(s) in {report.Entries} entries. Compare with your latest backup to see what was changed, and restore from it.");
        return 1;
    }

    private sealed record Counts(long Transitions, long Versions, long Approved, long Questions, long Feedback, long Accounts, string TrailHead);

    /// <summary>Counted in the copy itself, so what is printed is what the backup holds.</summary>
    private static async Task<Counts> CountAsync(SqliteConnection copy) => new(
        await ScalarAsync(copy, "SELECT count(*) FROM Transitions"),
        await ScalarAsync(copy, "SELECT count(*) FROM Versions"),
        await ScalarAsync(copy, $"SELECT count(*) FROM Versions WHERE Status = '{ReviewStatus.Approved}'"),
        await ScalarAsync(copy, "SELECT count(*) FROM Questions"),
        await ScalarAsync(copy, "SELECT count(*) FROM Feedback"),
        await ScalarAsync(copy, "SELECT count(*) FROM AspNetUsers"),
        await TrailHeadAsync(copy));

    private static async Task<string> TrailHeadAsync(SqliteConnection copy)
    {
        await using var command = copy.CreateCommand();
        command.CommandText = "SELECT Hash FROM Transitions ORDER BY Id DESC LIMIT 1";
        return await command.ExecuteScalarAsync() as string ?? ReviewTrail.Genesis;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A PostgreSQL database as messages name it: <c>ibminfo on db.example.org</c>.</summary>
    private static string DatabaseName(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"the database {builder.Database} on {builder.Host}";
    }

    private static bool TryParse(string[] args, out string to, out bool force)
    {
        (to, force) = ("", false);
        if (args is not ["backup", .. var options]) return false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--force": force = true; break;
                case "--to" when i + 1 < options.Length && to.Length == 0: to = options[++i]; break;
                default: return false;
            }
        }
        return to.Length > 0;
    }
}
