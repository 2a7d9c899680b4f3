using System.Threading.Channels;
using IbmInfo.Web.Publishing;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IbmInfo.Web.Hosting;

/// <summary>How the connection to the SMTP server is protected.</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP, for a relay on the same machine or network only.</summary>
    None,
    /// <summary>Connect in plain text, then upgrade with STARTTLS (refused when the server does not offer it).</summary>
    StartTls,
    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,
}

/// <summary><c>Mail:*</c>: the SMTP server notifications go through. Mail is off while <see cref="Host"/> is not set.</summary>
public sealed class MailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>The sender, e.g. <c>IbmInfo &lt;review@ibminfo.org&gt;</c>.</summary>
    public string? From { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>One plain-text e-mail to one account; <see cref="Attempt"/> counts the tries so far.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text, int Attempt = 0);

/// <summary>
/// The e-mails waiting to be sent, in this process's memory: the review step that caused one has already been
/// committed, so the person acting never waits for the SMTP server. A mail still queued when the process stops is
/// lost (logged); each node of a multi-node site sends what its own requests queued.
/// </summary>
public sealed class MailQueue(IOptions<MailOptions> options, ILogger<MailQueue> logger)
{
    private const int Capacity = 1000;

    private readonly Channel<OutgoingMail> _channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public bool Enabled => options.Value.Enabled;

    internal ChannelReader<OutgoingMail> Reader => _channel.Reader;

    /// <summary>Queues a mail; does nothing while mail is off. Never throws and never waits.</summary>
    public void Enqueue(OutgoingMail mail)
    {
        if (!Enabled) return;
        if (!_channel.Writer.TryWrite(mail))
            logger.LogWarning("Mail to {Recipient} not sent: {Capacity} mails are already waiting for the SMTP server ({Subject})", mail.To, Capacity, mail.Subject);
    }
}

/// <summary>
/// Sends the queued mails through the SMTP server in the background, one connection per mail. A failed send is
/// logged as a Warning naming the recipient and tried again later, at most <see cref="RetryDelays"/>.Length more times.
/// </summary>
public sealed class MailSender(MailQueue queue, IOptions<MailOptions> options, ILogger<MailSender> logger) : BackgroundService
{
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Mail is off: Mail:Host is not set, so review notifications and reminders are not e-mailed (My work still shows them)");
            return;
        }
        logger.LogInformation("Mail goes through {Host}:{Port} ({Security}) from {From}", settings.Host, settings.Port, settings.Security, settings.From);
        await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
            await SendAsync(mail, stoppingToken);
    }

    /// <summary>
    /// Sends what is queued now, trying each mail once, and returns: for a command (<c>content import</c>), whose
    /// process ends before a background loop would have run.
    /// </summary>
    public async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        while (queue.Reader.TryRead(out var mail))
            await SendAsync(mail with { Attempt = RetryDelays.Length }, cancellationToken);
    }

    private async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await SendOnceAsync(mail, cancellationToken);
            logger.LogInformation("Mail sent to {Recipient}: {Subject}", mail.To, mail.Subject);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (mail.Attempt >= RetryDelays.Length)
            {
                logger.LogWarning("Mail to {Recipient} not sent, and not tried again: {Reason} ({Subject})", mail.To, e.Message, mail.Subject);
                return;
            }
            var delay = RetryDelays[mail.Attempt];
            logger.LogWarning("Mail to {Recipient} not sent ({Reason}); trying again in {Delay} ({Subject})", mail.To, e.Message, delay, mail.Subject);
            _ = RetryLaterAsync(mail with { Attempt = mail.Attempt + 1 }, delay, cancellationToken);
        }
    }

    private async Task RetryLaterAsync(OutgoingMail mail, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            queue.Enqueue(mail);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Mail to {Recipient} not sent: the site stopped before the next try ({Subject})", mail.To, mail.Subject);
        }
    }

    private async Task SendOnceAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From!));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Text };

        using var smtp = new SmtpClient { Timeout = 30_000 };
        var security = settings.Security switch
        {
            MailSecurity.None => SecureSocketOptions.None,
            MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await smtp.ConnectAsync(settings.Host!, settings.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// The daily check for re-reviews due: once the site has started, then every 24 hours. What was sent is kept in the
/// database (<see cref="Data.SentReminder"/>), so a restart or the next day's check does not send it again.
/// </summary>
public sealed class ReviewReminderCheck(IServiceScopeFactory scopes, MailQueue queue, IHostApplicationLifetime lifetime, ILogger<ReviewReminderCheck> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(24);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reminders are not recorded while mail is off, so they are sent once it is switched on.
        if (!queue.Enabled) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
            await started.Task.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ReviewNotifications>().SendDueRemindersAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The check for re-reviews due failed; it runs again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class MailHosting
{
    /// <summary>Adds <c>Mail:*</c>, the queue, the sender, the notifications and the daily reminder check.</summary>
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MailOptions>()
            .Bind(builder.Configuration.GetSection("Mail"))
            .Validate(o => !o.Enabled || MailboxAddress.TryParse(o.From, out _), "Mail:From must be an e-mail address, such as IbmInfo <review@ibminfo.org>, when Mail:Host is set.")
            .Validate(o => o.Port is >= 1 and <= 65535, "Mail:Port must be a port number from 1 to 65535.")
            .Validate(o => string.IsNullOrEmpty(o.Password) || !string.IsNullOrEmpty(o.UserName), "Mail:Password is set without Mail:UserName.")
            .ValidateOnStart();
        services.AddSingleton<MailQueue>();
        services.AddSingleton<MailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        services.AddHostedService<ReviewReminderCheck>();
        services.AddScoped<ReviewNotifications>();
        return builder;
    }
}
