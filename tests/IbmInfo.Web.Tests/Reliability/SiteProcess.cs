using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// The built app as a real process on 127.0.0.1 (a free port), in Production, on the given database file and content
/// folder: what an operator runs, so that it can be killed mid-sync like a real one. Its console log is kept, and a
/// test can wait for a line. Disposing kills it.
/// </summary>
public sealed class SiteProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public Stopwatch SinceStart { get; } = Stopwatch.StartNew();

    private SiteProcess(string databasePath, string contentRoot, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var dataFolder = Path.GetDirectoryName(databasePath)!;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory, // by default the app folder, where its appsettings.json is
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IbmInfo.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString());
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__IbmInfo"] = $"Data Source={databasePath}";
        start.Environment["Content__Root"] = contentRoot;
        start.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(dataFolder, "logs", "ibminfo-.log");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts the app; <paramref name="settings"/> are extra environment variables (<c>RateLimits__FormPostsPerMinute</c> …).</summary>
    public static SiteProcess Start(string databasePath, string contentRoot, IReadOnlyDictionary<string, string>? settings = null) =>
        new(databasePath, contentRoot, null, settings?.ToDictionary(s => s.Key, s => (string?)s.Value));

    /// <summary>
    /// Started on a PostgreSQL database (<paramref name="connectionString"/>); its log files go to
    /// <paramref name="dataFolder"/>. Several can share one database, as nodes behind a balancer do.
    /// </summary>
    public static SiteProcess StartOnPostgreSql(string connectionString, string dataFolder, string contentRoot, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__IbmInfo"] = connectionString,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) environment[name] = value;
        return new(Path.Combine(dataFolder, "unused.db"), contentRoot, null, environment);
    }

    /// <summary>Started from <paramref name="workingDirectory"/> (not the app's folder), with extra environment variables (null removes one).</summary>
    public static SiteProcess Start(string databasePath, string contentRoot, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(databasePath, contentRoot, workingDirectory, environment);

    /// <summary>Everything the process has written to its console so far.</summary>
    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    public bool HasLogged(string text) { lock (_lines) return _lines.Any(l => l.Contains(text, StringComparison.Ordinal)); }

    /// <summary>The first console line containing <paramref name="text"/>, waited for; fails after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>();
        lock (_lines)
        {
            if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is string line) return line;
            _waiters.Add((text, seen));
        }
        try { return await seen.Task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new Xunit.Sdk.XunitException($"no line with '{text}' within {timeout.TotalSeconds} s; output:\n{Output}"); }
    }

    /// <summary>Waits until the server answers at all (any status), returning that first answer's status for <paramref name="path"/>.</summary>
    public async Task<HttpStatusCode> FirstAnswerAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new Xunit.Sdk.XunitException($"the app exited with code {_process.ExitCode}; output:\n{Output}");
            try
            {
                using var response = await Client.GetAsync(path);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Polls <c>/healthz</c> until it answers 200; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (await FirstAnswerAsync("/healthz", timeout) != HttpStatusCode.OK)
        {
            if (deadline.Elapsed > timeout) throw new Xunit.Sdk.XunitException($"/healthz not 200 within {timeout.TotalSeconds} s; output:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    private void Record(string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> matched;
        lock (_lines)
        {
            _lines.Add(line);
            matched = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Seen).ToList();
            _waiters.RemoveAll(w => matched.Contains(w.Seen));
        }
        // Completed on the reading thread, so a test waiting to kill the process acts within the same moment.
        foreach (var seen in matched) seen.TrySetResult(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
    }
}
