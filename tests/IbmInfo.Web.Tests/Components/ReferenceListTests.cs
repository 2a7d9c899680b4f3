using Bunit;
using IbmInfo.Content;
using IbmInfo.Web.Components;

namespace IbmInfo.Web.Tests.Components;

public sealed class ReferenceListTests : BunitContext
{
    private static readonly Reference Cochrane = new("cochrane-2015", ReferenceKind.Review, "Rose MR, et al.",
        "Treatment for inclusion body myositis", "Cochrane Database of Systematic Reviews", 2015, "12345", "10.1002/x", null);
    private static readonly Reference Charity = new("mduk", ReferenceKind.PatientInformation, "Muscular Dystrophy UK",
        "IBM treatment", "Muscular Dystrophy UK", 2025, null, null, "https://www.example.org/ibm");

    [Fact]
    public void Numbers_entries_in_citation_order_with_anchors_the_citations_link_to()
    {
        var list = Render<ReferenceList>(p => p.Add(r => r.References, new[] { Charity, Cochrane }));

        var items = list.FindAll("ol.reference-list > li");
        Assert.Equal(["ref-1", "ref-2"], items.Select(i => i.Id));
        Assert.Contains("Patient information", items[0].QuerySelector(".reference-kind")!.TextContent);
        Assert.Equal("#cite-1", items[0].QuerySelector("a[href^='#cite']")!.GetAttribute("href"));
        Assert.Equal("/references/mduk", items[0].QuerySelector("a[href^='/references/']")!.GetAttribute("href"));
    }

    [Fact]
    public void Links_to_doi_pubmed_and_url_where_they_exist()
    {
        var list = Render<ReferenceList>(p => p.Add(r => r.References, new[] { Cochrane, Charity }));

        var hrefs = list.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("https://doi.org/10.1002/x", hrefs);
        Assert.Contains("https://pubmed.ncbi.nlm.nih.gov/12345/", hrefs);
        Assert.Contains("https://www.example.org/ibm", hrefs);
    }

    [Fact]
    public void An_undated_page_shows_when_it_was_read_and_an_entry_without_authors_names_none()
    {
        var page = Charity with { Authors = "", Year = null, Accessed = new DateOnly(2026, 12, 1), Note = "The page carries no date." };
        var list = Render<ReferenceList>(p => p.Add(r => r.References, new[] { Cochrane, page }));

        var items = list.FindAll("ol.reference-list > li");
        Assert.Contains("Cochrane Database of Systematic Reviews, 2015.", items[0].TextContent);
        var text = string.Join(" ", items[1].TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Patient information IBM treatment. Muscular Dystrophy UK, no date (accessed 1 December 2026). The page carries no date.", text);
    }

    [Fact]
    public void Renders_nothing_for_a_page_without_citations()
    {
        var list = Render<ReferenceList>(p => p.Add(r => r.References, Array.Empty<Reference>()));
        Assert.Empty(list.Markup.Trim());
    }

    [Fact]
    public void Escapes_reference_text()
    {
        var hostile = Charity with { Title = "<script>alert(1)</script>" };
        var list = Render<ReferenceList>(p => p.Add(r => r.References, new[] { hostile }));
        Assert.Empty(list.FindAll("script"));
        Assert.Contains("&lt;script&gt;", list.Markup);
    }
}
