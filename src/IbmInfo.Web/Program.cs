using IbmInfo.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddIbmInfo();
var app = builder.Build();

if (Commands.IsCommand(args))
    return await Commands.RunAsync(app, args);

app.UseIbmInfo();
await app.RunAsync();
return 0;

/// <summary>The web app's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
