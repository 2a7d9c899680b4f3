namespace IbmInfo.Content.Tests;

public class RenderingTests
{
    private const string Ref = "<span class=\"visually-hidden\">Reference </span>";
    private const string First1 = "<a href=\"#ref-1\" id=\"cite-1\">" + Ref + "1</a>";
    private const string First2 = "<a href=\"#ref-2\" id=\"cite-2\">" + Ref + "2</a>";
    private const string First3 = "<a href=\"#ref-3\" id=\"cite-3\">" + Ref + "3</a>";
    private const string Again1 = "<a href=\"#ref-1\">" + Ref + "1</a>";
    private const string Again2 = "<a href=\"#ref-2\">" + Ref + "2</a>";

    private static readonly ContentRenderer Renderer = new();

    private static string Html(string markdown, Audience audience = Audience.All) => Renderer.Render(markdown, audience).Html;

    [Theory]
    [InlineData("Text [@a].", "<p>Text <sup class=\"citation\">" + First1 + "</sup>.</p>\n")]
    [InlineData("Text [@a; @b].", "<p>Text <sup class=\"citation\">" + First1 + "," + First2 + "</sup>.</p>\n")]
    [InlineData("Text [@a;@b].", "<p>Text <sup class=\"citation\">" + First1 + "," + First2 + "</sup>.</p>\n")]
    [InlineData("One [@a]. Two [@a].", "<p>One <sup class=\"citation\">" + First1 + "</sup>. Two <sup class=\"citation\">" + Again1 + "</sup>.</p>\n")]
    [InlineData("One [@b]. Two [@a; @b].", "<p>One <sup class=\"citation\">" + First1 + "</sup>. Two <sup class=\"citation\">" + First2 + "," + Again1 + "</sup>.</p>\n")]
    [InlineData("One [@a]\n\nTwo [@b] [@a] [@b]", "<p>One <sup class=\"citation\">" + First1 + "</sup></p>\n<p>Two <sup class=\"citation\">" + First2 + "</sup> <sup class=\"citation\">" + Again1 + "</sup> <sup class=\"citation\">" + Again2 + "</sup></p>\n")]
    public void Citations_become_numbered_links_numbered_by_first_use(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    [Theory]
    [InlineData("[@b] [@a] [@b] [@c; @a]", new[] { "b", "a", "c" })]
    [InlineData("## Heading [@c]\n\n- item [@b]\n\n> quote [@a]", new[] { "c", "b", "a" })]
    [InlineData("No citation, but [a link](https://example.org).", new string[0])]
    public void CitedKeys_are_in_order_of_first_use(string markdown, string[] keys) =>
        Assert.Equal(keys, Renderer.Render(markdown, Audience.All).CitedKeys);

    [Theory]
    [InlineData("`[@a]`", "<p><code>[@a]</code></p>\n")]
    [InlineData("An e-mail [@ bad", "<p>An e-mail [@ bad</p>\n")]
    public void Citation_syntax_in_code_or_malformed_is_text(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    private const string TwoAudiences = "::: patient\nRest helps.\n:::\n\n::: clinician\nCK is raised.\n:::\n";

    [Theory]
    [InlineData(Audience.All,
        "<div class=\"audience audience-patient\"><p class=\"audience-label\">For patients and carers</p>\n<p>Rest helps.</p>\n</div>\n"
        + "<div class=\"audience audience-clinician\"><p class=\"audience-label\">For healthcare professionals</p>\n<p>CK is raised.</p>\n</div>\n")]
    [InlineData(Audience.Patient, "<div class=\"audience audience-patient\">\n<p>Rest helps.</p>\n</div>\n")]
    [InlineData(Audience.Clinician, "<div class=\"audience audience-clinician\">\n<p>CK is raised.</p>\n</div>\n")]
    public void Audience_blocks_are_kept_for_their_audience(Audience audience, string html) =>
        Assert.Equal(html, Html(TwoAudiences, audience));

    [Theory]
    [InlineData(Audience.All, new[] { "a", "b", "c" }, "Plain <sup class=\"citation\">" + First3 + "</sup>")]
    [InlineData(Audience.Patient, new[] { "a", "c" }, "Plain <sup class=\"citation\">" + First2 + "</sup>")]
    [InlineData(Audience.Clinician, new[] { "a", "b" }, "Detail <sup class=\"citation\">" + First2 + "</sup>")]
    public void Citations_in_dropped_blocks_are_not_numbered(Audience audience, string[] keys, string expected)
    {
        var body = Renderer.Render("Both [@a].\n\n::: clinician\nDetail [@b].\n:::\n\n::: patient\nPlain [@c].\n:::\n", audience);
        Assert.Equal(keys, body.CitedKeys);
        Assert.Contains(expected, body.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Audience.Patient, "Rest helps", "CK is raised")]
    [InlineData(Audience.Clinician, "CK is raised", "Rest helps")]
    public void Dropped_blocks_are_not_in_plain_text(Audience audience, string kept, string dropped)
    {
        var text = Renderer.Render(TwoAudiences, audience).PlainText;
        Assert.Contains(kept, text, StringComparison.Ordinal);
        Assert.DoesNotContain(dropped, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("## Corticosteroids",
        "<h2 id=\"corticosteroids\">Corticosteroids <a class=\"section-link\" href=\"#corticosteroids\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: Corticosteroids</span></a></h2>\n")]
    [InlineData("## Steroid treatment {#corticosteroids}",
        "<h2 id=\"corticosteroids\">Steroid treatment <a class=\"section-link\" href=\"#corticosteroids\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: Steroid treatment</span></a></h2>\n")]
    [InlineData("### IVIg *and* sIBM",
        "<h3 id=\"ivig-and-sibm\">IVIg <em>and</em> sIBM <a class=\"section-link\" href=\"#ivig-and-sibm\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: IVIg and sIBM</span></a></h3>\n")]
    public void Headings_get_an_anchor_and_a_visible_section_link(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    [Fact]
    public void Headings_are_listed_in_order_with_their_ids()
    {
        var body = Renderer.Render("## Corticosteroids\n\nText.\n\n### Steroid side effects {#side-effects}\n\n## Corticosteroids\n", Audience.All);
        Assert.Equal(
            [new Heading(2, "corticosteroids", "Corticosteroids"), new Heading(3, "side-effects", "Steroid side effects"), new Heading(2, "corticosteroids-1", "Corticosteroids")],
            body.Headings);
    }

    [Fact]
    public void Headings_inside_a_dropped_block_are_not_listed()
    {
        const string markdown = "## For all\n\n::: clinician\n## Dosing\n:::\n";
        Assert.Equal(["for-all", "dosing"], Renderer.Render(markdown, Audience.Clinician).Headings.Select(h => h.Id));
        Assert.Equal(["for-all"], Renderer.Render(markdown, Audience.Patient).Headings.Select(h => h.Id));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")]
    [InlineData("Some <b onclick=\"alert(1)\">bold</b> text", "<p>Some &lt;b onclick=&quot;alert(1)&quot;&gt;bold&lt;/b&gt; text</p>\n")]
    [InlineData("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n")]
    [InlineData("<!-- hidden -->", "<p>&lt;!-- hidden --&gt;</p>\n")]
    [InlineData("<div>\n\n*x*\n\n</div>", "<p>&lt;div&gt;</p>\n<p><em>x</em></p>\n<p>&lt;/div&gt;</p>\n")]
    public void Raw_html_is_escaped_never_passed_through(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    [InlineData("[x](<javascript:alert(1)>)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<data:text/html,x>")]
    [InlineData("[x][r]\n\n[r]: javascript:alert(1)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[x](vbscript:msgbox)")]
    public void Unsafe_links_are_never_rendered(string markdown)
    {
        var html = Html(markdown);
        Assert.DoesNotMatch(@"(?i)<a[^>]*href=""(?!#"")", html); // any link left goes nowhere
        Assert.DoesNotMatch(@"(?i)=""\s*(javascript|vbscript|data):", html);
    }

    [Theory]
    [InlineData("[x](https://www.nhs.uk/)", "<p><a href=\"https://www.nhs.uk/\">x</a></p>\n")]
    [InlineData("[x](/articles/about-ibm)", "<p><a href=\"/articles/about-ibm\">x</a></p>\n")]
    [InlineData("[x](#corticosteroids)", "<p><a href=\"#corticosteroids\">x</a></p>\n")]
    [InlineData("[x](mailto:help@example.org)", "<p><a href=\"mailto:help@example.org\">x</a></p>\n")]
    [InlineData("[x](//evil.example/)", "<p><a href=\"#\">x</a></p>\n")]
    public void Safe_links_are_kept_and_others_go_nowhere(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    [Theory]
    [InlineData("## Heading {onclick=\"alert(1)\"}", "onclick")]
    [InlineData("Text {onmouseover=\"alert(1)\"}\n", "onmouseover")]
    [InlineData("[x](https://example.org){onclick=\"alert(1)\"}", "onclick")]
    [InlineData("[x](https://example.org){style=\"position:fixed;inset:0\"}", "style=")]
    [InlineData("## Heading {.visually-hidden}", "class=\"visually-hidden\">Heading")]
    public void Attribute_syntax_cannot_add_event_handlers_styles_or_classes(string markdown, string forbidden) =>
        Assert.DoesNotContain(forbidden, Html(markdown), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("```csharp\nvar x = \"<b>\";\n```", "<pre><code class=\"language-csharp\">var x = &quot;&lt;b&gt;&quot;;\n</code></pre>\n")]
    [InlineData("| Drug | Result |\n|---|---|\n| IVIg | none |", "<table>\n<thead>\n<tr>\n<th>Drug</th>\n<th>Result</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>IVIg</td>\n<td>none</td>\n</tr>\n</tbody>\n</table>\n")]
    public void Code_and_tables_render(string markdown, string html) =>
        Assert.Equal(html, Html(markdown));

    [Theory]
    [InlineData("## Head\n\nSome **bold** and _em_ [link](https://example.org) [@a].\n\n- item `code`\n\n> quoted", "Head\nSome bold and em link.\nitem code\nquoted")]
    [InlineData("<b>not markup</b> &amp; more", "<b>not markup</b> & more")]
    [InlineData("| a | b |\n|---|---|\n| 1 | 2 |", "a\nb\n1\n2")]
    public void PlainText_has_no_markup(string markdown, string text) =>
        Assert.Equal(text, Renderer.Render(markdown, Audience.All).PlainText);
}
