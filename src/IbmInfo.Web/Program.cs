using IbmInfo.Web.Hosting;
using Serilog;

Logging.UseBootstrapLogger();
try
{
    var builder = HostingExtensions.CreateSiteBuilder(args);
    builder.AddIbmInfo();
    var app = builder.Build();

    if (Commands.IsCommand(args))
        return await Commands.RunAsync(app, args, CommandConsole.OfProcess());

    app.UseIbmInfo();
    await app.RunAsync();
    return 0;
}
catch (CannotStartException e)
{
    // A setting or deploy step to fix: its message is the whole story. Part of the text, not a property, which the
    // console would print as a quoted, escaped string.
    Log.Fatal("The site cannot start: " + e.Message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
    return 1;
}
catch (Exception e) when (e is not HostAbortedException) // the test host stops the program that way once it has the app
{
    Log.Fatal(e, "The site stopped on an error");
    throw; // still a failed start for whoever started it: the exit code, or the test host waiting for its app
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The web app's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
