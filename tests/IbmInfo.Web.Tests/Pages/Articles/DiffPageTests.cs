using System.Net;
using AngleSharp.Dom;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Pages.Articles;

/// <summary>The public comparison of two versions, over HTTP, from the versions' stored text.</summary>
public sealed class DiffPageTests(DiffPageTests.Site site) : SharedAppTest<DiffPageTests.Site>(site)
{
    private const string Body = """
        ## Steroids

        Steroids do not help most people with IBM [@cochrane-2015].

        Things that help:

        - a walking stick
        - a grab rail

        | Treatment | Evidence |
        |---|---|
        | Steroids | none |
        | IVIg | weak |

        ::: clinician
        CK is often raised.
        :::
        """;

    public sealed class Site : SharedApp
    {
        public Site()
        {
            Content.WriteArticle("claims", 1, Body, title: "Steroids in IBM", change: "First version.");
            // Only the reference behind the claim changes.
            Content.WriteArticle("claims", 2, Body.Replace("[@cochrane-2015]", "[@praxis-2025]"), title: "Steroids in IBM", change: "Cited the guideline.");
            // The same text under another title.
            Content.WriteArticle("claims", 3, Body.Replace("[@cochrane-2015]", "[@praxis-2025]"), title: "Steroids and IBM", change: "Retitled.");
            Content.WriteArticle("claims", 4, Body.Replace("[@cochrane-2015]", "[@praxis-2025]")
                    .Replace("- a grab rail", "- a grab rail\n- a raised toilet seat `<script>alert(1)</script>`")
                    .Replace("| IVIg | weak |", "| IVIg | mixed |")
                    .Replace("CK is often raised.", "CK is often mildly raised."),
                title: "Steroids and IBM", change: "More aids, IVIg evidence, CK.");
        }
    }

    private readonly HttpClient _client = site.App.CreateClient(new() { AllowAutoRedirect = false });

    private static List<string> Where(IDocument page) => page.QuerySelectorAll(".diff-where").Select(w => w.TextContent.Trim()).ToList();

    [Fact]
    public async Task A_citation_only_change_shows_the_changed_label_and_the_references_added_and_removed()
    {
        var (status, page) = await _client.GetPageAsync("/articles/claims/diff/1/2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("No differences", page.Text(".diff-summary"));
        Assert.Equal(["Paragraph changed · For both audiences", "Change note changed"], Where(page));
        var changed = page.QuerySelector(".diff-line-changed.diff-part-Paragraph")!;
        Assert.Equal("removed: [Rose et al. 2015]", changed.QuerySelector("del")!.TextContent);
        Assert.Equal("added: [Praxis Medical Insights 2025]", changed.QuerySelector("ins")!.TextContent);
        Assert.Equal("Steroids do not help most people with IBM [Praxis Medical Insights 2025].", changed.QuerySelector(".diff-text")!.TextContent.Replace("removed: [Rose et al. 2015]", "").Replace("added: ", ""));
        Assert.Equal(["/references/praxis-2025"], page.QuerySelectorAll("ul.diff-references-added a").Select(a => a.GetAttribute("href")));
        Assert.Equal("Treatment for inclusion body myositis", page.Text("ul.diff-references-removed a"));
    }

    [Fact]
    public async Task The_same_text_under_another_title_shows_the_title_change()
    {
        var (_, page) = await _client.GetPageAsync("/articles/claims/diff/2/3");

        Assert.StartsWith("From version 2 to version 3, in the text: 1 changed, 0 added, 0 removed", page.Text(".diff-summary"));
        Assert.Equal(["Title changed", "Change note changed"], Where(page));
        Assert.Equal("removed: in", page.Text(".diff-part-Title del"));
        Assert.Equal("added: and", page.Text(".diff-part-Title ins"));
        Assert.Empty(page.QuerySelectorAll(".diff-references"));
    }

    [Fact]
    public async Task List_items_table_rows_and_audience_blocks_are_compared_whole_and_labelled()
    {
        var (_, page) = await _client.GetPageAsync("/articles/claims/diff/3/4?audience=all");

        Assert.Equal(["List item added · For both audiences", "Table row changed · For both audiences", "Paragraph changed · For clinicians", "Change note changed"], Where(page));
        Assert.Equal("IVIg | removed: weakadded: mixed", page.Text(".diff-part-TableRow.diff-line-changed .diff-text"));
        Assert.Equal("added: mildly", page.QuerySelectorAll(".diff-line-changed.diff-part-Paragraph ins").Single().TextContent);
        // Markup in the text (the content check lets it through only as code) is text: escaped, never an element.
        Assert.Equal("added: a raised toilet seat <script>alert(1)</script>", page.Text(".diff-line-added.diff-part-ListItem ins"));
        Assert.Empty(page.QuerySelectorAll("main script"));
    }

    [Fact]
    public async Task The_public_diff_keeps_the_readers_audience_choice()
    {
        var (_, patient) = await _client.GetPageAsync("/articles/claims/diff/3/4?audience=patient");
        Assert.DoesNotContain("Paragraph changed · For clinicians", Where(patient));
        Assert.Contains("Table row changed · For both audiences", Where(patient));

        var (_, clinician) = await _client.GetPageAsync("/articles/claims/diff/3/4?audience=clinician");
        Assert.Contains("Paragraph changed · For clinicians", Where(clinician));
    }

    [Fact]
    public async Task A_version_stored_without_its_text_is_compared_from_its_renderings_and_says_so()
    {
        await App.WithDbAsync(db => db.Versions.Where(v => v.Article.Slug == "claims" && v.Number == 1).ExecuteUpdateAsync(s => s.SetProperty(v => v.Markdown, (string?)null)));

        var (status, page) = await _client.GetPageAsync("/articles/claims/diff/1/2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("stored before the site kept each version's text", page.Text(".diff-fallback"));
        Assert.Equal(["/references/praxis-2025"], page.QuerySelectorAll("ul.diff-references-added a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["/references/cochrane-2015"], page.QuerySelectorAll("ul.diff-references-removed a").Select(a => a.GetAttribute("href")));
        Assert.DoesNotContain("No differences", page.Text(".diff-summary"));
    }

    [Fact]
    public async Task Identical_versions_say_there_is_no_difference_and_unknown_versions_are_404()
    {
        var (_, same) = await _client.GetPageAsync("/articles/claims/diff/4/4");
        Assert.Contains("nothing to compare", same.Text(".notice"));

        var (status, _) = await _client.GetPageAsync("/articles/claims/diff/4/5");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
