using Bunit;
using IbmInfo.Web.Components;
using IbmInfo.Web.Publishing;

namespace IbmInfo.Web.Tests.Components;

public sealed class DiffViewTests : BunitContext
{
    private IRenderedComponent<DiffView> RenderDiff(string before, string after) =>
        Render<DiffView>(p => p.Add(d => d.Lines, VersionDiff.Compare(before, after)).Add(d => d.From, 1).Add(d => d.To, 2));

    [Fact]
    public void Added_and_removed_paragraphs_carry_words_as_well_as_ins_and_del()
    {
        var diff = RenderDiff("Same\nOld line", "Same\nNew line");

        Assert.Equal("− Removed: Old line", diff.Find(".diff-line del").TextContent);
        Assert.Equal("+ Added: New line", diff.Find(".diff-line ins").TextContent);
        Assert.Contains("Key:", diff.Find(".diff-key").TextContent);
    }

    [Fact]
    public void Long_unchanged_stretches_fold_away_keeping_two_paragraphs_of_context()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"Paragraph {i}"));
        var after = before.Replace("Paragraph 10", "Paragraph ten");

        var diff = RenderDiff(before, after);

        var folds = diff.FindAll("details.diff-unchanged");
        Assert.Equal(2, folds.Count);
        Assert.Equal("7 unchanged paragraphs", folds[0].QuerySelector("summary")!.TextContent);
        Assert.Equal("8 unchanged paragraphs", folds[1].QuerySelector("summary")!.TextContent);
        var visible = diff.FindAll(".diff > p.diff-line").Select(p => p.TextContent).ToList();
        Assert.Equal(["Paragraph 8", "Paragraph 9", "− Removed: Paragraph 10", "+ Added: Paragraph ten", "Paragraph 11", "Paragraph 12"], visible);
    }

    [Fact]
    public void Identical_texts_say_there_is_no_difference()
    {
        var diff = RenderDiff("One\nTwo", "One\nTwo");
        Assert.Equal("No differences in the text between version 1 and version 2.", diff.Find(".diff-summary").TextContent.Trim());
        Assert.Empty(diff.FindAll(".diff-key"));
    }
}
