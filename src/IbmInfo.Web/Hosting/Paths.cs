using Microsoft.Data.Sqlite;

namespace IbmInfo.Web.Hosting;

/// <summary>Where the content folder and the database live, from configuration with sensible defaults.</summary>
public static class Paths
{
    /// <summary>
    /// <c>Content:Root</c> when set (relative to the app's content root); otherwise the nearest <c>content/</c>
    /// folder holding a references file, looking up from the working folder and then from the app's own folder,
    /// so both <c>dotnet run</c> in the repository and the tests find the bundled content.
    /// </summary>
    public static string ContentRoot(IConfiguration configuration, string appRoot)
    {
        var configured = configuration["Content:Root"];
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, appRoot);
        foreach (var start in new[] { appRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "content");
                if (File.Exists(Path.Combine(candidate, IbmInfo.Content.ContentLoader.ReferencesFile))) return candidate;
            }
        }
        return Path.Combine(appRoot, "content");
    }

    /// <summary>
    /// <c>ConnectionStrings:IbmInfo</c>, defaulting to <c>data/ibminfo.db</c>; a relative SQLite file is placed under
    /// the app's content root and its folder is created.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration, string appRoot)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("IbmInfo") ?? "Data Source=data/ibminfo.db");
        var isFile = !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory;
        if (isFile)
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, appRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
