using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>The search index holds what readers see — each article's current version — and follows review steps.</summary>
public sealed class SearchIndexTests : AppTest
{
    public SearchIndexTests()
    {
        Content.WriteArticle("falls", 1, "## Falls\n\nA walking stick helps.\n", title: "Preventing falls");
        Content.WriteArticle("falls", 2, "## Falls\n\nGrab rails help.\n", title: "Preventing falls", change: "Rails.");
    }

    private async Task<string> ResultsAsync(string words)
    {
        using var client = App.CreateClient();
        var (_, page) = await client.GetPageAsync($"/search?q={words}");
        return page.QuerySelector(".search-results")?.TextContent ?? "";
    }

    private async Task<int> IndexedRowsAsync()
    {
        var rows = 0;
        await App.WithDbAsync(async db => rows = await db.Database.SqlQuery<int>($"""SELECT count(*) AS "Value" FROM "SearchIndex" """).SingleAsync());
        return rows;
    }

    [Fact]
    public async Task Only_the_current_version_is_indexed_and_an_approval_moves_the_index_to_it()
    {
        Assert.Contains("Preventing falls", await ResultsAsync("rails"));
        Assert.Equal("", await ResultsAsync("stick"));
        Assert.Equal(3, await IndexedRowsAsync()); // the current version's rendering for each audience

        await App.StepAsync("falls", 1, ReviewStatus.UnderReview);
        await App.StepAsync("falls", 1, ReviewStatus.Approved);

        Assert.Contains("Preventing falls", await ResultsAsync("stick"));
        Assert.Equal("", await ResultsAsync("rails"));
        Assert.Equal(3, await IndexedRowsAsync());
    }
}
