using System.Net;
using System.Security.Claims;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>Accounts, signing in through the real form, and posting forms with their antiforgery token.</summary>
public static class Editorial
{
    public const string Password = "a long test passphrase";

    /// <summary>Makes an account through Identity's UserManager, as the <c>users add</c> command does.</summary>
    public static async Task CreateUserAsync(this IbmInfoFactory app, string email, string[] roles, string? name = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in roles.Where(r => !roleManager.Roles.Any(x => x.Name == r)).ToList())
            Assert.True((await roleManager.CreateAsync(new IdentityRole(role))).Succeeded);
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (roles.Length > 0) Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        if (name is not null) await users.AddClaimAsync(user, new Claim(Roles.DisplayNameClaim, name));
    }

    /// <summary>A browser-like client that keeps cookies and does not follow redirects, so tests see them.</summary>
    public static HttpClient CreateBrowser(this IbmInfoFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the sign-in page, posting its form with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        var (_, page) = await client.GetPageAsync("/account/sign-in");
        return await client.SubmitAsync(page, "form.stacked-form", new() { ["Email"] = email, ["Password"] = password }, "/account/sign-in");
    }

    /// <summary>A signed-in client for a new account with the given roles.</summary>
    public static async Task<HttpClient> SignedInAsync(this IbmInfoFactory app, string email, params string[] roles)
    {
        await app.CreateUserAsync(email, roles, name: "Dr " + email.Split('@')[0]);
        var client = app.CreateBrowser();
        using var response = await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>
    /// Posts a form of <paramref name="page"/> as a browser would: its hidden fields (the antiforgery token among them)
    /// and the given values; <paramref name="pageUrl"/> is where the form posts when it has no action.
    /// </summary>
    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string formSelector, Dictionary<string, string> values, string pageUrl)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new Xunit.Sdk.XunitException($"no form matches '{formSelector}'");
        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (key, value) in values) fields[key] = value;
        var action = form.GetAttribute("action");
        return client.PostAsync(string.IsNullOrEmpty(action) ? pageUrl : action, new FormUrlEncodedContent(fields));
    }

    /// <summary>Reads a response as a page.</summary>
    public static async Task<IDocument> ReadPageAsync(this HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>A version as the database has it now.</summary>
    public static async Task<ArticleVersion> VersionAsync(this IbmInfoFactory app, string slug, int number)
    {
        ArticleVersion? version = null;
        await app.WithDbAsync(async db => version = await db.Versions.AsNoTracking().Include(v => v.Transitions)
            .SingleAsync(v => v.Article.Slug == slug && v.Number == number));
        return version!;
    }
}
