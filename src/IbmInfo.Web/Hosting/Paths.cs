using Microsoft.Data.Sqlite;

namespace IbmInfo.Web.Hosting;

/// <summary>Where the content folder and the database live, from configuration with sensible defaults.</summary>
public static class Paths
{
    /// <summary>
    /// The app's own folder as its content root (settings, <c>wwwroot</c>, and the default <c>data/</c> folder) when the
    /// working folder holds no <c>appsettings.json</c>: started from elsewhere
    /// (<c>cd /tmp &amp;&amp; dotnet /srv/ibminfo/IbmInfo.Web.dll</c>), the framework's default, the working folder, would
    /// find no settings, hence no log sinks, and put the database wherever the process was started. Null (the default:
    /// the working folder, as with <c>dotnet run</c>) otherwise, or when a content root is given
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>).
    /// </summary>
    public static string? AppFolderWhenStartedElsewhere(string[] args)
    {
        var hostSettings = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        if (!string.IsNullOrEmpty(hostSettings[HostDefaults.ContentRootKey])) return null;
        if (File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))) return null;
        return File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")) ? AppContext.BaseDirectory : null;
    }

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
