using IbmInfo.Browser.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IbmInfo.Browser.Tests;

/// <summary>
/// The whole editorial path in a real browser with JavaScript off and no restart anywhere: an editor writes, previews,
/// fixes a problem and submits; a reviewer approves; a reader sees the new text, its history and the diff. It runs
/// in a collection of its own, on that collection's app, so the other collections' pages stay as their tests expect.
/// </summary>
[Collection(EditorPathCollection.Name)]
public sealed class EditorPathTests(BrowserSite site)
{
    private const string Password = "a long browser-test passphrase";

    private async Task<string> AddEditorAndReviewerAsync()
    {
        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in new[] { "Editor", "Reviewer" })
                if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
            foreach (var (email, role) in new[] { ("writer@example.org", "Editor"), ("checker@example.org", "Reviewer") })
            {
                var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
                Assert.True((await users.CreateAsync(user, Password)).Succeeded);
                await users.AddToRoleAsync(user, role);
            }
        }
        return site.BaseUrl;
    }

    private async Task<IPage> PageAsync(string baseUrl)
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, JavaScriptEnabled = false });
        await context.RouteAsync(url => !url.StartsWith(baseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task An_editor_writes_previews_fixes_and_submits_a_reviewer_approves_and_a_reader_sees_it_with_its_history_and_diff()
    {
        var baseUrl = await AddEditorAndReviewerAsync();
        const string Sentence = "A sentence written in the browser for this test.";
        // The next version after the newest in the content folder, whatever number that is today.
        var next = Directory.GetFiles(Path.Combine(site.App.ContentRoot, "articles", "treatment-evidence"), "*.md").Length + 1;

        var editor = await PageAsync(baseUrl);
        await SignInAsync(editor, "writer@example.org");
        await editor.GotoAsync("/editor");
        await editor.GetByRole(AriaRole.Link, new() { Name = $"Write version {next} of Treatments that have been studied for IBM" }).ClickAsync();
        Assert.EndsWith("/editor/write/treatment-evidence", editor.Url);
        var body = editor.GetByLabel("Body (Markdown)");
        var original = await body.InputValueAsync();
        Assert.Contains("No proven treatment", original);
        await editor.GetByLabel("What changed in this version").FillAsync("Added a sentence in the browser.");
        await body.FillAsync(original + $"\n\n{Sentence} [@no-such-reference]\n");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Preview for patients" }).ClickAsync();

        Assert.Contains("unknown citation key '@no-such-reference'", await editor.Locator("#Form_Body-error").InnerTextAsync());
        Assert.Contains("Line ", await editor.Locator("#Form_Body-error").InnerTextAsync());
        Assert.Equal(0, await editor.Locator(".preview").CountAsync());

        await body.FillAsync(original + $"\n\n{Sentence} [@cochrane-2015]\n");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Preview for patients" }).ClickAsync();
        Assert.Contains(Sentence, await editor.Locator(".preview .article-body").InnerTextAsync());
        Assert.Equal(0, await editor.Locator(".preview .audience-clinician").CountAsync());
        await editor.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        Assert.EndsWith($"/editor/review/treatment-evidence/{next}", editor.Url);
        Assert.Contains("submitted for review, by you", await editor.Locator(".confirmation").InnerTextAsync());

        var reviewer = await PageAsync(baseUrl);
        await SignInAsync(reviewer, "checker@example.org");
        await reviewer.GotoAsync($"/editor/review/treatment-evidence/{next}");
        Assert.Contains(Sentence, await reviewer.Locator(".diff").InnerTextAsync());
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Start review" }).ClickAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        Assert.Contains("to Approved", await reviewer.Locator(".confirmation").InnerTextAsync());

        var reader = await PageAsync(baseUrl);
        await reader.GotoAsync("/articles/treatment-evidence");
        Assert.Contains(Sentence, await reader.Locator(".article-body").InnerTextAsync());
        Assert.Equal(0, await reader.Locator(".caution-compact").CountAsync());
        await reader.GotoAsync("/articles/treatment-evidence/history");
        var history = await reader.Locator("main").InnerTextAsync();
        Assert.Contains("Added a sentence in the browser.", history);
        Assert.Contains("First version.", history);
        await reader.GotoAsync($"/articles/treatment-evidence/diff/{next - 1}/{next}");
        Assert.Contains(Sentence, await reader.Locator(".diff-added").AllInnerTextsAsync() is var added ? string.Join("\n", added) : "");

        foreach (var page in new[] { editor, reviewer, reader }) await page.Context.CloseAsync();
    }
}
