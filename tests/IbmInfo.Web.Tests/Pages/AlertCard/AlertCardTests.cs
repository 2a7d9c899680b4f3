using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.AlertCard;

/// <summary>The alert card page and its PDF, both made from content/pages/alert-card.</summary>
public sealed class AlertCardTests : IDisposable
{
    private const string Card = """
        Key points [@cochrane-2015].

        ## Front

        - I have inclusion body myositis (IBM)
        - I am at risk of falls

        ## Back

        - Corticosteroids are not effective in IBM
        - My specialist (name, phone): ………
        """;

    private readonly ContentTree _content = new();
    private readonly IbmInfoFactory _app;
    private readonly HttpClient _client;

    public AlertCardTests()
    {
        _content.WritePage("alert-card", 1, Card, title: "IBM alert card");
        _app = new IbmInfoFactory(_content.Root);
        _client = _app.CreateClient();
    }

    [Fact]
    public async Task The_page_shows_both_faces_from_the_content_with_a_qr_code_and_takes_the_place_of_the_generic_page()
    {
        var (status, page) = await _client.GetPageAsync("/alert-card");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["I have inclusion body myositis (IBM)", "I am at risk of falls"], page.QuerySelectorAll(".alert-card-front li").Select(l => l.TextContent));
        Assert.Equal(["Corticosteroids are not effective in IBM", "My specialist (name, phone): ………"], page.QuerySelectorAll(".alert-card-back li").Select(l => l.TextContent));
        Assert.NotNull(page.QuerySelector(".alert-card-back svg.alert-card-qr path"));
        Assert.Equal("/alert-card.pdf", page.QuerySelector("a.button")!.GetAttribute("href"));
        Assert.Contains("pending review", page.Text(".caution"));
        Assert.Equal(2, page.QuerySelectorAll(".alert-card-status").Length);
    }

    [Fact]
    public async Task The_pdf_has_two_wallet_sized_pages_with_the_bullets_and_says_pending_review()
    {
        using var response = await _client.GetAsync("/alert-card.pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("ibm-alert-card-pending-review.pdf", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var pdf = Latin1(await response.Content.ReadAsByteArrayAsync());

        Assert.StartsWith("%PDF-1.", pdf);
        Assert.EndsWith("%%EOF\n", pdf);
        var boxes = Regex.Matches(pdf, @"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]").Select(m => (W: double.Parse(m.Groups[1].Value), H: double.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal(2, boxes.Count);
        Assert.All(boxes, b => { Assert.Equal(242.6, b.W, 0.1); Assert.Equal(153.1, b.H, 0.1); });
        Assert.Contains("/Count 2", pdf);
        foreach (var text in new[] { "(I have inclusion body myositis \\(IBM\\)) Tj", "(I am at risk of falls) Tj", "(Corticosteroids are not effective in IBM) Tj", "PENDING REVIEW" })
            Assert.Contains(text, pdf);
        Assert.Contains("(My specialist \\(name, phone\\): \u0085\u0085\u0085) Tj", pdf);
        Assert.Contains("(http://localhost/alert-card) Tj", pdf);
        AssertXrefOffsetsPointAtObjects(pdf);
    }

    [Fact]
    public async Task Once_approved_the_card_drops_the_pending_marks()
    {
        await _app.SetStatusAsync("alert-card", 1, ReviewStatus.Approved);

        var pdf = Latin1(await _client.GetByteArrayAsync("/alert-card.pdf"));
        Assert.DoesNotContain("PENDING REVIEW", pdf);
        var (_, page) = await _client.GetPageAsync("/alert-card");
        Assert.Null(page.QuerySelector(".caution"));
        Assert.Empty(page.QuerySelectorAll(".alert-card-status"));
    }

    [Fact]
    public async Task Without_card_content_both_addresses_are_404()
    {
        _content.Delete("pages/alert-card/1.md");
        using var app = new IbmInfoFactory(_content.Root);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alert-card")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/alert-card.pdf")).StatusCode);
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>A reader finds objects through the cross-reference table; each offset must land on "n 0 obj".</summary>
    private static void AssertXrefOffsetsPointAtObjects(string pdf)
    {
        var startxref = int.Parse(Regex.Match(pdf, @"startxref\n(\d+)").Groups[1].Value);
        Assert.StartsWith("xref", pdf[startxref..]);
        var offsets = Regex.Matches(pdf[startxref..], @"(\d{10}) 00000 n").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        for (var i = 0; i < offsets.Count; i++)
            Assert.StartsWith($"{i + 1} 0 obj", pdf[offsets[i]..]);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        _content.Dispose();
    }
}
