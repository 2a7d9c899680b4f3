using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Web.Tests.Pages.Editor;

/// <summary>What the review page shows a reviewer of what changed: the whole version, both audiences, over HTTP.</summary>
public sealed class ReviewDiffTests(ReviewDiffTests.Site site) : SharedAppTest<ReviewDiffTests.Site>(site)
{
    private const string Body = """
        ## Steroids

        Steroids do not help most people with IBM [@cochrane-2015].

        ::: patient
        Ask your team before stopping any medicine.
        :::

        ::: clinician
        CK is often raised.
        :::
        """;

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("steroids", 1, Body, title: "Steroids in IBM", change: "First version.");
            Content.WriteArticle("steroids", 2, Body.Replace("[@cochrane-2015]", "[@praxis-2025]").Replace("CK is often raised.", "CK is often mildly raised."),
                title: "Steroids in IBM", change: "Cited the guideline; CK.");
        }
    }

    [Fact]
    public async Task The_review_page_compares_the_whole_version_whatever_audience_is_shown_labelling_each_block()
    {
        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");

        var (_, page) = await reviewer.GetPageAsync("/editor/review/steroids/2?audience=patient");

        var where = page.QuerySelectorAll("#review-diff ~ .diff .diff-where").Select(w => w.TextContent.Trim()).ToList();
        Assert.Equal(["Paragraph changed · For both audiences", "Paragraph changed · For clinicians", "Change note changed"], where);
        Assert.Contains("Ask your team before stopping any medicine.", page.Text(".diff"));
        Assert.Equal("removed: [Rose et al. 2015]", page.Text(".diff-line-changed del"));
        Assert.Equal("added: [Praxis Medical Insights 2025]", page.Text(".diff-line-changed ins"));
        Assert.Equal("Musculoskeletal disorders", page.Text(".diff-references-added a"));
        Assert.Equal("Treatment for inclusion body myositis", page.Text(".diff-references-removed a"));
        // The rendering below still follows the audience chosen.
        Assert.DoesNotContain("CK is often", page.Text(".rendering-frame .article-body"));
    }
}
