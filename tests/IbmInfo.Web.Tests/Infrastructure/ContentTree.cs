namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>A content folder in a temporary directory, written by a test and deleted after it.</summary>
public sealed class ContentTree : IDisposable
{
    public const string DefaultReferences = """
        cochrane-2015:
          kind: Review
          authors: Rose MR, Jones K, Leong K, et al.
          title: Treatment for inclusion body myositis
          publisher: Cochrane Database of Systematic Reviews
          year: 2015
          doi: 10.1002/14651858.CD001555.pub5
        praxis-2025:
          kind: Guideline
          authors: Praxis Medical Insights
          title: Musculoskeletal disorders
          publisher: Praxis Medical Insights
          year: 2025
        """;

    /// <summary>The authors the tests' version files name; an import makes each one an account without a password.</summary>
    public const string DefaultAuthors = """
        author@example.org: Test Author
        editor@example.org: Test Editor
        editor@ibminfo.example: The IbmInfo editorial team
        """;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "ibminfo-content-" + Guid.NewGuid().ToString("N"));

    public ContentTree(string references = DefaultReferences)
    {
        Directory.CreateDirectory(Root);
        Write("references.yml", references);
        Write("authors.yml", DefaultAuthors);
    }

    /// <summary>A copy of the repository's real content folder.</summary>
    public static ContentTree CopyOfRealContent()
    {
        var tree = new ContentTree();
        var source = RepositoryPaths.Content;
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(tree.Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        // The tests' own authors too, for the articles a test adds beside the real ones.
        var authors = Path.Combine(tree.Root, "authors.yml");
        var listed = File.ReadAllText(authors);
        var extra = DefaultAuthors.Split('\n').Where(line => line.Length > 0 && !listed.Contains(line.Split(':')[0], StringComparison.Ordinal));
        File.AppendAllText(authors, "\n" + string.Join('\n', extra) + "\n");
        return tree;
    }

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Root, relativePath));

    /// <summary>Writes version <paramref name="number"/> of an article with valid front matter.</summary>
    public string WriteArticle(
        string slug, int number, string body,
        string title = "Test article", string category = "treatment-evidence",
        string author = "author@example.org", string change = "A change.", string summary = "A summary for tests.") =>
        Write($"articles/{slug}/{number}.md", $"""
            ---
            title: {title}
            summary: {summary}
            category: {category}
            date: 2026-11-0{Math.Min(number, 9)}
            change: {change}
            author: {author}
            {KeyPoints}
            ---
            {body}
            """);

    /// <summary>The key points the newest version of every article must have, on one line.</summary>
    public const string KeyPoints = "key_points: {patient: [Point one., Point two., Point three.], clinician: [Point one., Point two., Point three.]}";

    public string WritePage(string slug, int number, string body, string title = "Test page") =>
        Write($"pages/{slug}/{number}.md", $"""
            ---
            title: {title}
            summary: A page for tests.
            date: 2026-11-01
            change: First version.
            author: author@example.org
            ---
            {body}
            """);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding IbmInfo.sln, found upwards from the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "IbmInfo.sln"))) return dir.FullName;
            throw new InvalidOperationException("IbmInfo.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Content => Path.Combine(Root, "content");
}
