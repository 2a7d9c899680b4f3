using Microsoft.Data.Sqlite;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>Every row of every table of a database file, as text, read on a connection of its own.</summary>
public static class DatabaseSnapshot
{
    public static SortedDictionary<string, List<string>> Read(string databasePath)
    {
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
        var names = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) names.Add(reader.GetString(0));
        }
        foreach (var name in names)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{name}\"";
            using var reader = select.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToBase64String(bytes),
                    var value => value.ToString(),
                })));
            tables[name] = rows;
        }
        return tables;
    }

    public static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    /// <summary>A one-off query on a database file.</summary>
    public static string? Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        return Scalar(connection, sql);
    }

    /// <summary>Asserts two snapshots hold the same rows, naming the first table that differs.</summary>
    public static void Equal(SortedDictionary<string, List<string>> expected, SortedDictionary<string, List<string>> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (table, rows) in expected)
            Assert.True(rows.SequenceEqual(actual[table]), $"table {table}: expected {rows.Count} rows, found {actual[table].Count}, or rows differ");
    }
}
