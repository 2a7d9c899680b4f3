using System.Collections.Concurrent;
using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// The app on real Kestrel at 127.0.0.1, on its own content and database, reached as through a load balancer: every
/// request really comes from 127.0.0.1, and a test sends the <c>X-Forwarded-*</c> headers a balancer would add.
/// </summary>
public sealed class ProxiedApp : IDisposable
{
    public const string Slug = "falls";

    private Uri? _baseUrl;

    public ProxiedApp()
    {
        Content.WriteArticle(Slug, 1, "## Falls\n\nA walking aid helps.", title: "Preventing falls");
        App = new LoggedApp(Content.Root, _log);
    }

    private readonly ConcurrentQueue<string> _log = new();

    public ContentTree Content { get; } = new();
    public IbmInfoFactory App { get; }

    /// <summary>Settings go in <see cref="IbmInfoFactory.Settings"/> first; the app starts on the first client.</summary>
    public Uri BaseUrl => _baseUrl ??= Start();

    /// <summary>A browser-like client (cookies kept, no redirects followed) whose requests carry the given forwarded headers.</summary>
    public HttpClient Client(string? forwardedFor = null, string? forwardedProto = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        return client;
    }

    /// <summary>Posts the article's follow-up question form, as a reader would.</summary>
    public static async Task<HttpResponseMessage> AskAsync(HttpClient client, string question)
    {
        var (_, article) = await client.GetPageAsync("/articles/" + Slug);
        return await client.SubmitAsync(article, ".follow-up form", ("name", "Sam"), ("question", question));
    }

    /// <summary>Every event the app has logged so far, one a line, as "Level: message".</summary>
    public string Log() => string.Join('\n', _log);

    private Uri Start()
    {
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        App.Dispose();
        Content.Dispose();
    }

    private sealed class LoggedApp(string contentRoot, ConcurrentQueue<string> log) : IbmInfoFactory(contentRoot), ILogEventSink
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(this));
        }

        public void Emit(LogEvent logEvent) => log.Enqueue(logEvent.Level + ": " + logEvent.RenderMessage());
    }
}
