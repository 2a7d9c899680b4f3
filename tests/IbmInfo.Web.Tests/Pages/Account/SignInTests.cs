using System.Net;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Account;

public sealed class SignInTests(SignInTests.Site site) : SharedAppTest<SignInTests.Site>(site)
{
    /// <summary>The sign-in limits are lifted here; the lockout counts per account id, which a reset makes anew.</summary>
    public sealed class Site : SharedApp
    {
        public Site() => Content.WriteArticle("steroids", 1, "## Steroids\n\nNo benefit [@cochrane-2015].");
    }

    [Fact]
    public async Task Signing_in_sets_a_secure_http_only_cookie_and_goes_to_the_dashboard()
    {
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();

        using var response = await client.SignInAsync("ed@example.org");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/editor/my-work", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ibminfo.signin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var (status, dashboard) = await client.GetPageAsync("/editor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Signed in as ed@example.org (Editor)", dashboard.Text(".editor-nav"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_that_does_not_say_which_part_was_wrong()
    {
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();

        using var wrong = await client.SignInAsync("ed@example.org", "not the password at all");
        using var unknown = await client.SignInAsync("nobody@example.org");

        foreach (var response in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("do not match an account", (await response.ReadPageAsync()).Text(".error-summary"));
        }
        using var editor = await client.GetAsync("/editor");
        Assert.Equal(HttpStatusCode.Redirect, editor.StatusCode);
    }

    [Fact]
    public async Task Empty_fields_are_reported_and_the_e_mail_typed_is_kept()
    {
        var client = App.CreateBrowser();
        var (_, form) = await client.GetPageAsync("/account/sign-in");

        using var response = await client.SubmitAsync(form, "form.stacked-form", new() { ["Email"] = "ed@example.org", ["Password"] = "" }, "/account/sign-in");

        var page = await response.ReadPageAsync();
        Assert.Contains("Enter your password.", page.Text(".error-summary"));
        Assert.Equal("ed@example.org", page.QuerySelector("input[name=Email]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_from_that_client_even_against_the_right_one()
    {
        await App.CreateUserAsync("rev@example.org", ["Reviewer"]);
        var client = App.CreateBrowser();

        for (var i = 0; i < 5; i++) (await client.SignInAsync("rev@example.org", $"wrong password number {i}")).Dispose();
        using var right = await client.SignInAsync("rev@example.org");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("too many wrong passwords from this connection", (await right.ReadPageAsync()).Text(".error-summary"));
        using var editor = await client.GetAsync("/editor");
        Assert.Equal(HttpStatusCode.Redirect, editor.StatusCode);
    }

    [Fact]
    public async Task A_posted_form_without_its_antiforgery_token_is_rejected()
    {
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();

        using var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "ed@example.org",
            ["Password"] = Editorial.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ibminfo.signin=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Returning_to_an_address_off_the_site_after_sign_in_is_refused()
    {
        await App.CreateUserAsync("ed@example.org", ["Editor"]);
        var client = App.CreateBrowser();
        var (_, form) = await client.GetPageAsync("/account/sign-in?returnUrl=https%3A%2F%2Fevil.example%2F");

        using var response = await client.SubmitAsync(form, "form.stacked-form", new() { ["Email"] = "ed@example.org", ["Password"] = Editorial.Password }, "/account/sign-in");

        Assert.Equal("/editor/my-work", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_is_a_post_that_ends_the_session()
    {
        var client = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, dashboard) = await client.GetPageAsync("/editor");

        using var response = await client.SubmitAsync(dashboard, "form.editor-signout", [], "/editor");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("You have signed out", (await response.ReadPageAsync()).Text("h1"));
        using var after = await client.GetAsync("/editor");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }
}
