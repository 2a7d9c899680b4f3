using System.Net;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Hosting;

/// <summary>
/// <c>users add|list|remove|password</c>, with the password on standard input, against the database a running site then
/// uses. They run inside the test process, through the code the published app runs; the first <c>users add</c> runs the
/// built app's dll with the password piped to it, as an operator does.
/// </summary>
public sealed class UsersCommandTests(UsersCommandTests.Site site) : SharedAppTest<UsersCommandTests.Site>(site)
{
    public sealed class Site : SharedApp
    {
        public Site() => Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].");
    }

    private Task<(int ExitCode, string Output)> RunAsync(string? stdin, params string[] args) => App.RunCommandAsync(stdin, args);

    [Fact]
    public async Task An_account_added_with_a_password_from_standard_input_can_sign_in_and_approve_under_its_name()
    {
        var (code, output) = await App.RunCommandProcessAsync(Editorial.Password, "users", "add", "--email", "dr.a@example.org", "--role", "reviewer", "--role", "Editor", "--name", "Dr A Reviewer");
        Assert.True(code == 0, output);
        Assert.Contains("Added dr.a@example.org (Editor, Reviewer)", output);
        Assert.DoesNotContain(Editorial.Password, output);

        var (listCode, list) = await RunAsync(null, "users", "list");
        Assert.Equal(0, listCode);
        Assert.Contains("dr.a@example.org\tDr A Reviewer\tEditor, Reviewer", list);

        var client = App.CreateBrowser();
        using var signedIn = await client.SignInAsync("dr.a@example.org");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var (status, page) = await client.GetPageAsync("/editor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("dr.a@example.org", page.Text(".editor-nav"));
    }

    [Fact]
    public async Task A_weak_password_an_unknown_role_or_a_duplicate_account_is_refused_with_the_reason()
    {
        var (weak, weakOutput) = await RunAsync("short", "users", "add", "--email", "a@example.org", "--role", "Reviewer");
        Assert.Equal(1, weak);
        Assert.Contains("Passwords must be at least 12 characters.", weakOutput);

        var (role, roleOutput) = await RunAsync(Editorial.Password, "users", "add", "--email", "a@example.org", "--role", "Admin");
        Assert.Equal(1, role);
        Assert.Contains("Unknown role Admin: the roles are Editor and Reviewer.", roleOutput);

        Assert.Equal(0, (await RunAsync(Editorial.Password, "users", "add", "--email", "a@example.org", "--role", "Reviewer")).ExitCode);
        var (duplicate, duplicateOutput) = await RunAsync(Editorial.Password, "users", "add", "--email", "A@example.org", "--role", "Editor");
        Assert.Equal(1, duplicate);
        Assert.Contains("already exists", duplicateOutput);

        var (_, list) = await RunAsync(null, "users", "list");
        Assert.Contains("a@example.org\ta\tReviewer", list);
    }

    [Fact]
    public async Task Removing_an_account_stops_it_signing_in()
    {
        Assert.Equal(0, (await RunAsync(Editorial.Password, "users", "add", "--email", "gone@example.org", "--role", "Editor")).ExitCode);

        var (code, output) = await RunAsync(null, "users", "remove", "--email", "gone@example.org");
        Assert.True(code == 0, output);
        var (missing, missingOutput) = await RunAsync(null, "users", "remove", "--email", "gone@example.org");
        Assert.Equal(1, missing);
        Assert.Contains("There is no account for gone@example.org.", missingOutput);

        using var signIn = await App.CreateBrowser().SignInAsync("gone@example.org");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("gone@example.org", (await RunAsync(null, "users", "list")).Output);
    }

    [Fact]
    public async Task A_new_password_lifts_a_lockout()
    {
        Assert.Equal(0, (await RunAsync(Editorial.Password, "users", "add", "--email", "ed@example.org", "--role", "Editor")).ExitCode);
        var client = App.CreateBrowser();
        for (var i = 0; i < 5; i++) (await client.SignInAsync("ed@example.org", "wrong wrong wrong")).Dispose();
        using var locked = await client.SignInAsync("ed@example.org");
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode); // the right password is refused from this client now

        var (code, output) = await RunAsync("a brand new passphrase", "users", "password", "--email", "ed@example.org");
        Assert.True(code == 0, output);

        using var signIn = await client.SignInAsync("ed@example.org", "a brand new passphrase");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Wrong_arguments_print_usage()
    {
        var (code, output) = await RunAsync(null, "users", "add", "--email");
        Assert.Equal(2, code);
        Assert.Contains("users add --email E --role", output);
    }
}
