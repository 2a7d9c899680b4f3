using IbmInfo.Web.Tests.Infrastructure;
using IbmInfo.Web.Tests.Reliability;

namespace IbmInfo.Web.Tests.Hosting;

/// <summary>
/// The built app started as an operator would (<c>cd /tmp &amp;&amp; dotnet /srv/ibminfo/IbmInfo.Web.dll</c>), from a
/// folder that is not its own: what it writes to the console and to its file log.
/// </summary>
public sealed class LoggingTests(LoggingTests.Site shared) : IClassFixture<LoggingTests.Site>, IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(180);

    /// <summary>
    /// One process, started from another folder with the usual settings, for the tests that only read what it logs;
    /// the test without any log settings starts its own.
    /// </summary>
    public sealed class Site : IDisposable
    {
        public ContentTree Content { get; } = new();
        public string Temp { get; } = Directory.CreateTempSubdirectory("ibminfo-logging-").FullName;
        private readonly Lazy<SiteProcess> _process;

        public Site()
        {
            Content.WriteArticle("good", 1, "## Fine\n\nFine [@cochrane-2015].");
            Content.WriteArticle("bad", 1, "## Bad\n\nCites [@nobody].");
            _process = new(() => SiteProcess.Start(DatabasePath(Temp), Content.Root, Elsewhere(Temp)));
        }

        /// <summary>The process, started on first use.</summary>
        public SiteProcess Process => _process.Value;

        public void Dispose()
        {
            if (_process.IsValueCreated) _process.Value.Dispose();
            Content.Dispose();
            try { Directory.Delete(Temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private readonly string _temp = Directory.CreateTempSubdirectory("ibminfo-logging-").FullName;

    private static string Elsewhere(string temp) => Directory.CreateDirectory(Path.Combine(temp, "elsewhere")).FullName;
    private static string DatabasePath(string temp) => Path.Combine(Directory.CreateDirectory(Path.Combine(temp, "data")).FullName, "ibminfo.db");
    private static string LogFolder(string temp) => Path.Combine(temp, "data", "logs");

    /// <summary>
    /// Asks for an address of its own and waits for its request line: whatever the site logged for the requests before
    /// it is on the console by then.
    /// </summary>
    private static async Task LoggedSoFarAsync(SiteProcess site)
    {
        var marker = "/articles/marker-" + Guid.NewGuid().ToString("N");
        using (await site.Client.GetAsync(marker)) { }
        await site.WaitForLineAsync(marker, Bounded);
    }

    [Fact]
    public async Task Started_from_another_folder_it_logs_that_it_listens_the_sync_and_each_bad_file()
    {
        var site = shared.Process;
        await site.WaitUntilHealthyAsync(Bounded);

        Assert.Contains(site.BaseAddress.ToString().TrimEnd('/'), await site.WaitForLineAsync("Now listening on", Bounded));
        var problem = await site.WaitForLineAsync("articles/bad/1.md", Bounded);
        Assert.Matches(@"^\[[0-9:]{8} (WRN|ERR)\]", problem);
        Assert.Contains("nobody", problem);
        Assert.Matches("Content import .* 1 added", await site.WaitForLineAsync(" added, ", Bounded));

        // The same events reach the file log.
        Assert.Contains(await FileLogLinesAsync(shared.Temp, "articles/bad/1.md"), line => line.Contains("[ERR]") || line.Contains("[WRN]"));
    }

    [Fact]
    public async Task A_line_break_in_an_address_cannot_forge_a_log_line()
    {
        var site = shared.Process;
        await site.WaitUntilHealthyAsync(Bounded);

        // Decoded, this path holds a line feed and a carriage return, each followed by what looks like a log line.
        using (await site.Client.GetAsync("/articles/x%0a[12:00:00 ERR] forged%0d%0a2026-01-01 00:00:00.000 +00:00 [ERR] forged")) { }

        var request = await site.WaitForLineAsync("forged", Bounded);
        // Information, or Warning when this machine took over a second.
        Assert.Matches(@"^\[[0-9:]{8} (INF|WRN)\] .*HTTP ""GET"" ""/articles/x%0A.*forged%0D%0A2026.*forged"" responded 404 in [0-9]+(\.[0-9])? ms$", request);
        await LoggedSoFarAsync(site);
        Assert.Single(site.Output.Split('\n'), line => line.Contains("forged"));

        var fileLines = await FileLogLinesAsync(shared.Temp, "forged");
        var inFile = Assert.Single(fileLines, line => line.Contains("forged"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d .*\[(INF|WRN)\] .*HTTP ""GET"" ""/articles/x%0A", inFile);
    }

    [Fact]
    public async Task Without_any_log_settings_it_still_logs_to_the_console()
    {
        // A content root without appsettings.json, and none of the test's own log settings: Serilog is given no sink.
        var noSettings = Directory.CreateDirectory(Path.Combine(_temp, "no-settings")).FullName;
        using var site = SiteProcess.Start(DatabasePath(_temp), shared.Content.Root, Elsewhere(_temp), new Dictionary<string, string?>
        {
            ["ASPNETCORE_CONTENTROOT"] = noSettings,
            ["Serilog__WriteTo__1__Args__path"] = null,
        });
        await site.WaitUntilHealthyAsync(Bounded);

        await site.WaitForLineAsync("Now listening on", Bounded);
        Assert.Matches(@"^\[[0-9:]{8} (WRN|ERR)\]", await site.WaitForLineAsync("articles/bad/1.md", Bounded));
        // Still at the default levels: the framework's per-request Information events stay out.
        using (await site.Client.GetAsync("/")) { }
        await LoggedSoFarAsync(site);
        Assert.DoesNotContain("Request starting", site.Output);
    }

    /// <summary>The file log's lines once one contains <paramref name="text"/> (the file sink writes each event as it comes).</summary>
    private static async Task<string[]> FileLogLinesAsync(string temp, string text)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var lines = Directory.Exists(LogFolder(temp))
                ? Directory.GetFiles(LogFolder(temp)).SelectMany(file =>
                {
                    using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                    return reader.ReadToEnd().Split('\n');
                }).ToArray()
                : [];
            if (lines.Any(l => l.Contains(text, StringComparison.Ordinal)) || waited.Elapsed > Bounded) return lines;
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
