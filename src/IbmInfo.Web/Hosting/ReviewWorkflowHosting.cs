using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Hosting;

/// <summary>Accounts, sign-in, the editor area's access rules and the review workflow.</summary>
public static class ReviewWorkflowHosting
{
    /// <summary>Editors and reviewers: who may enter <c>/editor</c>.</summary>
    public const string EditorialStaff = "EditorialStaff";

    public static WebApplicationBuilder AddReviewWorkflow(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReviewOptions>()
            .Bind(builder.Configuration.GetSection("Review"))
            .Validate(o => o.IntervalMonths is >= 1 and <= 60, "Review:IntervalMonths must be a number of months from 1 to 60.")
            .ValidateOnStart();
        services.AddScoped<ReviewWorkflow>();

        services.AddIdentity<IdentityUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length protects better than forced symbols: a passphrase of 12 or more characters.
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 5;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                // Wrong passwords lock an account per client address (Pages/Account/SignInAttempts), not in the
                // database, where a stranger could lock an editor out from anywhere.
            })
            .AddEntityFrameworkStores<IbmInfoDb>();
        // Every signed-in request checks the account's security stamp, so signing out, a new password (users password),
        // a removed account or a changed role ends every session of it at once, copied cookies included. The check
        // runs only for requests that carry a sign-in cookie: readers have none and never pay for it.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<IbmInfo.Web.Pages.Account.SignInAttempts>();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "ibminfo.signin";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.ReturnUrlParameter = "returnUrl";
            // A signed-in person without the role gets a plain 403, shown by the friendly error page.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(EditorialStaff, policy => policy.RequireRole(Roles.Editor, Roles.Reviewer))
            .AddPolicy(Roles.Editor, policy => policy.RequireRole(Roles.Editor));

        // After AddRazorPages has set its own conventions up, whatever the order of registration.
        services.PostConfigure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Editor", EditorialStaff);
            // Private pages are never kept by a browser or proxy cache.
            var noStore = new ResponseCacheAttribute { NoStore = true, Location = ResponseCacheLocation.None };
            options.Conventions.AddFolderApplicationModelConvention("/Editor", model => model.Filters.Add(noStore));
            options.Conventions.AddFolderApplicationModelConvention("/Account", model => model.Filters.Add(noStore));
            // The history page's "compare" form is a plain GET form, so it lands here with ?a=&b= query values.
            options.Conventions.AddPageRoute("/Articles/Diff", "/articles/{slug}/diff");
        });
        return builder;
    }

    /// <summary>Who is signed in, and whether they may see the page; after routing, before the pages.</summary>
    public static WebApplication UseReviewWorkflow(this WebApplication app)
    {
        // Only a request carrying the sign-in cookie can be someone's. The others (every reader) skip authentication,
        // which would make a service scope, a handler and its logger per request only to find no cookie.
        var signInCookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).Cookie.Name!;
        app.UseWhen(context => context.Request.Cookies.ContainsKey(signInCookie), signedIn => signedIn.UseAuthentication());
        // What UseAuthentication marks on the pipeline it is called on: without it WebApplication would add
        // authentication once more, for every request, at the start.
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseAuthorization();
        return app;
    }
}
