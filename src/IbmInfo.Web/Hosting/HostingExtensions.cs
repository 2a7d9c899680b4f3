using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// The site's builder, made from the process's arguments: one place for the process (<c>Program.cs</c>) and for the
    /// tests that run a command in their own process, whose entry assembly is not the app's (the static assets'
    /// manifest is found by the application's name).
    /// </summary>
    public static WebApplicationBuilder CreateSiteBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = Paths.AppFolderWhenStartedElsewhere(args),
        ApplicationName = typeof(HostingExtensions).Assembly.GetName().Name,
    });

    /// <summary>Adds logging, the database, the content pipeline and the pages.</summary>
    public static WebApplicationBuilder AddIbmInfo(this WebApplicationBuilder builder)
    {
        builder.AddSerilogLogging();
        var services = builder.Services;
        var appRoot = builder.Environment.ContentRootPath;
        services.AddIbmInfoDatabase(builder.Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ContentOptions(Paths.ContentRoot(builder.Configuration, appRoot)));
        services.AddSingleton<ContentRenderer>();
        services.AddSingleton<SiteRoutes>();
        services.AddSingleton(sp => new ContentLoader(sp.GetRequiredService<ContentRenderer>(), sp.GetRequiredService<SiteRoutes>().Shadowing));
        services.AddSingleton<ContentStatus>();
        services.AddSingleton<SiteChanges>();
        services.AddSingleton<CurrentRenderings>();
        services.AddScoped<ISearchIndex>(sp => sp.GetRequiredService<IbmInfoDb>() switch { PostgreSqlIbmInfoDb db => new PostgreSqlSearchIndex(db), var db => new SqliteSearchIndex(db) });
        services.AddScoped<ContentSync>();
        services.AddScoped<PublishedContent>();
        services.AddScoped<WebEditor>();
        services.AddScoped<MyWork>();
        services.AddSingleton<Pages.Articles.FeedbackFollowUp>();
        services.AddHostedService<StartupSync>();
        // Several nodes hear each other's changes, imports from the command line included; one SQLite process watches for those.
        if (DatabaseAccess.ProviderFrom(builder.Configuration) == DatabaseProvider.PostgreSql) services.AddHostedService<SiteChangeListener>();
        else services.AddHostedService<ImportWatcher>();
        builder.AddReviewWorkflow();
        builder.AddMail();
        builder.AddBuildStaticAssets();
        builder.AddPageCaching();
        builder.AddSecurityHeaders();
        builder.AddTrustedProxies();
        builder.AddRateLimits();
        builder.AddCalmErrors();
        SiteAddress.AddSiteAddress(builder);
        builder.AddPersistentDataProtection();

        services.AddRazorPages(options =>
            options.Conventions.AddPageRoute("/Articles/Article", "/articles/{slug}/v/{number:int}"));
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ContentHealthCheck>("content");
        return builder;
    }

    /// <summary>The request pipeline: the client's address from trusted proxies, security headers, request log, friendly errors, same-origin check, static files, rate limits, sign-in, page cache, pages and the health check.</summary>
    public static WebApplication UseIbmInfo(this WebApplication app)
    {
        app.UseForwardedHeadersFromTrustedProxies();
        app.UseSecurityHeaders();
        // Readers never see a stack trace, in any environment: errors and unknown addresses get our own pages.
        app.UseRequestLogging();
        app.UseExceptionHandler(CalmErrors.ExceptionHandler);
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseValidHostHeader();
        app.UseMiddleware<SameOriginPosts>();
        app.MapStaticAssets();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseReviewWorkflow();
        app.UseAudienceLinks();
        app.UsePageCaching();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapRazorPages().WithStaticAssets();
        // The content check refuses slugs whose address one of these routes would take.
        app.Services.GetRequiredService<SiteRoutes>().Use(((IEndpointRouteBuilder)app).DataSources);
        return app;
    }
}

/// <summary>Where the content folder is.</summary>
public sealed record ContentOptions(string Root);
