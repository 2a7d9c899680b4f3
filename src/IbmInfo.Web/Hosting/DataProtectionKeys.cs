using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;

namespace IbmInfo.Web.Hosting;

public static class DataProtectionKeys
{
    /// <summary>
    /// Keeps the keys that sign the sign-in cookie and antiforgery tokens, so a restart or a new release does not sign
    /// every editor out or fail the forms readers have open. On PostgreSQL they are rows of the database
    /// (<c>DataProtectionKeys</c>), so every node signs and reads the same cookies and forms, and a backup of the
    /// database holds them. On SQLite they are files in <c>DataProtection:KeysFolder</c> (relative to the app's
    /// folder), by default <c>keys/</c> beside the database file: back it up with the database.
    /// </summary>
    public static WebApplicationBuilder AddPersistentDataProtection(this WebApplicationBuilder builder)
    {
        if (DatabaseAccess.ProviderFrom(builder.Configuration) == Data.DatabaseProvider.PostgreSql)
        {
            // Stored unencrypted, as the folder's files are: whoever can read the database can read them.
            builder.Services.AddDataProtection()
                .SetApplicationName("IbmInfo")
                .PersistKeysToDbContext<Data.IbmInfoDb>();
            return builder;
        }
        var folder = KeysFolder(builder.Configuration, builder.Environment.ContentRootPath);
        var keys = Directory.CreateDirectory(folder);
        // The keys are stored unencrypted (there is no DPAPI on Linux): only the app's own user may read them.
        // Set only when it differs: on a read-only mount even setting the same mode fails, and the site must still start.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (!OperatingSystem.IsWindows() && keys.UnixFileMode != ownerOnly) keys.UnixFileMode = ownerOnly;
        builder.Services.AddDataProtection()
            .SetApplicationName("IbmInfo")
            .PersistKeysToFileSystem(keys);
        return builder;
    }

    /// <summary><c>DataProtection:KeysFolder</c>, or <c>keys/</c> in the database's folder (<c>data/keys</c> by default).</summary>
    public static string KeysFolder(IConfiguration configuration, string appRoot)
    {
        var configured = configuration["DataProtection:KeysFolder"];
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured, appRoot);
        var database = new SqliteConnectionStringBuilder(Paths.ConnectionString(configuration, appRoot));
        var beside = Path.IsPathFullyQualified(database.DataSource) ? Path.GetDirectoryName(database.DataSource) : null;
        return Path.Combine(beside ?? Path.Combine(appRoot, "data"), "keys");
    }
}
