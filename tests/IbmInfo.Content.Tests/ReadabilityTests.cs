using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Xunit.Abstractions;

namespace IbmInfo.Content.Tests;

/// <summary>
/// Patient text at or below US grade 8 (Flesch–Kincaid) on the latest version of every article and page, as the
/// real renderer gives it to a patient. The formula and the counting rules are in docs/content-format.md.
/// </summary>
public partial class ReadabilityTests(ITestOutputHelper output)
{
    private const double Limit = 8.0;

    public static TheoryData<string> LatestFiles() => new(Latest().Select(v => v.File));

    [Theory]
    [MemberData(nameof(LatestFiles))]
    public void Patient_text_is_at_or_below_grade_8(string file)
    {
        var version = Latest().Single(v => v.File == file);
        var text = Readability.Measure(PatientText(version));
        output.WriteLine($"content/{file}: grade {text.Grade:0.0}");
        Assert.True(text.Grade <= Limit,
            $"content/{file}: Flesch–Kincaid grade {text.Grade:0.0} for patients (limit {Limit:0}); "
            + $"{text.Words} words in {text.Sentences} sentences, {text.Syllables} syllables. Longest sentences:\n"
            + string.Join("\n", text.Longest.Select(s => "  - " + s)));
    }

    [Theory]
    [InlineData("cat", 1)]
    [InlineData("muscle", 2)]
    [InlineData("weakness", 2)]
    [InlineData("swallowing", 3)]
    [InlineData("therapist", 3)]
    [InlineData("inflammation", 4)]
    [InlineData("immunoglobulin", 6)]
    [InlineData("make", 1)]
    [InlineData("tablets", 2)]
    [InlineData("don't", 1)]
    [InlineData("IBM", 3)]
    [InlineData("NHS", 3)]
    [InlineData("muscle-wasting", 4)]
    [InlineData("2015", 1)]
    public void Syllables_are_counted_by_the_documented_rules(string word, int syllables) =>
        Assert.Equal(syllables, Readability.Syllables(word));

    [Fact]
    public void Headings_list_items_and_paragraphs_are_sentences_and_the_grade_follows_the_formula()
    {
        var text = Readability.Measure(Blocks("<h2>Help now</h2><ul><li>Call 999</li></ul><p>The cat sat. It was happy!</p>"));
        Assert.Equal((4, 10, 11), (text.Sentences, text.Words, text.Syllables));
        Assert.Equal(0.39 * 10 / 4 + 11.8 * 11 / 10 - 15.59, text.Grade, 6);
    }

    [Fact]
    public void Long_words_in_long_sentences_score_above_the_limit()
    {
        var hard = Readability.Measure(Blocks("<p>Immunosuppressive medications demonstrated inconsistent effectiveness throughout investigational populations, necessitating individualised considerations regarding continuation.</p>"));
        Assert.True(hard.Grade > Limit, $"grade {hard.Grade}");
    }

    [Fact]
    public void Section_links_and_citation_numbers_are_not_read()
    {
        var body = new ContentRenderer().Render("## Steroids {#steroids}\n\nThey do not work [@a].\n", Audience.Patient);
        Assert.Equal(["Steroids", "They do not work."], Blocks(body.Html));
    }

    private static IEnumerable<ContentVersion> Latest()
    {
        var set = new ContentLoader(new ContentRenderer()).Load(RealContentTests.ContentRoot());
        return set.Versions.GroupBy(v => (v.Kind, v.Slug)).Select(g => g.MaxBy(v => v.Number)!).OrderBy(v => v.File, StringComparer.Ordinal);
    }

    /// <summary>What a patient reads: the summary, the key points, then the body, as rendered for patients.</summary>
    private static List<string> PatientText(ContentVersion version)
    {
        var patient = version.Renderings[Audience.Patient];
        return [version.FrontMatter.Summary, .. Blocks(patient.KeyPointsHtml), .. Blocks(patient.Html)];
    }

    private static readonly string[] BlockTags = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "blockquote"];

    /// <summary>
    /// The text of each heading, paragraph, list item and table cell, without what a reader does not read as
    /// prose: the hidden "link to this section", citation numbers and audience labels.
    /// </summary>
    private static List<string> Blocks(string html)
    {
        var document = new HtmlParser().ParseDocument("<body>" + html + "</body>");
        foreach (var hidden in document.QuerySelectorAll(".section-link, sup, .audience-label, .visually-hidden").ToList())
            hidden.Remove();
        var blocks = new List<string>();
        foreach (var element in document.Body!.QuerySelectorAll(string.Join(",", BlockTags)))
        {
            // A list item holding a paragraph or a nested list: each inner block is read on its own.
            var own = string.Concat(element.ChildNodes.Where(n => n is not IElement e || !BlockTags.Contains(e.LocalName) && e.LocalName is not ("ul" or "ol"))
                .Select(n => n.TextContent));
            own = Whitespace().Replace(own, " ").Trim();
            if (own.Length > 0) blocks.Add(SpaceBeforeStop().Replace(own, "$1"));
        }
        return blocks;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s+([.,;:!?])")]
    private static partial Regex SpaceBeforeStop();
}

/// <summary>The Flesch–Kincaid grade of a list of text blocks, each one or more sentences.</summary>
internal static partial class Readability
{
    public sealed record Result(int Sentences, int Words, int Syllables, double Grade, IReadOnlyList<string> Longest);

    public static Result Measure(IEnumerable<string> blocks)
    {
        var sentences = blocks.SelectMany(b => SentenceEnd().Split(b)).Select(s => s.Trim()).Where(s => Words(s).Any()).ToList();
        var words = sentences.SelectMany(Words).ToList();
        var syllables = words.Sum(Syllables);
        var grade = 0.39 * words.Count / sentences.Count + 11.8 * syllables / words.Count - 15.59;
        var longest = sentences.OrderByDescending(s => Words(s).Count()).Take(3).ToList();
        return new Result(sentences.Count, words.Count, syllables, grade, longest);
    }

    /// <summary>A word is a run of letters, digits, apostrophes and inner hyphens holding a letter or digit.</summary>
    public static IEnumerable<string> Words(string sentence) => WordPattern().Matches(sentence).Select(m => m.Value);

    /// <summary>
    /// Syllables by a heuristic: a number counts one; an abbreviation in capitals (IBM, NHS) one per letter, as it
    /// is read out; a hyphenated word the sum of its parts; otherwise the groups of vowels (a e i o u y), less a
    /// silent final "e", "es" or "ed", and at least one.
    /// </summary>
    public static int Syllables(string word)
    {
        if (word.Any(char.IsDigit)) return 1;
        if (word.Contains('-', StringComparison.Ordinal)) return word.Split('-', StringSplitOptions.RemoveEmptyEntries).Sum(Syllables);
        var letters = new string(word.Where(char.IsLetter).ToArray());
        if (letters.Length is >= 2 and <= 5 && letters.All(char.IsUpper)) return letters.Length;
        var lower = letters.ToLower(CultureInfo.InvariantCulture);
        if (lower.Length <= 3) return 1;
        lower = SilentEnding().Replace(lower, "");
        lower = lower.StartsWith('y') ? lower[1..] : lower;
        return Math.Max(1, VowelGroup().Matches(lower).Count);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")]
    private static partial Regex WordPattern();

    [GeneratedRegex("(?:[^laeiouy]es|[^td]ed|[^laeiouy]e)$")]
    private static partial Regex SilentEnding();

    [GeneratedRegex("[aeiouy]{1,2}")]
    private static partial Regex VowelGroup();
}
