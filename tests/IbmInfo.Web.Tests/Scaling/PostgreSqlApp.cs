using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// The app on a PostgreSQL database of its own on the test server (<c>IBMINFO_TEST_POSTGRES</c>, which
/// <c>./test.sh</c> starts), whichever provider the rest of the run uses: the deploy step and the backups exist only
/// there. Given a <paramref name="dataDirectory"/>, the database is left as the test makes it (empty until
/// <c>db migrate</c>) and dropped by <see cref="Drop"/>.
/// </summary>
public sealed class PostgreSqlApp : IbmInfoFactory
{
    public PostgreSqlApp(string contentRoot, string? dataDirectory = null) : base(contentRoot, dataDirectory) =>
        Provider = IbmInfo.Web.Data.DatabaseProvider.PostgreSql;

    /// <summary>The database this app uses.</summary>
    public string Database => PostgreSqlDatabase!;

    /// <summary>Settings for the app and its commands on top of the database ones (a later value wins).</summary>
    public List<(string Key, string Value)> CommandSettings { get; } = [];

    public override IEnumerable<(string Key, string Value)> DatabaseSettings() => base.DatabaseSettings().Concat(CommandSettings);

    /// <summary>An empty database: no tables, no migrations history.</summary>
    public static PostgreSqlApp OnEmptyDatabase(string contentRoot)
    {
        var app = new PostgreSqlApp(contentRoot, Path.Combine(Path.GetTempPath(), "ibminfo-data-" + Guid.NewGuid().ToString("N")));
        TestDatabase.CreatePostgreSqlIfMissing(app.Database, migrated: false);
        return app;
    }

    /// <summary>The tables of the public schema.</summary>
    public List<string> Tables()
    {
        using var connection = TestDatabase.Open(Database);
        using var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", connection);
        using var reader = list.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    /// <summary>Drops the database and the data folder of an app made with a data folder.</summary>
    public void Drop()
    {
        TestDatabase.DropPostgreSql(Database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
