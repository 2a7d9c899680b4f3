namespace IbmInfo.Content.Tests;

/// <summary><c>synonyms.yml</c>: optional; each entry checked, each problem at its line.</summary>
public class SynonymsTests
{
    private const string Body = "## Introduction\n\nPhysiotherapy and treatment help with swallowing [@a].\n";

    private static ContentSet Load(string? synonyms)
    {
        using var tree = new ContentTree().Article("about-ibm", body: Body);
        if (synonyms is not null) tree.Write(ContentLoader.SynonymsFile, synonyms);
        return tree.Load();
    }

    [Fact]
    public void Without_the_file_there_are_no_synonyms_and_no_problem()
    {
        var set = Load(null);
        ProblemAssert.None(set);
        Assert.Empty(set.Synonyms);
    }

    [Fact]
    public void Valid_synonyms_are_read()
    {
        var set = Load("cure: [treatment]\nchoking: [swallowing]\nphysio:\n  - physiotherapy\n");
        ProblemAssert.None(set);
        Assert.Equal(["treatment"], set.Synonyms["cure"]);
        Assert.Equal(["swallowing"], set.Synonyms["choking"]);
        Assert.Equal(["physiotherapy"], set.Synonyms["physio"]);
    }

    [Theory]
    [InlineData("cure: [treatment]\nCure: [treatment]", 2, "must be a word in lower-case")]
    [InlineData("cure: treatment", 1, "needs a list of the words")]
    [InlineData("cure: []", 1, "needs a list of the words")]
    [InlineData("cure: [treatment, Treatment!]", 1, "'Treatment!' (for 'cure') must be a word")]
    [InlineData("cure:\n  - treatment\n  - cure", 3, "listed as its own synonym")]
    [InlineData("cure:\n  - treatment\n  - treatment", 3, "listed twice")]
    [InlineData("cure: [treatment]\ncure: [swallowing]", 2, "'cure' is given twice")]
    [InlineData("cure: [treatment\n", 1, "the YAML is malformed")]
    [InlineData("- cure", 1, "maps what a reader may type")]
    public void A_bad_entry_is_reported_at_its_line(string synonyms, int line, string fragment) =>
        ProblemAssert.Only(Load(synonyms), ContentLoader.SynonymsFile, line, fragment);

    [Fact]
    public void A_synonym_no_article_uses_is_reported_at_its_line()
    {
        var set = Load("cure: [treatment]\nsteroid:\n  - corticosteroids\n");
        ProblemAssert.Only(set, ContentLoader.SynonymsFile, 3, "no article or page uses the word 'corticosteroids'");
    }

    [Fact]
    public void A_bad_entry_is_left_out_and_the_others_kept()
    {
        var set = Load("cure: [treatment]\nphysio: physiotherapy\n");
        Assert.Equal(["cure"], set.Synonyms.Keys);
    }
}
