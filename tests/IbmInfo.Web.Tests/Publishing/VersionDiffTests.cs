using IbmInfo.Content;
using IbmInfo.Web.Publishing;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>The comparison of two version files, unit by unit and word by word.</summary>
public sealed class VersionDiffTests
{
    private static readonly Reference Cochrane = new("cochrane-2015", ReferenceKind.Review, "Rose MR, Jones K, Leong K, et al.",
        "Treatment for inclusion body myositis", "Cochrane Database of Systematic Reviews", 2015, null, "10.1002/14651858.CD001555.pub5", null);
    private static readonly Reference Praxis = new("praxis-2025", ReferenceKind.Guideline, "Praxis Medical Insights",
        "Musculoskeletal disorders", "Praxis Medical Insights", 2025, null, null, "https://example.org/praxis");
    private static readonly Dictionary<string, Reference> References = new() { [Cochrane.Key] = Cochrane, [Praxis.Key] = Praxis };

    private const string KeyPoints = "key_points: {patient: [Point one., Point two., Point three.], clinician: [Point one., Point two., Point three.]}";

    internal static string File(string body, string title = "Steroids in IBM", string summary = "What steroids do.", string change = "A change.", string keyPoints = KeyPoints) => $"""
        ---
        title: {title}
        summary: {summary}
        category: treatment-evidence
        date: 2026-11-01
        change: {change}
        author: author@example.org
        {keyPoints}
        ---
        {body}
        """;

    private static VersionComparison Compare(string before, string after, Audience audience = Audience.All) =>
        VersionDiff.Compare(before, after, ContentKind.Article, References, audience) ?? throw new InvalidOperationException("unreadable version");

    private static List<DiffLine> Changes(VersionComparison comparison) => comparison.Lines.Where(l => l.Kind != DiffKind.Unchanged && l.Part != OutlinePart.ChangeNote).ToList();

    [Fact]
    public void A_citation_only_change_shows_the_changed_label_and_the_references_added_and_removed()
    {
        var comparison = Compare(File("Steroids do not help [@cochrane-2015]."), File("Steroids do not help [@praxis-2025]."));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal(DiffKind.Changed, line.Kind);
        Assert.Equal(OutlinePart.Paragraph, line.Part);
        Assert.Equal([new(DiffKind.Unchanged, "Steroids do not help "), new(DiffKind.Removed, "[Rose et al. 2015]"), new(DiffKind.Added, "[Praxis Medical Insights 2025]"), new DiffSpan(DiffKind.Unchanged, ".")], line.Spans);
        Assert.Equal([Praxis], comparison.ReferencesAdded);
        Assert.Equal([Cochrane], comparison.ReferencesRemoved);
        Assert.True(comparison.HasDifferences);
    }

    [Fact]
    public void A_one_word_change_is_one_paragraph_with_exactly_that_word_removed_and_the_new_one_added()
    {
        var comparison = Compare(File("## Seeing someone\n\nSee your doctor about the weakness.\n\nKeep active."),
            File("## Seeing someone\n\nSee your neurologist about the weakness.\n\nKeep active."));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal(DiffKind.Changed, line.Kind);
        Assert.Equal(["doctor"], line.Spans.Where(s => s.Kind == DiffKind.Removed).Select(s => s.Text));
        Assert.Equal(["neurologist"], line.Spans.Where(s => s.Kind == DiffKind.Added).Select(s => s.Text));
        Assert.Equal("See your neurologist about the weakness.", line.Text);
        Assert.Empty(comparison.ReferencesAdded);
        Assert.Contains(comparison.Lines, l => l is { Kind: DiffKind.Unchanged, Part: OutlinePart.Heading } && l.Text == "Seeing someone");
    }

    [Fact]
    public void Neighbouring_changed_words_read_as_one_change()
    {
        var line = Assert.Single(Changes(Compare(File("Walking aids help many people."), File("Physiotherapy exercises help many people."))));
        Assert.Equal([new(DiffKind.Removed, "Walking aids"), new(DiffKind.Added, "Physiotherapy exercises"), new DiffSpan(DiffKind.Unchanged, " help many people.")], line.Spans);
    }

