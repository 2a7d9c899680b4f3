using System.Collections.Concurrent;
using System.Net;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.AlertCard;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UglyToad.PdfPig;

namespace IbmInfo.Web.Tests.Pages.AlertCard;

/// <summary>
/// The alert card page, its blank PDF and the card made with the reader's own details, all from
/// content/pages/alert-card; the PDFs are read back with PdfPig, as a viewer would.
/// </summary>
public sealed class AlertCardTests(AlertCardTests.Site site) : IClassFixture<AlertCardTests.Site>
{
    /// <summary>Characters an editor may write that lie outside the standard PDF fonts' Latin-1.</summary>
    public const string Unicode = "Cymraeg: ŵ ŷ Ŵ Ŷ, Łódź; score ≥ 3 → call";

    public const string Card = $"""
        ## Front

        - I have inclusion body myositis (IBM)
        - {Unicode}

        ::: clinician
        ## Back

        - Corticosteroids are not effective in IBM
        - Watch for aspiration pneumonia

        ## Sources

        Where the points come from [@cochrane-2015].
        :::
        """;

    private const double A4Width = 595.28, A4Height = 841.89, CardWidth = 242.65, CardHeight = 153.07;

    /// <summary>One app for the tests that only read: the card in test content, pending review.</summary>
    public sealed class Site : IDisposable
    {
        public ContentTree Content { get; } = new();
        public IbmInfoFactory App { get; }

        public Site()
        {
            Content.WritePage("alert-card", 1, Card, title: "IBM alert card");
            App = new IbmInfoFactory(Content.Root);
        }

        public void Dispose()
        {
            App.Dispose();
            Content.Dispose();
        }
    }

    private HttpClient Client => site.App.CreateClient();

    [Fact]
    public async Task The_page_shows_both_faces_the_form_and_a_qr_code_for_clinicians()
    {
        var (status, page) = await Client.GetPageAsync("/alert-card");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["I have inclusion body myositis (IBM)", Unicode], page.QuerySelectorAll(".alert-card-front li").Select(l => l.TextContent));
        Assert.Equal(["Corticosteroids are not effective in IBM", "Watch for aspiration pneumonia"], page.QuerySelectorAll(".alert-card-back li").Select(l => l.TextContent));
        Assert.All(page.QuerySelectorAll(".alert-card-version"), v => Assert.Equal("Card version 1 · 1 November 2026", v.TextContent));
        Assert.NotNull(page.QuerySelector(".alert-card-back svg.alert-card-qr path"));
        Assert.Equal("/alert-card-clinicians?audience=clinician", page.QuerySelector(".alert-card-url a")!.GetAttribute("href"));
        Assert.Equal("/alert-card.pdf", page.QuerySelector("a.button[download]")!.GetAttribute("href"));
        Assert.Contains("pending review", page.Text(".caution"));

