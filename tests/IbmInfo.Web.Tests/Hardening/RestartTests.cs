using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>A restart (a new release, a crash) keeps editors signed in and forms that readers have open working.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly ContentTree _content = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ibminfo-data-" + Guid.NewGuid().ToString("N"));

    public RestartTests() => _content.WriteArticle("falls", 1, "## Falls\n\nA walking aid helps.", title: "Preventing falls");

    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_from_before_a_restart_still_work_after_it()
    {
        // One cookie jar, as one browser would keep across the restart.
        var jar = new CookieContainer();
        AngleSharp.Dom.IDocument signOutForm;
        using (var before = new IbmInfoFactory(_content.Root, _data))
        {
            await before.CreateUserAsync("ed@example.org", ["Editor"]);
            var client = before.CreateDefaultClient(new CookieContainerHandler(jar));
            using var signedIn = await client.SignInAsync("ed@example.org");
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            (_, signOutForm) = await client.GetPageAsync("/editor");
            Assert.True(Directory.EnumerateFiles(Path.Combine(_data, "keys"), "key-*.xml").Any(), "no key was written beside the database");
        }

        using var after = new IbmInfoFactory(_content.Root, _data);
        var restarted = after.CreateDefaultClient(new CookieContainerHandler(jar));

        var (status, dashboard) = await restarted.GetPageAsync("/editor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Signed in as ed@example.org", dashboard.Text(".editor-nav"));
        // The sign-out form was rendered before the restart; its antiforgery token must still be accepted.
        using var signedOut = await restarted.SubmitAsync(signOutForm, "form.editor-signout", [], "/editor");
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Equal("You have signed out", (await signedOut.ReadPageAsync()).Text("h1"));
    }

    public void Dispose()
    {
        _content.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
