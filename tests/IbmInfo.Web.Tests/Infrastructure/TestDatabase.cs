using System.Security.Cryptography;
using System.Text;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>
/// The database provider the tests run the app on: SQLite unless the environment says
/// <c>IBMINFO_TEST_DATABASE=PostgreSql</c>, with <c>IBMINFO_TEST_POSTGRES</c> the connection string of a server (no
/// database named). <c>./test.sh</c> starts a throwaway PostgreSQL cluster and runs the publishing, review, editing,
/// search and page tests a second time on it. On PostgreSQL each app gets a database of its own, copied from one
/// migrated once per run (<c>CREATE DATABASE … TEMPLATE</c>), as SQLite apps get a copy of a migrated file.
/// </summary>
public static class TestDatabase
{
    public static DatabaseProvider Provider { get; } =
        Environment.GetEnvironmentVariable("IBMINFO_TEST_DATABASE") is { Length: > 0 } name
            ? Enum.Parse<DatabaseProvider>(name, ignoreCase: true)
            : DatabaseProvider.Sqlite;

    public static bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>The server's connection string, without a database.</summary>
    private static string Server => Environment.GetEnvironmentVariable("IBMINFO_TEST_POSTGRES") is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException("IBMINFO_TEST_DATABASE=PostgreSql needs IBMINFO_TEST_POSTGRES, a PostgreSQL server's connection string: run the tests with ./test.sh, which starts one.");

    /// <summary>The connection string of one database on the test server.</summary>
    public static string PostgreSqlConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = database }.ConnectionString;

    /// <summary>The database a data folder's app uses: one per folder, so an app started again on it finds its data.</summary>
    public static string PostgreSqlDatabaseFor(string dataDirectory) =>
        "ibminfo_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..20];

    /// <summary>A migrated database, made once per run; new ones are copied from it.</summary>
    private static readonly Lazy<string> Template = new(() =>
    {
        var name = $"ibminfo_template_{Environment.ProcessId}";
        Execute($"DROP DATABASE IF EXISTS {name}", $"CREATE DATABASE {name}");
        var options = new DbContextOptionsBuilder<PostgreSqlIbmInfoDb>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(PostgreSqlConnectionString(name)) { Pooling = false }.ConnectionString).Options;
        using (var db = new PostgreSqlIbmInfoDb(options)) db.Database.Migrate();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        return name;
    });

    /// <summary>
    /// A database for an app: holding every migration and nothing else (<paramref name="migrated"/>), or empty, for the
    /// app's own migrations to fill at start. An existing one is left as it is, as a SQLite file is.
    /// </summary>
    public static void CreatePostgreSqlIfMissing(string database, bool migrated)
    {
        using (var connection = Open("postgres"))
        using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", database);
            if (exists.ExecuteScalar() is not null) return;
        }
        Execute(migrated ? $"CREATE DATABASE {database} TEMPLATE {Template.Value}" : $"CREATE DATABASE {database}");
    }

    public static void DropPostgreSql(string database)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    /// <summary>Statements on the server's maintenance database (database names here are ours, never input).</summary>
    private static void Execute(params string[] statements)
    {
        using var connection = Open("postgres");
        foreach (var sql in statements)
        {
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }

    public static NpgsqlConnection Open(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgreSqlConnectionString(database)) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Keeps a copy of every table of <paramref name="database"/> in a schema of its own, for
    /// <see cref="RestoreSnapshot"/> (the shared test app's reset, as SQLite's backup API does on that provider).
    /// </summary>
    public static void TakeSnapshot(string database)
    {
        using var connection = Open(database);
        var tables = Tables(connection);
        Run(connection, "DROP SCHEMA IF EXISTS test_snapshot CASCADE; CREATE SCHEMA test_snapshot;"
            + string.Concat(tables.Select(t => $"CREATE TABLE test_snapshot.\"{t}\" AS TABLE public.\"{t}\";")));
    }

    /// <summary>
    /// Puts every table back as <see cref="TakeSnapshot"/> found it, identity counters included, in one transaction.
    /// Triggers (the trail's refusal, the foreign keys) are off for it: this test session is a superuser, as an
    /// attacker with the database's password would be.
    /// </summary>
    public static void RestoreSnapshot(string database)
    {
        using var connection = Open(database);
        var tables = Tables(connection);
        var identities = new List<(string Table, string Column)>();
        using (var list = new NpgsqlCommand("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'", connection))
        using (var reader = list.ExecuteReader())
            while (reader.Read()) identities.Add((reader.GetString(0), reader.GetString(1)));
        Run(connection, "BEGIN; SET LOCAL session_replication_role = replica;"
            + $"TRUNCATE {string.Join(", ", tables.Select(t => $"public.\"{t}\""))};"
            + string.Concat(tables.Select(t => $"INSERT INTO public.\"{t}\" SELECT * FROM test_snapshot.\"{t}\";"))
            + string.Concat(identities.Select(i => $"SELECT setval(pg_get_serial_sequence('public.\"{i.Table}\"', '{i.Column}'), coalesce((SELECT max(\"{i.Column}\") FROM public.\"{i.Table}\"), 0) + 1, false);"))
            + "COMMIT;");
    }

    /// <summary>Every row of every table of <paramref name="database"/>, as PostgreSQL writes a row as text.</summary>
    public static List<string> AllRowsAsText(string database)
    {
        using var connection = Open(database);
        var rows = new List<string>();
        foreach (var table in Tables(connection))
        {
            using var select = new NpgsqlCommand($"SELECT t::text FROM public.\"{table}\" t", connection);
            using var reader = select.ExecuteReader();
            while (reader.Read()) rows.Add(reader.GetString(0));
        }
        return rows;
    }

    /// <summary>
    /// Runs SQL on the app's database over a connection of its own, as someone with the database's password could:
    /// <paramref name="sqlite"/> on SQLite, <paramref name="postgreSql"/> on PostgreSQL.
    /// </summary>
    public static void ExecuteBehindTheAppsBack(IbmInfoFactory app, string sqlite, string postgreSql)
    {
        if (app.PostgreSqlDatabase is string database)
        {
            using var connection = Open(database);
            Run(connection, postgreSql);
            return;
        }
        using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        file.Open();
        using var command = file.CreateCommand();
        command.CommandText = sqlite;
        command.ExecuteNonQuery();
    }

    /// <summary>The app's tables: all of the public schema but the migrations history.</summary>
    private static List<string> Tables(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        using var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory' ORDER BY table_name", connection);
        using var reader = list.ExecuteReader();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static void Run(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
