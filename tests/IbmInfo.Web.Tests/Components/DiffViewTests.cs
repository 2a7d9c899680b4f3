using Bunit;
using IbmInfo.Content;
using IbmInfo.Web.Components;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Publishing;

namespace IbmInfo.Web.Tests.Components;

public sealed class DiffViewTests : BunitContext
{
    private static readonly Reference Cochrane = new("cochrane-2015", ReferenceKind.Review, "Rose MR, Jones K", "Treatment for inclusion body myositis",
        "Cochrane Database of Systematic Reviews", 2015, null, null, null);
    private static readonly Reference Praxis = new("praxis-2025", ReferenceKind.Guideline, "Praxis Medical Insights", "Musculoskeletal disorders",
        "Praxis Medical Insights", 2025, null, null, null);

    private IRenderedComponent<DiffView> RenderDiff(string beforeBody, string afterBody, string beforeTitle = "Title", string afterTitle = "Title")
    {
        var references = new Dictionary<string, Reference> { [Cochrane.Key] = Cochrane, [Praxis.Key] = Praxis };
        var comparison = VersionDiff.Compare(VersionDiffTests.File(beforeBody, beforeTitle, change: "Same note."), VersionDiffTests.File(afterBody, afterTitle, change: "Same note."),
            ContentKind.Article, references)!;
        return Render<DiffView>(p => p.Add(d => d.Comparison, comparison).Add(d => d.From, 1).Add(d => d.To, 2));
    }

    [Fact]
    public void A_one_word_change_is_one_paragraph_with_the_word_marked_in_words_as_well_as_ins_and_del()
    {
        var diff = RenderDiff("Same.\n\nSee your doctor today.", "Same.\n\nSee your neurologist today.");

        var changed = diff.Find(".diff-line-changed");
        Assert.Equal("Paragraph changed · For both audiences", changed.QuerySelector(".diff-where")!.TextContent);
        Assert.Equal("See your removed: doctoradded: neurologist today.", changed.QuerySelector(".diff-text")!.TextContent);
        Assert.Equal("doctor", changed.QuerySelector("del.diff-removed")!.TextContent.Replace("removed: ", ""));
        Assert.Equal("removed: ", changed.QuerySelector("del .visually-hidden")!.TextContent);
        Assert.Equal("added: ", changed.QuerySelector("ins .visually-hidden")!.TextContent);
        Assert.Single(diff.FindAll(".diff-line:not(p)"));
        Assert.Contains("1 changed, 0 added, 0 removed", diff.Find(".diff-summary").TextContent);
        Assert.Contains("Key:", diff.Find(".diff-key").TextContent);
    }

    [Fact]
    public void A_citation_only_change_shows_the_labels_and_lists_the_references_added_and_removed_with_titles_and_links()
    {
        var diff = RenderDiff("Steroids do not help [@cochrane-2015].", "Steroids do not help [@praxis-2025].");

        Assert.Equal("removed: [Rose and Jones 2015]", diff.Find(".diff-line-changed del").TextContent);
        Assert.Equal("added: [Praxis Medical Insights 2025]", diff.Find(".diff-line-changed ins").TextContent);
        var added = diff.Find("ul.diff-references-added a");
        Assert.Equal(("Musculoskeletal disorders", "/references/praxis-2025"), (added.TextContent, added.GetAttribute("href")));
        var removed = diff.Find("ul.diff-references-removed a");
        Assert.Equal(("Treatment for inclusion body myositis", "/references/cochrane-2015"), (removed.TextContent, removed.GetAttribute("href")));
        Assert.Equal(["References added", "References removed"], diff.FindAll(".diff-references-heading").Select(h => h.TextContent));
        Assert.Contains("1 reference added, 1 removed", diff.Find(".diff-summary").TextContent);
    }

    [Fact]
    public void Added_list_items_and_changed_table_rows_say_what_they_are()
    {
        var diff = RenderDiff("- one\n\n| A | B |\n|---|---|\n| 1 | 2 |", "- one\n- two\n\n| A | B |\n|---|---|\n| 1 | 3 |");

        Assert.Equal(["List item added · For both audiences", "Table row changed · For both audiences"], diff.FindAll(".diff-where").Select(w => w.TextContent));
        Assert.Equal("added: two", diff.Find(".diff-line-added ins").TextContent);
        Assert.Equal("1 | removed: 2added: 3", diff.Find(".diff-line-changed .diff-text").TextContent);
    }

    [Fact]
    public void A_change_in_the_clinician_block_is_labelled_for_clinicians()
    {
        var diff = RenderDiff("::: clinician\nCK is raised.\n:::", "::: clinician\nCK is mildly raised.\n:::");
        Assert.Equal("For clinicians", diff.Find(".diff-line-changed .diff-audience").TextContent);
    }

    [Fact]
    public void A_new_title_on_the_same_text_is_a_difference()
    {
        var diff = RenderDiff("Same body.", "Same body.", beforeTitle: "Steroids", afterTitle: "Steroids in IBM");

        Assert.DoesNotContain("No differences", diff.Find(".diff-summary").TextContent);
        Assert.Equal("Title changed", diff.Find(".diff-where").TextContent);
        Assert.Equal("added: in IBM", diff.Find(".diff-line-changed ins").TextContent.Trim());
    }

    [Fact]
    public void Markup_in_the_text_is_shown_as_text_never_as_elements()
    {
        const string claim = "Steroids do not help most people with inclusion body myositis, and they have side effects.";
        var diff = RenderDiff(claim + "\n\nSafe.", claim.Replace("side effects.", "side effects <script>alert(1)</script>.") + "\n\n<img src=x onerror=alert(2)>");

        Assert.Empty(diff.FindAll("script, img"));
        Assert.Contains("<script>alert(1)</script>", diff.Find(".diff-line-changed ins").TextContent);
        Assert.Contains("<img src=x onerror=alert(2)>", diff.Find(".diff-line-added ins").TextContent);
        Assert.Contains("&lt;script&gt;", diff.Markup);
    }

    [Fact]
    public void Long_unchanged_stretches_fold_away_keeping_two_units_of_context()
    {
        var before = string.Join("\n\n", Enumerable.Range(1, 20).Select(i => $"Paragraph {i}"));
        var after = before.Replace("Paragraph 10", "Paragraph ten");

        var diff = RenderDiff(before, after);

        var folds = diff.FindAll("details.diff-unchanged");
        Assert.Equal(2, folds.Count);
        // Before the change: title, summary, six key points and nine paragraphs, less two for context; after it, ten
        // paragraphs and the change note, less two.
        Assert.Equal("15 unchanged parts", folds[0].QuerySelector("summary")!.TextContent);
        Assert.Equal("9 unchanged parts", folds[1].QuerySelector("summary")!.TextContent);
        var visible = diff.FindAll(".diff > .diff-line").Select(p => p.TextContent.Trim()).ToList();
        Assert.Equal(5, visible.Count(v => v.StartsWith("Paragraph ", StringComparison.Ordinal)));
        Assert.Contains("Paragraph removed: 10added: ten", visible.Select(v => v.Replace("Paragraph changed · For both audiences", "").Trim()));
    }

    [Fact]
    public void Identical_texts_say_there_is_no_difference()
    {
        var diff = RenderDiff("One\n\nTwo [@praxis-2025].", "One\n\nTwo [@praxis-2025].");
        Assert.Equal("No differences in the text between version 1 and version 2.", diff.Find(".diff-summary").TextContent.Trim());
        Assert.Empty(diff.FindAll(".diff-key"));
        Assert.Empty(diff.FindAll(".diff-references"));
    }
}
