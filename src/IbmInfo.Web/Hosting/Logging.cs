using Serilog;
using Serilog.Events;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Serilog for everything the app logs (<c>Serilog:*</c> in configuration), and one event per request from
/// Serilog.AspNetCore's request logging. Quick successful requests log at Debug: written per request at tens of
/// thousands a second, they would cost more than serving the page, and below the minimum level no event is made at
/// all. Client errors log at Information, slow requests at Warning, server errors at Error. Set
/// <c>Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware</c> to <c>Debug</c> for a full
/// access log.
/// </summary>
public static class Logging
{
    /// <summary>
    /// The console layout when configuration names none. <c>{Message:j}</c> renders every string value JSON-escaped, so
    /// nothing taken from a request or a file (a path with <c>%0a</c>, a file name) can start a line of its own.
    /// </summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:j}{NewLine}{Exception}";

    public const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private const double SlowMs = 1000;

    /// <summary>
    /// The logger for start-up, before configuration is read: to the console. The app's own logger replaces it once the
    /// host is built; it stays for a failure the host cannot log itself.
    /// </summary>
    public static void UseBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:j}{NewLine}{Exception}")
            .CreateBootstrapLogger();

    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        var configuration = WithFilePathsUnder(builder.Configuration, builder.Environment.ContentRootPath);
        // Each host keeps its own logger rather than replacing the static one: a test run starts several in one process.
        builder.Services.AddSerilog((services, logger) =>
        {
            // The defaults first; configuration, when found, overrides them.
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                // Its events are the framework's per-request ones, which the request log replaces. Enabled at all (even for
                // Critical), it also makes an Activity and a logging scope for every request.
                .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LevelAlias.Off)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                // Program.cs prints it as one line; the host's own "failed to start" event would repeat it with a stack trace.
                .Filter.ByExcluding(e => e.Exception is CannotStartException);
            // Without any sink configured (no appsettings.json found, or one without the section) Serilog would write
            // nothing at all: the console is the least an operator must get.
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
                logger.WriteTo.Console(outputTemplate: ConsoleTemplate);
        }, preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One event per request, at the level <see cref="Level"/> gives; first in the pipeline but the security headers.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, looked up once: without it the middleware asks the static logger for a new one per request.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = RequestTemplate;
            options.GetLevel = Level;
            options.GetMessageTemplateProperties = static (context, _, elapsedMs, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                // Percent-encoded as on the wire: the decoded path may hold a line break (%0a) or other control characters.
                new LogEventProperty("RequestPath", new ScalarValue(context.Request.Path.ToUriComponent())),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                // Rounded here: a JSON-rendering template ({Message:j}) ignores the template's own format.
                new LogEventProperty("Elapsed", new ScalarValue(Math.Round(elapsedMs, 1))),
            ];
        });
        return app;
    }

    internal static LogEventLevel Level(HttpContext context, double elapsedMs, Exception? error) =>
        error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
        : elapsedMs >= SlowMs ? LogEventLevel.Warning
        : context.Response.StatusCode >= 400 ? LogEventLevel.Information
        : LogEventLevel.Debug;

    /// <summary>
    /// A relative log file path (<c>data/logs/…</c>) is taken under the app's content root, beside the database, not
    /// under whatever folder the process was started from.
    /// </summary>
    private static IConfiguration WithFilePathsUnder(IConfiguration configuration, string appRoot)
    {
        var paths = configuration.GetSection("Serilog:WriteTo").GetChildren()
            .Where(sink => sink["Args:path"] is { Length: > 0 } path && !Path.IsPathRooted(path))
            .Select(sink => KeyValuePair.Create(sink.Path + ":Args:path", (string?)Path.GetFullPath(sink["Args:path"]!, appRoot)))
            .ToList();
        return paths.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(paths).Build();
    }
}