    [Fact]
    public void Spaces_stay_outside_the_marked_words()
    {
        var line = Assert.Single(Changes(Compare(File("We think you deserve an honest picture."), File("We think you should have an honest picture."))));
        Assert.Equal([new(DiffKind.Unchanged, "We think you "), new(DiffKind.Removed, "deserve"), new(DiffKind.Added, "should have"), new DiffSpan(DiffKind.Unchanged, " an honest picture.")], line.Spans);
    }

    [Fact]
    public void A_list_item_added_is_one_added_item_and_the_others_are_unchanged()
    {
        var comparison = Compare(File("Things that help:\n\n- a walking stick\n- a grab rail"), File("Things that help:\n\n- a walking stick\n- a grab rail\n- a raised toilet seat"));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal((DiffKind.Added, OutlinePart.ListItem, "a raised toilet seat"), (line.Kind, line.Part, line.Text));
        Assert.Equal(2, comparison.Lines.Count(l => l is { Kind: DiffKind.Unchanged, Part: OutlinePart.ListItem }));
    }

    [Fact]
    public void A_changed_table_cell_marks_its_row_and_no_other()
    {
        const string table = "| Treatment | Evidence |\n|---|---|\n| Steroids | none |\n| IVIg | weak |";
        var comparison = Compare(File(table), File(table.Replace("| IVIg | weak |", "| IVIg | mixed |")));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal((DiffKind.Changed, OutlinePart.TableRow, "IVIg | mixed"), (line.Kind, line.Part, line.Text));
        Assert.Equal(["weak"], line.Spans.Where(s => s.Kind == DiffKind.Removed).Select(s => s.Text));
        Assert.Equal(["Treatment | Evidence", "Steroids | none"], comparison.Lines.Where(l => l is { Kind: DiffKind.Unchanged, Part: OutlinePart.TableRow }).Select(l => l.Text));
    }

    [Fact]
    public void A_change_in_the_clinician_block_is_labelled_with_that_block_and_hidden_from_patients()
    {
        const string before = "Exercise helps.\n\n::: patient\nWalk every day.\n:::\n\n::: clinician\nCK falls on steroids.\n:::";
        var comparison = Compare(File(before), File(before.Replace("CK falls on steroids.", "CK falls on steroids without strength gains.")));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal((DiffKind.Changed, Audience.Clinician), (line.Kind, line.Audience));
        Assert.Equal(Audience.Patient, comparison.Lines.Single(l => l.Text == "Walk every day.").Audience);
        Assert.Equal(Audience.All, comparison.Lines.Single(l => l.Text == "Exercise helps.").Audience);

        var patients = Compare(File(before), File(before.Replace("CK falls on steroids.", "CK falls on steroids without strength gains.")), Audience.Patient);
        Assert.False(patients.HasDifferences);
        Assert.DoesNotContain(patients.Lines, l => l.Audience == Audience.Clinician);
    }

    [Fact]
    public void A_paragraph_moved_into_an_audience_block_is_a_change()
    {
        var comparison = Compare(File("Walk every day."), File("::: patient\nWalk every day.\n:::"));

        Assert.Equal([(DiffKind.Removed, Audience.All), (DiffKind.Added, Audience.Patient)], Changes(comparison).Select(l => (l.Kind, l.Audience)));
    }

    [Fact]
    public void The_same_text_under_another_title_is_a_difference_in_the_title_only()
    {
        var comparison = Compare(File("Same body.", title: "Steroids"), File("Same body.", title: "Steroids in IBM"));

        var line = Assert.Single(Changes(comparison));
        Assert.Equal((DiffKind.Changed, OutlinePart.Title), (line.Kind, line.Part));
        Assert.Equal([new(DiffKind.Unchanged, "Steroids "), new DiffSpan(DiffKind.Added, "in IBM")], line.Spans);
        Assert.True(comparison.HasDifferences);
    }

    [Fact]
    public void Summary_and_key_points_are_compared_each_with_its_audience()
    {
        var comparison = Compare(File("Body."),
            File("Body.", summary: "What steroids do and do not do.", keyPoints: KeyPoints.Replace("clinician: [Point one.", "clinician: ['Point one [@cochrane-2015].'")));

        Assert.Equal([(OutlinePart.Summary, Audience.All), (OutlinePart.KeyPoint, Audience.Clinician)], Changes(comparison).Select(l => (l.Part, l.Audience)));
        Assert.Equal("Point one [Rose et al. 2015].", Changes(comparison)[1].Text);
        Assert.Equal([Cochrane], comparison.ReferencesAdded);
    }

