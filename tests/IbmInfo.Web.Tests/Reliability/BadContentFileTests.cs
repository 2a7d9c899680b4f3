using System.Net;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// Content files damaged between syncs (not UTF-8, cut short, deleted, the references file broken): the rest of the
/// site stays up, every damaged article keeps its last good version, and the health check stays green, because the
/// site is serving what it should. The sync rules themselves are in <c>ContentSyncTests</c>.
/// </summary>
public sealed class BadContentFileTests : AppTest
{
    private readonly HttpClient _client;

    public BadContentFileTests()
    {
        Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        Content.WriteArticle("steroids", 1, "## Steroids\n\nNo proven benefit [@cochrane-2015].", title: "Steroids");
        Content.WriteArticle("steroids", 2, "## Steroids\n\nStill no proven benefit [@cochrane-2015].", title: "Steroids", change: "Reworded.");
        Content.WriteArticle("swallowing", 1, "## Swallowing\n\nAsk for a swallowing assessment [@praxis-2025].", title: "Swallowing");
        _client = App.CreateClient();
    }

    private async Task AssertServesAsync(string slug, string text)
    {
        var (status, page) = await _client.GetPageAsync($"/articles/{slug}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(text, page.Text(".article-body"));
    }

    [Fact]
    public async Task Files_that_are_not_UTF8_cut_short_or_deleted_leave_their_last_good_versions_and_the_rest_of_the_site_up()
    {
        await App.SetStatusAsync("falls", 1, ReviewStatus.Approved);
        // An approved version's file saved in Latin-1 by an editor, a newer version cut off in its front matter,
        // and a whole article's folder deleted.
        var latin1 = Encoding.Latin1.GetBytes(File.ReadAllText(Path.Combine(Content.Root, "articles/falls/1.md")).Replace("likely", "likely — très"));
        File.WriteAllBytes(Path.Combine(Content.Root, "articles/falls/1.md"), latin1);
        Content.Write("articles/steroids/2.md", "---\ntitle: Steroids\nsummary: cut sh");
        Directory.Delete(Path.Combine(Content.Root, "articles/swallowing"), recursive: true);
        Content.WriteArticle("exercise", 1, "## Exercise\n\nGentle exercise is safe [@praxis-2025].", title: "Exercise");

        var report = await App.SyncAsync();

        Assert.Contains(report.Problems, p => p.File == "articles/falls/1.md" && p.Message.Contains("not UTF-8"));
        Assert.Contains(report.Problems, p => p.File == "articles/steroids/2.md");
        await AssertServesAsync("falls", "Weak thighs make falls likely");
        await AssertServesAsync("steroids", "Still no proven benefit");
        await AssertServesAsync("swallowing", "Ask for a swallowing assessment");
        await AssertServesAsync("exercise", "Gentle exercise is safe");
        using var health = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (searchStatus, results) = await _client.GetPageAsync("/search?q=swallowing");
        Assert.Equal(HttpStatusCode.OK, searchStatus);
        Assert.Contains("Swallowing", results.Text("main"));
    }

    [Fact]
    public async Task A_broken_or_missing_references_file_leaves_every_article_and_its_reference_list_as_it_was()
    {
        Content.Write("references.yml", "cochrane-2015:\n  kind: [unclosed\n");
        var broken = await App.SyncAsync();
        Assert.Contains(broken.Problems, p => p.File == "references.yml");
        await AssertServesAsync("falls", "Weak thighs make falls likely");
        var (_, page) = await _client.GetPageAsync("/articles/falls");
        Assert.Contains("Treatment for inclusion body myositis", page.Text(".reference-list"));

        Content.Delete("references.yml");
        var missing = await App.SyncAsync();
        Assert.Contains(missing.Problems, p => p.File == "references.yml" && p.Message.Contains("missing"));
        await AssertServesAsync("steroids", "Still no proven benefit");
        var (referencesStatus, references) = await _client.GetPageAsync("/references/cochrane-2015");
        Assert.Equal(HttpStatusCode.OK, referencesStatus);
        Assert.Contains("Treatment for inclusion body myositis", references.Text("main"));
    }
}
