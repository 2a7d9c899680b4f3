using IbmInfo.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// <c>db backup --to FILE [--force]</c>: a consistent copy of the database through SQLite's online backup, safe while
/// the site runs (readers and writers carry on; the copy is the database as it was at one instant). The review trail
/// and readers' messages exist nowhere else: content can be synced again, they cannot.
/// </summary>
public static class DatabaseCommands
{
    public const string Usage = "  IbmInfo.Web db backup --to FILE [--force]   (a copy of the database, safe while the site runs; --force replaces FILE)";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (!TryParse(args, out var to, out var force)) return Fail(Usage, 2);
        var target = Path.GetFullPath(to);
        if (File.Exists(target) && !force) return Fail($"{target} already exists; nothing was written. Choose a new file, or add --force to replace it.", 1);
        if (Directory.Exists(target)) return Fail($"{target} is a folder; give the backup's file name.", 1);

        await using var scope = services.CreateAsyncScope();
        var source = (SqliteConnection)scope.ServiceProvider.GetRequiredService<IbmInfoDb>().Database.GetDbConnection();
        var sourceFile = new SqliteConnectionStringBuilder(source.ConnectionString).DataSource;
        if (!File.Exists(sourceFile)) return Fail($"There is no database at {sourceFile}; nothing was written.", 1);

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

        Console.WriteLine($"Backed up {sourceFile} to {target} ({new FileInfo(target).Length:N0} bytes): " +
            $"{counts.Transitions} review transitions, {counts.Versions} versions ({counts.Approved} approved), " +
            $"{counts.Questions} reader questions, {counts.Feedback} feedback answers, {counts.Accounts} accounts.");
        return 0;
    }

    private sealed record Counts(long Transitions, long Versions, long Approved, long Questions, long Feedback, long Accounts);

    /// <summary>Counted in the copy itself, so what is printed is what the backup holds.</summary>
    private static async Task<Counts> CountAsync(SqliteConnection copy) => new(
        await ScalarAsync(copy, "SELECT count(*) FROM Transitions"),
        await ScalarAsync(copy, "SELECT count(*) FROM Versions"),
        await ScalarAsync(copy, $"SELECT count(*) FROM Versions WHERE Status = '{ReviewStatus.Approved}'"),
        await ScalarAsync(copy, "SELECT count(*) FROM Questions"),
        await ScalarAsync(copy, "SELECT count(*) FROM Feedback"),
        await ScalarAsync(copy, "SELECT count(*) FROM AspNetUsers"));

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

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine(message);
        return code;
    }
}