        var form = page.QuerySelector("form[action='/alert-card/personal']")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal(["name", "contact", "specialist", "phone"], form.QuerySelectorAll("input").Select(i => i.GetAttribute("name")));
        Assert.All(form.QuerySelectorAll("input"), i => Assert.Equal("", i.GetAttribute("value") ?? ""));
        Assert.All(form.QuerySelectorAll("input"), i => Assert.NotNull(page.QuerySelector($"label[for='{i.Id}']")));
    }

    [Fact]
    public async Task The_blank_pdf_has_an_a4_sheet_with_both_faces_and_the_two_card_size_pages_and_stays_cacheable()
    {
        using var response = await Client.GetAsync("/alert-card.pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ibm-alert-card-pending-review.pdf", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.StartsWith("public", response.Headers.CacheControl!.ToString());
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(3, pdf.NumberOfPages);
        var sheet = pdf.GetPage(1);
        Assert.Equal(A4Width, sheet.Width, 0.5);
        Assert.Equal(A4Height, sheet.Height, 0.5);
        var sheetText = PdfText.Of(sheet);
        Assert.Contains(AlertCardPdf.PrintAtActualSize, sheetText);
        Assert.Contains("this line should be 5 cm long", sheetText);
        Assert.Contains("Fold along the dashed line", sheetText);

        // Side by side: the front's text in the left half of the pair, the back's in the right half.
        var foldX = A4Width / 2;
        var front = PdfText.Of(sheet, toX: foldX);
        var back = PdfText.Of(sheet, fromX: foldX);
        Assert.Contains("MEDICAL ALERT", front);
        Assert.Contains(Unicode, front);
        Assert.Contains("Corticosteroids are not effective in IBM", back);
        Assert.DoesNotContain("Corticosteroids", front);
        Assert.DoesNotContain(Unicode, back);

        foreach (var number in new[] { 2, 3 })
        {
            var face = pdf.GetPage(number);
            Assert.Equal(CardWidth, face.Width, 0.5);
            Assert.Equal(CardHeight, face.Height, 0.5);
            var text = PdfText.Of(face);
            Assert.Contains("Card version 1 · 1 November 2026", text);
            Assert.Contains("PENDING REVIEW", text);
            // Every letter on the card, none cut off at its edge, and none too small to read.
            Assert.All(face.Letters, l => Assert.True(l.BoundingBox.Left >= 0 && l.BoundingBox.Right <= CardWidth && l.BoundingBox.Bottom >= 0 && l.BoundingBox.Top <= CardHeight, $"'{l.Value}' lies outside the card"));
            Assert.All(face.Letters.Where(l => !char.IsWhiteSpace(l.Value[0])), l => Assert.True(l.PointSize >= 5.5, $"'{l.Value}' is {l.PointSize} pt"));
            // The font travels with the file, as a subset ("ABCDEF+DejaVu Sans").
            Assert.All(face.Letters, l => Assert.Matches(@"^[A-Z]{6}\+DejaVu Sans", l.FontName));
        }
        Assert.Contains("I have inclusion body myositis (IBM)", PdfText.Of(pdf.GetPage(2)));
        Assert.Contains(Unicode, PdfText.Of(pdf.GetPage(2)));
        Assert.Contains("Name", PdfText.Of(pdf.GetPage(2)));
        Assert.Contains("Watch for aspiration pneumonia", PdfText.Of(pdf.GetPage(3)));
        Assert.Contains("localhost/alert-card-clinicians", PdfText.Of(pdf.GetPage(3)));
        // The QR code is also a link on screen, to the same address it encodes.
        Assert.Equal("http://localhost/alert-card-clinicians?audience=clinician", Assert.Single(pdf.GetPage(3).GetHyperlinks()).Uri);
    }

    [Fact]
    public async Task A_card_made_with_the_form_carries_the_typed_name_contact_and_specialist_and_is_never_stored_by_a_cache()
    {
        var client = Client;
        var (_, page) = await client.GetPageAsync("/alert-card");

        using var response = await client.SubmitAsync(page, "form[action='/alert-card/personal']",
            ("name", "Siân Ŵyn Llŷr"), ("contact", "Gethin (brother) 07700 900123"), ("specialist", "Dr Ŷ Jones"), ("phone", "029 2074 7747"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.False(response.Headers.Contains("ETag"));
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var front = PdfText.Of(pdf.GetPage(2));
        var back = PdfText.Of(pdf.GetPage(3));
        Assert.Contains("Name Siân Ŵyn Llŷr", front);
        Assert.Contains("Emergency contact Gethin (brother) 07700 900123", front);
        Assert.Contains("My specialist Dr Ŷ Jones", back);
        Assert.Contains("Specialist’s phone 029 2074 7747", back);
        Assert.Contains("Card version 1 · 1 November 2026", front);
        Assert.Contains("Card version 1 · 1 November 2026", back);
        var sheet = PdfText.Of(pdf.GetPage(1));
        Assert.Contains("Siân Ŵyn Llŷr", sheet);
        Assert.Contains("Dr Ŷ Jones", sheet);

        // The blank card is still the blank card: nothing typed was kept for the next reader.
        using var blank = PdfDocument.Open(await client.GetByteArrayAsync("/alert-card.pdf"));
        Assert.DoesNotContain("Siân", PdfText.Of(blank.GetPage(2)));
    }

    [Theory]
    [InlineData("name", "Ann\u0007e", "an invisible control character")]
    [InlineData("contact", "Sam\t07700 900123", "a tab or line break")]
    [InlineData("name", "Ann\u202Ee", "an invisible formatting character")]
    [InlineData("specialist", "Dr 王", "the character “王”")]
    [InlineData("name", "Annabel Wilhelmina Montgomery-Fotheringham", "40 characters or fewer")]
    [InlineData("contact", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", "too wide to fit on the card")]
    public async Task A_mistake_shows_the_form_again_with_the_error_and_everything_typed(string field, string value, string error)
    {
        var client = Client;
        var (_, page) = await client.GetPageAsync("/alert-card");
        var values = new Dictionary<string, string> { ["name"] = "Ann Jones", ["contact"] = "Sam 07700 900123", ["specialist"] = "Dr Rhys", ["phone"] = "029 2074 7747" };
        values[field] = value;

        using var response = await client.SubmitAsync(page, "form[action='/alert-card/personal']", [.. values.Select(v => (v.Key, v.Value))]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var html = await response.Content.ReadAsStringAsync();
        var again = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Contains(error, again.Text(".caution[role=alert]"));
        Assert.Equal($"#card-{field}", again.QuerySelector(".caution[role=alert] a")!.GetAttribute("href"));
        Assert.Contains(error, again.Text($"#card-{field}-error"));
        Assert.Equal("true", again.QuerySelector($"#card-{field}")!.GetAttribute("aria-invalid"));
        foreach (var (name, typed) in values)
            Assert.Equal(typed, again.QuerySelector($"form[action='/alert-card/personal'] input[name={name}]")!.GetAttribute("value"));
        Assert.StartsWith("Error:", again.Title);
    }

    [Fact]
    public async Task The_form_refuses_a_post_from_another_site_and_its_address_alone_leads_to_the_card_page()
    {
        var client = site.App.NoRedirects();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/alert-card/personal") { Content = new FormUrlEncodedContent([new("name", "Ann")]) };
        post.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var get = await client.GetAsync("/alert-card/personal");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Equal("/alert-card#make-your-card", get.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Nothing_typed_reaches_the_log_or_the_database()
    {
        using var content = new ContentTree();
        content.WritePage("alert-card", 1, Card, title: "IBM alert card");
        var log = new CapturedLog();
        using var factory = new IbmInfoFactory(content.Root);
        // Every event the app and the framework write, at every level, so that a value logged anywhere is caught.
        foreach (var source in new[] { "Default", "Override:Microsoft", "Override:Microsoft.AspNetCore", "Override:Microsoft.EntityFrameworkCore", "Override:Microsoft.Hosting.Lifetime" })
            factory.Settings["Serilog:MinimumLevel:" + source] = "Verbose";
        var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(log);
            services.AddSingleton<Serilog.Core.ILogEventSink>(log);
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
        }));
        const string name = "Quillonmarker Ffestiniog", contact = "Zephyrmarker 07700 900999", specialist = "Dr Xanthmarker", phone = "01234 567890";
        using (var client = app.CreateClient())
        {
            var (_, page) = await client.GetPageAsync("/alert-card");
            using var made = await client.SubmitAsync(page, "form[action='/alert-card/personal']", ("name", name), ("contact", contact), ("specialist", specialist), ("phone", phone));
            Assert.Equal(HttpStatusCode.OK, made.StatusCode);
            using var refused = await client.SubmitAsync(page, "form[action='/alert-card/personal']", ("name", name + "\u0001"), ("contact", contact), ("specialist", specialist), ("phone", phone));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }
        app.Dispose();

        // The log was really listening: the framework's own events name the page that made the card.
        var logged = log.Lines.Concat(Directory.Exists(Path.Combine(factory.DataDirectory, "logs"))
            ? Directory.GetFiles(Path.Combine(factory.DataDirectory, "logs")).Select(File.ReadAllText) : []).ToList();
        Assert.Contains(logged, line => line.Contains("/AlertCard/Personal"));
        var stored = factory.PostgreSqlDatabase is string database
            ? TestDatabase.AllRowsAsText(database)
            : Directory.GetFiles(factory.DataDirectory, "ibminfo.db*").Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))).ToList();
        Assert.NotEmpty(stored);
        foreach (var typed in new[] { "Quillonmarker", "Zephyrmarker", "Xanthmarker", phone })
        {
            Assert.DoesNotContain(logged, line => line.Contains(typed));
            Assert.DoesNotContain(stored, db => db.Contains(typed));
        }
    }

    /// <summary>Every log event in full: its message, each of its values, its scopes and any exception.</summary>
    private sealed class CapturedLog : ILoggerProvider, ILogger, Serilog.Core.ILogEventSink
    {
        // The app logs through Serilog, which takes sinks from the services: every event it writes comes here in full.
        public void Emit(Serilog.Events.LogEvent logEvent) =>
            Lines.Enqueue($"{logEvent.RenderMessage()} {string.Join(", ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} {logEvent.Exception}");

        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Lines.Enqueue("scope " + Describe(state));
            return null;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{formatter(state, exception)} {Describe(state)} {exception}");

        private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}")) : state?.ToString() ?? "";

        public void Dispose() { }
    }

    [Fact]
    public async Task Once_approved_the_card_drops_the_pending_marks()
    {
        using var content = new ContentTree();
        content.WritePage("alert-card", 1, Card, title: "IBM alert card");
        using var app = new IbmInfoFactory(content.Root);
        await app.SetStatusAsync("alert-card", 1, ReviewStatus.Approved);
        using var client = app.CreateClient();

        using var pdf = PdfDocument.Open(await client.GetByteArrayAsync("/alert-card.pdf"));
        Assert.All(pdf.GetPages(), p => Assert.DoesNotContain("PENDING", PdfText.Of(p)));
        var (_, page) = await client.GetPageAsync("/alert-card");
        Assert.Null(page.QuerySelector(".caution"));
        Assert.Empty(page.QuerySelectorAll(".alert-card-status"));
    }

    [Fact]
    public async Task Without_card_content_the_page_the_pdf_and_the_form_are_404()
    {
        using var content = new ContentTree();
        using var app = new IbmInfoFactory(content.Root);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alert-card")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alert-card.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/alert-card/personal", new FormUrlEncodedContent([new("name", "Ann")]))).StatusCode);
    }

    [Fact]
    public async Task The_real_card_fits_its_faces_and_its_qr_code_leads_to_the_page_written_for_clinicians()
    {
        using var content = ContentTree.CopyOfRealContent();
        using var app = new IbmInfoFactory(content.Root);
        using var client = app.CreateClient();

        var bytes = await client.GetByteArrayAsync("/alert-card.pdf");
        using var pdf = PdfDocument.Open(bytes);
        foreach (var face in new[] { pdf.GetPage(2), pdf.GetPage(3) })
            Assert.All(face.Letters, l => Assert.True(l.BoundingBox.Right <= CardWidth && l.BoundingBox.Bottom >= 0, $"'{l.Value}' lies outside the card"));
        Assert.Contains("I am at risk of falls.", PdfText.Of(pdf.GetPage(2)));
        Assert.Contains("Corticosteroids are not effective in IBM.", PdfText.Of(pdf.GetPage(3)));

        // What a phone's camera reads from the printed sheet and from the card-size back.
        var scanned = await ScanQrCodeAsync(bytes, page: 1);
        Assert.Equal(scanned, await ScanQrCodeAsync(bytes, page: 3));
        Assert.Equal(scanned, Assert.Single(pdf.GetPage(3).GetHyperlinks()).Uri);
        var target = new Uri(scanned);

        var (status, page) = await client.GetPageAsync(target.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("You have been shown an IBM alert card", page.Text("h1"));
        Assert.Contains("Corticosteroids are not effective in IBM", page.Text(".article-body"));
        Assert.NotEmpty(page.QuerySelectorAll(".article-body sup a"));
    }

    /// <summary>
    /// The QR code on a page as a camera reads it: the page rasterised at 300 dpi by Poppler and decoded by ZBar
    /// (Debian's poppler-utils and zbar-tools, which ./test.sh installs).
    /// </summary>
    private static async Task<string> ScanQrCodeAsync(byte[] pdf, int page)
    {
        var folder = Directory.CreateTempSubdirectory("ibminfo-qr-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "card.pdf"), pdf);
            await RunAsync("pdftoppm", folder, "-png", "-r", "300", "-f", $"{page}", "-l", $"{page}", "-singlefile", "card.pdf", "page");
            var decoded = await RunAsync("zbarimg", folder, "--raw", "-q", "page.png");
            return Assert.Single(decoded.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string program, string folder, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new Xunit.Sdk.XunitException($"{program} is not installed: apt-get install poppler-utils zbar-tools (./test.sh does).");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}");
            return await output;
        }
    }
}