    [Fact]
    public void Only_a_different_change_note_is_no_difference_in_the_text_but_is_shown()
    {
        var comparison = Compare(File("Same body [@cochrane-2015].", change: "First version."), File("Same body [@cochrane-2015].", change: "Reworded nothing."));

        Assert.False(comparison.HasDifferences);
        Assert.Equal(DiffKind.Changed, comparison.Lines.Single(l => l.Part == OutlinePart.ChangeNote).Kind);
    }

    [Fact]
    public void A_link_target_change_shows()
    {
        var line = Assert.Single(Changes(Compare(File("Read [the guide](https://example.org/a)."), File("Read [the guide](https://example.org/b)."))));
        Assert.Equal("Read the guide (link: https://example.org/b).", line.Text);
    }

    [Fact]
    public void A_rewritten_paragraph_is_shown_removed_and_added_not_paired_word_by_word()
    {
        var comparison = Compare(File("Steroids do not help most people."), File("Ask about trials near you."));
        Assert.Equal([DiffKind.Removed, DiffKind.Added], Changes(comparison).Select(l => l.Kind));
    }

    [Fact]
    public void A_rewrite_of_a_whole_long_article_is_shown_removed_and_added_but_its_title_still_word_by_word()
    {
        var before = string.Join("\n\n", Enumerable.Range(1, 120).Select(i => $"Old paragraph {i} about steroids."));
        var after = string.Join("\n\n", Enumerable.Range(1, 120).Select(i => $"New paragraph {i} about steroids."));

        var comparison = Compare(File(before, title: "Steroids"), File(after, title: "Steroids in IBM"));

        Assert.Equal(DiffKind.Changed, comparison.Lines.Single(l => l.Part == OutlinePart.Title).Kind);
        Assert.Equal(120, comparison.Count(DiffKind.Removed));
        Assert.Equal(120, comparison.Count(DiffKind.Added));
    }

    [Theory]
    [InlineData("Rose MR, Jones K, Leong K, et al.", "Cochrane Database of Systematic Reviews", 2015, "Rose et al. 2015")]
    [InlineData("Amato AA, Barohn RJ", "Journal of Neurology", 2009, "Amato and Barohn 2009")]
    [InlineData("Amato AA", "Journal of Neurology", 2009, "Amato 2009")]
    [InlineData("Muscular Dystrophy UK", "Muscular Dystrophy UK", null, "Muscular Dystrophy UK n.d.")]
    [InlineData("Dr.Oracle Medical Advisory Board and Editors", "Dr.Oracle", 2025, "Dr.Oracle 2025")]
    [InlineData("", "Myositis Support and Understanding", 2024, "Myositis Support and Understanding 2024")]
    public void A_reference_is_labelled_by_its_first_author_and_year(string authors, string publisher, int? year, string label) =>
        Assert.Equal(label, new Reference("k", ReferenceKind.Research, authors, "T", publisher, year, null, null, null).ShortLabel);

    [Fact]
    public void Two_references_that_would_read_the_same_are_told_apart()
    {
        var first = new Reference("dr-oracle-2025", ReferenceKind.WebPage, "Dr.Oracle Medical Advisory Board", "One", "Dr.Oracle", 2025, null, null, "https://example.org/1");
        var second = first with { Key = "dr-oracle-ibm", Title = "Two" };
        var references = new Dictionary<string, Reference> { [first.Key] = first, [second.Key] = second };

        var comparison = VersionDiff.Compare(File("Claim [@dr-oracle-2025]."), File("Claim [@dr-oracle-ibm]."), ContentKind.Article, references)!;

        var line = Assert.Single(Changes(comparison));
        Assert.Equal(["[Dr.Oracle 2025a]"], line.Spans.Where(s => s.Kind == DiffKind.Removed).Select(s => s.Text));
        Assert.Equal(["[Dr.Oracle 2025b]"], line.Spans.Where(s => s.Kind == DiffKind.Added).Select(s => s.Text));
        Assert.Equal("Dr.Oracle 2025b", comparison.Label(Assert.Single(comparison.ReferencesAdded)));
    }

    [Fact]
    public void Unreadable_front_matter_gives_no_comparison_so_the_caller_falls_back()
    {
        Assert.Null(VersionDiff.Compare("no front matter", File("Body."), ContentKind.Article, References));
    }
}
