using System.Diagnostics;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Hosting;

/// <summary>
/// The editors' <c>content check</c> verb, inside the test process through the code the published app runs; on the
/// bundled content also on the built app's dll, as it would be run when published.
/// </summary>
public sealed class ContentCheckCommandTests
{
    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) =>
        IbmInfoFactory.RunCommandInTestProcessAsync([], null, args);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IbmInfo.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_bundled_content_passes()
    {
        var (code, output) = await RunProcessAsync("content", "check", "--root", RepositoryPaths.Content);
        Assert.True(code == 0, output);
        Assert.Contains("Content is valid", output);
    }

    [Fact]
    public async Task A_bad_file_is_reported_as_file_line_message_and_the_command_fails()
    {
        using var content = new ContentTree();
        content.WriteArticle("good", 1, "## Fine\n\nFine [@cochrane-2015].");
        content.WriteArticle("bad", 1, "## Bad\n\nCites [@nobody].");

        var (code, output) = await RunAsync("content", "check", "--root", content.Root);

        Assert.Equal(1, code);
        Assert.Contains("articles/bad/1.md:12: unknown citation key '@nobody'", output);
        Assert.DoesNotContain("articles/good", output);
    }

    [Fact]
    public async Task An_unknown_verb_prints_usage()
    {
        var (code, output) = await RunAsync("content", "chek");
        Assert.Equal(2, code);
        Assert.Contains("usage:", output);
    }

    [Fact]
    public async Task Hostile_files_are_each_reported_without_a_stack_trace_and_the_check_goes_on()
    {
        using var content = new ContentTree();
        content.WriteArticle("good", 1, "## Fine\n\nFine [@cochrane-2015].");
        content.Write("articles/deep/1.md", "---\ntitle: " + new string('{', 100_000) + "\n---\n");
        content.Write("articles/unclosed/1.md", "---\ntitle: [unclosed\nsummary: x\n---\n\n## A\n\nText.\n");
        content.WriteArticle("nested", 1, "## Nested\n\n" + string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i * 2) + "- item\n")));
        Directory.CreateDirectory(Path.Combine(content.Root, "articles/dangling"));
        File.CreateSymbolicLink(Path.Combine(content.Root, "articles/dangling/1.md"), "/nowhere/at/all.md");
        content.WritePage("search", 1, "## Search\n\nA page the search page would hide.");

        var (code, output) = await RunAsync("content", "check", "--root", content.Root);

        Assert.Equal(1, code);
        Assert.Contains("articles/deep/1.md:2: the YAML is nested more than", output);
        Assert.Contains("articles/unclosed/1.md:2: the '[' on this line is never closed", output);
        Assert.Contains("articles/nested/1.md:", output);
        Assert.Contains("articles/dangling/1.md:1: this is a symbolic link to '/nowhere/at/all.md', which does not exist", output);
        Assert.Contains("pages/search:1: the address of 'search' is taken by the site's own page /search", output);
        Assert.DoesNotContain("articles/good", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain("   at ", output);
    }
}
