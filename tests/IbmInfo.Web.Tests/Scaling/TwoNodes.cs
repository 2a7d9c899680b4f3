using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IbmInfo.Web.Tests.Infrastructure;
using IbmInfo.Web.Tests.Reliability;
using Npgsql;

namespace IbmInfo.Web.Tests.Scaling;

/// <summary>
/// Two app processes (the built app, in Production) on one PostgreSQL database, started at the same moment as a
/// deploy would, behind a real nginx sending requests to them in turn. The database is migrated first (the deploy
/// step), and a reviewer account is made with <c>users add</c>, as an operator does. Needs the PostgreSQL server
/// that <c>./test.sh</c> starts (<c>IBMINFO_TEST_POSTGRES</c>).
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const string Reviewer = "reviewer@example.org";

    public ContentTree Content { get; } = new();
    public string Database { get; } = "ibminfo_nodes_" + Guid.NewGuid().ToString("N")[..12];
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("ibminfo-nodes-").FullName;
    public SiteProcess A { get; private set; } = null!;
    public SiteProcess B { get; private set; } = null!;
    public Nginx Balancer { get; private set; } = null!;
    public string ConnectionString => TestDatabase.PostgreSqlConnectionString(Database);

    /// <summary>What every node is started with, beside the database.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["RateLimits__FormPostsPerMinute"] = "100000",
    };

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("IBMINFO_TEST_POSTGRES")))
            throw new InvalidOperationException("The multi-node tests need a PostgreSQL server (IBMINFO_TEST_POSTGRES): run them with ./test.sh, which starts one (and nginx).");
        Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        Content.WriteArticle("fatigue", 1, "## Fatigue\n\nTiredness is common in IBM [@cochrane-2015].", title: "Living with fatigue");
        Content.WriteArticle("swallowing", 1, "## Swallowing\n\nSwallowing trouble is common in IBM [@cochrane-2015].", title: "Swallowing safely");
        TestDatabase.CreatePostgreSqlIfMissing(Database, migrated: true);
        var added = await RunCommandAsync(Editorial.Password, "users", "add", "--email", Reviewer, "--role", "Reviewer", "--name", "Dr Reviewer");
        Assert.True(added.ExitCode == 0, added.Output);

        // Both at once, as after a deploy: their start-up imports meet, and one of them may skip.
        A = StartNode();
        B = StartNode();
        await Task.WhenAll(A.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90)), B.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90)));
        Balancer = Nginx.Start(A.BaseAddress, B.BaseAddress, DataFolder);
    }

    public SiteProcess StartNode() => SiteProcess.StartOnPostgreSql(ConnectionString, DataFolder, Content.Root, Settings);

    /// <summary>The built app's command line on the nodes' database, as an operator runs it; <paramref name="input"/> is its standard input.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IbmInfo.Web.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "PostgreSql";
        start.Environment["ConnectionStrings__IbmInfo"] = ConnectionString;
        start.Environment["Content__Root"] = Content.Root;
        start.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(DataFolder, "logs", "command-.log");
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }

    /// <summary>One value from the nodes' database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = TestDatabase.Open(Database);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public Task DisposeAsync()
    {
        Balancer?.Dispose();
        A?.Dispose();
        B?.Dispose();
        Content.Dispose();
        try { TestDatabase.DropPostgreSql(Database); }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* no server: nothing was made */ }
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Debian's nginx on a free loopback port in front of two nodes, round-robin, with the headers a balancer passes;
/// its configuration, pid, logs and temporary files in a folder of its own. Disposing kills it.
/// </summary>
public sealed class Nginx : IDisposable
{
    private readonly Process _process;

    public Uri BaseAddress { get; }

    private Nginx(Process process, Uri address) => (_process, BaseAddress) = (process, address);

    public static Nginx Start(Uri first, Uri second, string parent)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, "nginx")).FullName;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var config = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(config, $$"""
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                upstream nodes {
                    server {{first.Authority}};
                    server {{second.Authority}};
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://nodes;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
            }
            """);
        var executable = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", folder, "-c", config }) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var nginx = new Nginx(process, new Uri($"http://127.0.0.1:{port}"));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                var log = File.Exists(Path.Combine(folder, "error.log")) ? File.ReadAllText(Path.Combine(folder, "error.log")) : "";
                nginx.Dispose();
                throw new Xunit.Sdk.XunitException($"nginx did not start on port {port}: {log}");
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
