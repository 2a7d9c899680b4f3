using IbmInfo.Content;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// The command-line verbs, run instead of the server: <c>content check [--root DIR]</c>, <c>content import|export</c>, <c>users …</c> and
/// <c>db backup …</c>.
/// They work the same through <c>dotnet run --project src/IbmInfo.Web -- …</c> and on the published dll.
/// </summary>
public static class Commands
{
    private const string Usage = "usage:\n  IbmInfo.Web content check [--root DIR]\n" + ContentCommands.Usage + "\n" + UserCommands.Usage + "\n" + DatabaseCommands.Usage;

    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=');

    public static async Task<int> RunAsync(WebApplication app, string[] args, CommandConsole console)
    {
        await Task.Yield();
        return args switch
        {
            ["content", "check", .. var rest] => ContentCheck(app, rest, console),
            ["content", "import", .. var rest] => await ContentCommands.ImportAsync(app.Services, rest, console),
            ["content", "export", .. var rest] => await ContentCommands.ExportAsync(app.Services, rest, console),
            ["users", .. var rest] => await UserCommands.RunAsync(app.Services, rest, console),
            ["db", .. var rest] => await DatabaseCommands.RunAsync(app.Services, rest, console),
            _ => console.Fail(Usage, 2),
        };
    }

    private static int ContentCheck(WebApplication app, string[] args, CommandConsole console)
    {
        var root = app.Services.GetRequiredService<ContentOptions>().Root;
        if (args is ["--root", var dir]) root = Path.GetFullPath(dir);
        else if (args.Length > 0) return console.Fail(Usage, 2);

        // Map the routes as the server would, so the check sees which addresses the site's own pages take.
        app.UseIbmInfo();
        var set = app.Services.GetRequiredService<ContentLoader>().Load(root);
        var authorProblems = new List<ContentProblem>();
        AuthorsParser.Load(root, authorProblems);
        set = set with { Problems = [.. set.Problems, .. authorProblems] };
        foreach (var problem in set.Problems) console.Error.WriteLine(problem);
        var articles = set.Versions.Select(v => v.Slug).Distinct().Count();
        if (set.Problems.Count > 0)
        {
            console.Error.WriteLine($"{set.Problems.Count} problem(s) in {root}. Files with a problem are not published; the last good version stays on the site.");
            return 1;
        }
        console.Out.WriteLine($"Content is valid: {articles} articles and pages, {set.Versions.Count} versions, {set.References.Count} references in {root}.");
        return 0;
    }
}

/// <summary>
/// What a command reads its input from and writes to: the process's console (<see cref="OfProcess"/>), or a test's
/// strings when the tests run a command inside their own process. Only the terminal's own keys (a password typed
/// without echo) are read from the process's console directly.
/// </summary>
public sealed record CommandConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputIsTerminal = false)
{
    public static CommandConsole OfProcess() => new(Console.In, Console.Out, Console.Error, InputIsTerminal: !Console.IsInputRedirected);

    /// <summary>Writes <paramref name="message"/> to the error output; returns <paramref name="exitCode"/>.</summary>
    public int Fail(string message, int exitCode)
    {
        Error.WriteLine(message);
        return exitCode;
    }
}
