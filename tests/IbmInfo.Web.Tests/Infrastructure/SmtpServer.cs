using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (Debian's aiosmtpd) that writes every message it receives to a Maildir. <c>./test.sh</c>
/// starts one and names it in <c>IBMINFO_TEST_SMTP_PORT</c> and <c>IBMINFO_TEST_SMTP_MAILDIR</c>; run without them
/// (<c>dotnet test</c> directly), the tests start one themselves when <c>python3 -m aiosmtpd</c> is there, and
/// otherwise fail saying how to get it. One server serves the whole run: each test mails addresses of its own.
/// </summary>
public sealed class SmtpServer
{
    private static readonly Lazy<SmtpServer> Instance = new(Start);

    private SmtpServer(int port, string maildir) => (Port, Maildir) = (port, maildir);

    public static SmtpServer Shared => Instance.Value;

    public int Port { get; }
    public string Maildir { get; }

    /// <summary>The app's <c>Mail:*</c> settings for this server.</summary>
    public void Configure(IbmInfoFactory app, string baseUrl = "https://ibminfo.example")
    {
        app.Settings["Mail:Host"] = "127.0.0.1";
        app.Settings["Mail:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["Mail:Security"] = "None";
        app.Settings["Mail:From"] = "IbmInfo <review@ibminfo.example>";
        app.Settings["Site:BaseUrl"] = baseUrl;
    }

    /// <summary>Every message that has arrived for <paramref name="address"/> so far.</summary>
    public List<MimeMessage> MessagesTo(string address)
    {
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder).OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal)
            .Select(file => MimeMessage.Load(file))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Waits, at most <paramref name="seconds"/>, for <paramref name="count"/> messages to <paramref name="address"/>.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string address, int count = 1, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = MessagesTo(address);
            if (messages.Count >= count) return messages;
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"{messages.Count} of {count} e-mails to {address} arrived within {seconds} s: " +
                    string.Join("; ", messages.Select(m => m.Subject)));
            await Task.Delay(100);
        }
    }

    /// <summary>The message's plain text.</summary>
    public static string Text(MimeMessage message) => message.TextBody ?? throw new Xunit.Sdk.XunitException($"'{message.Subject}' has no plain-text part");

    private static SmtpServer Start()
    {
        if (Environment.GetEnvironmentVariable("IBMINFO_TEST_SMTP_PORT") is { Length: > 0 } given
            && Environment.GetEnvironmentVariable("IBMINFO_TEST_SMTP_MAILDIR") is { Length: > 0 } maildir)
            return new SmtpServer(int.Parse(given, System.Globalization.CultureInfo.InvariantCulture), maildir);

        var python = new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(HasAiosmtpd)
            ?? throw new Xunit.Sdk.XunitException(
                "The mail tests need a real SMTP server and none was given: run ./test.sh, which installs Debian's python3-aiosmtpd and starts it " +
                "(or apt-get install python3-aiosmtpd, and the tests start it themselves).");
        var folder = Path.Combine(Path.GetTempPath(), "ibminfo-smtp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder); // aiosmtpd makes the Maildir, not its parent
        var port = FreePort();
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(folder, "Maildir") })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) said.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) said.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        };
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new SmtpServer(port, Path.Combine(folder, "Maildir"));
            }
            catch (SocketException) when (DateTime.UtcNow < until && !process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (SocketException e)
            {
                throw new Xunit.Sdk.XunitException($"aiosmtpd ({python}) did not start on port {port}: {e.Message}; it said: {string.Join(" | ", said)}");
            }
        }
    }

    private static bool HasAiosmtpd(string python)
    {
        try
        {
            using var check = Process.Start(new ProcessStartInfo(python, "-c \"import aiosmtpd\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            check.WaitForExit(10_000);
            return check.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
