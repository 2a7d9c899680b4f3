namespace IbmInfo.Content;

/// <summary>One entry of <c>authors.yml</c>: an author the content folder may name, and the name readers see.</summary>
public sealed record ContentAuthor(string Email, string Name, int Line);

/// <summary>
/// Reads <c>authors.yml</c>: the e-mail addresses a version file's <c>author:</c> may name, each with a display name
/// (<c>editor@example.org: The editorial team</c>). Whoever can write into the content folder can name any author:
/// this file says who, in the open.
/// </summary>
public static class AuthorsParser
{
    /// <summary>The authors file's name inside the content root.</summary>
    public const string File = "authors.yml";

    /// <summary>Reads <c>authors.yml</c> under <paramref name="root"/>; none when the file is absent.</summary>
    public static IReadOnlyDictionary<string, ContentAuthor> Load(string root, List<ContentProblem> problems)
    {
        var path = Path.Combine(root, File);
        if (!System.IO.File.Exists(path)) return new Dictionary<string, ContentAuthor>();
        var text = ContentLoader.ExactText(System.IO.File.ReadAllBytes(path));
        if (text is null)
        {
            problems.Add(new(File, 1, "the file is not UTF-8 text; save it as UTF-8 in your editor."));
            return new Dictionary<string, ContentAuthor>();
        }
        return Parse(text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF'), problems);
    }

    /// <summary>Parses the text of <c>authors.yml</c>, reporting each bad entry with its line.</summary>
    public static IReadOnlyDictionary<string, ContentAuthor> Parse(string yaml, List<ContentProblem> problems)
    {
        var authors = new Dictionary<string, ContentAuthor>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(yaml)) return authors;
        var entries = FrontMatterParser.ReadMapping(File, yaml, lineOffset: 0, problems, out _);
        if (entries is null) return authors;
        foreach (var (email, (name, line)) in entries)
        {
            if (!LooksLikeEmail(email))
                problems.Add(new(File, line, $"'{email}' is not an e-mail address; list each author as 'name@example.org: Their name'."));
            else if (string.IsNullOrWhiteSpace(name))
                problems.Add(new(File, line, $"give {email} the name readers and reviewers see, as '{email}: Their name'."));
            else
                authors[email.Trim()] = new ContentAuthor(email.Trim(), name.Trim(), line);
        }
        return authors;
    }

    /// <summary>One '@' with text either side and no spaces: an address the sign-in form would take.</summary>
    public static bool LooksLikeEmail(string value) =>
        value.Length <= 256 && value.IndexOf('@') is var at && at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
        && !value.Any(char.IsWhiteSpace);
}
