using System.Text;
using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// <c>content import [--root DIR]</c> and <c>content export --to DIR [--force]</c>: the content folder in and out of
/// the database. Both work against a running site's database; a running site notices an import within seconds
/// (<see cref="ImportWatcher"/> on SQLite; on PostgreSQL every node hears the import's own signal, <see cref="Publishing.SiteChanges"/>).
/// </summary>
public static class ContentCommands
{
    public const string Usage = """
          IbmInfo.Web content import [--root DIR]   (new version files become Submitted versions; works while the site runs)
          IbmInfo.Web content export --to DIR [--force]   (every version, references.yml and authors.yml, as files that import back unchanged)
        """;

    /// <summary>Who an import from the command line is recorded as.</summary>
    public const string ByCommand = "command";

    public static async Task<int> ImportAsync(IServiceProvider services, string[] args, CommandConsole console)
    {
        var root = services.GetRequiredService<ContentOptions>().Root;
        if (args is ["--root", var dir]) root = Path.GetFullPath(dir);
        else if (args.Length > 0) return console.Fail("usage:\n" + Usage, 2);

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IbmInfoDb>().Database.MigrateAsync();
        var report = await scope.ServiceProvider.GetRequiredService<ContentSync>().RunAsync(root, ByCommand);
        if (report.Skipped is not null)
        {
            console.Out.WriteLine($"Nothing imported from {root}: {report.Skipped}. Run it again once that import is done.");
            return 0;
        }
        foreach (var file in report.AddedFiles) console.Out.WriteLine($"added {file}");
        foreach (var problem in report.Problems) console.Error.WriteLine(problem);
        console.Out.WriteLine($"Imported from {root}: {report.Added} added, {report.Unchanged} unchanged, {report.Problems.Count} problem(s).");
        // The review-requested e-mails the import queued: this process ends before a background sender would run.
        await services.GetRequiredService<MailSender>().SendQueuedAsync(CancellationToken.None);
        return report.Problems.Count > 0 ? 1 : 0;
    }

    public static async Task<int> ExportAsync(IServiceProvider services, string[] args, CommandConsole console)
    {
        string? to = null;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--to" && i + 1 < args.Length) to = args[++i];
            else if (args[i] == "--force") force = true;
            else return console.Fail("usage:\n" + Usage, 2);
        }
        if (to is null) return console.Fail("usage:\n" + Usage, 2);
        var target = Path.GetFullPath(to);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
        await db.Database.MigrateAsync();
        var files = await ExportFilesAsync(db, scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>());

        var missing = files.Where(f => f.Value is null).Select(f => f.Key).ToList();
        var differing = files.Where(f => f.Value is not null && File.Exists(Path.Combine(target, f.Key))
            && !File.ReadAllBytes(Path.Combine(target, f.Key)).AsSpan().SequenceEqual(f.Value)).Select(f => f.Key).ToList();
        if (differing.Count > 0 && !force)
        {
            foreach (var file in differing) console.Error.WriteLine($"{file}: exists in {target} with other text.");
            return console.Fail($"{differing.Count} file(s) in {target} differ from the database; nothing was written. Export to an empty folder, or add --force to replace them.", 1);
        }
        foreach (var (file, bytes) in files.Where(f => f.Value is not null))
        {
            var path = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes!);
        }
        foreach (var file in missing)
            console.Error.WriteLine($"{file}: not written; the database holds this version's renderings but not its text (it was stored before the text was kept, and its file had changed).");
        console.Out.WriteLine($"Exported {files.Count - missing.Count} file(s) to {target}.");
        return missing.Count > 0 ? 1 : 0;
    }

    /// <summary>
    /// Every file of the content folder the database describes, by relative path: each version's text byte for byte
    /// (null where the text is not held), <c>references.yml</c>, and <c>authors.yml</c> naming every submitter.
    /// </summary>
    public static async Task<SortedDictionary<string, byte[]?>> ExportFilesAsync(IbmInfoDb db, UserManager<IdentityUser> users)
    {
        var files = new SortedDictionary<string, byte[]?>(StringComparer.Ordinal);
        var versions = await db.Versions.AsNoTracking()
            .Select(v => new { v.Article.Slug, v.Article.Kind, v.Number, v.Markdown, v.SubmittedBy, v.SubmittedById })
            .ToListAsync();
        foreach (var v in versions)
            files[$"{(v.Kind == ContentKind.Page ? "pages" : "articles")}/{v.Slug}/{v.Number}.md"] = v.Markdown is null ? null : Encoding.UTF8.GetBytes(v.Markdown);

        var references = new StringBuilder();
        foreach (var r in await db.References.AsNoTracking().OrderBy(r => r.Key).ToListAsync())
        {
            references.Append(r.Key).Append(":\n");
            var reference = r.ToReference();
            references.Append("  kind: ").Append(reference.KindLabel).Append('\n');
            if (r.Authors.Length > 0) references.Append("  authors: ").Append(Quoted(r.Authors)).Append('\n');
            references.Append("  title: ").Append(Quoted(r.Title)).Append('\n');
            references.Append("  publisher: ").Append(Quoted(r.Publisher)).Append('\n');
            if (r.Year is int year) references.Append("  year: ").Append(year.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            if (r.Pmid is not null) references.Append("  pmid: ").Append(Quoted(r.Pmid)).Append('\n');
            if (r.Doi is not null) references.Append("  doi: ").Append(Quoted(r.Doi)).Append('\n');
            if (r.Url is not null) references.Append("  url: ").Append(Quoted(r.Url)).Append('\n');
            if (r.Accessed is DateOnly accessed) references.Append("  accessed: ").Append(accessed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            if (r.Note is not null) references.Append("  note: ").Append(Quoted(r.Note)).Append('\n');
        }
        files[ContentLoader.ReferencesFile] = Encoding.UTF8.GetBytes(references.ToString());

        var authors = new StringBuilder("# The accounts the version files' author lines name. An import makes a missing one\n# as an account without a password; 'users password' lets it sign in.\n");
        foreach (var email in versions.Select(v => v.SubmittedBy).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))
        {
            var user = await users.FindByEmailAsync(email);
            var name = user is null ? null : (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == Roles.DisplayNameClaim)?.Value;
            authors.Append(Quoted(email)).Append(": ").Append(Quoted(name ?? ReviewActor.DefaultName(email))).Append('\n');
        }
        files[AuthorsParser.File] = Encoding.UTF8.GetBytes(authors.ToString());
        return files;
    }

    /// <summary>A YAML double-quoted scalar: JSON's string escapes are YAML's too.</summary>
    private static string Quoted(string value) => JsonSerializer.Serialize(value, QuotedOptions);

    private static readonly JsonSerializerOptions QuotedOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
