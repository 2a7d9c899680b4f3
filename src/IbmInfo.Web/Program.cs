using IbmInfo.Web.Hosting;
using Serilog;

Logging.UseBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Paths.AppFolderWhenStartedElsewhere(args) });
    builder.AddIbmInfo();
    var app = builder.Build();

    if (Commands.IsCommand(args))
        return await Commands.RunAsync(app, args);

    app.UseIbmInfo();
    await app.RunAsync();
    return 0;
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
