using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Web.Tests.Publishing;

/// <summary>Import without a restart (the dashboard's button, the command beside a running site) and export that imports back unchanged.</summary>
public sealed class ImportExportTests : AppTest
{
    public ImportExportTests()
    {
        Content.WriteArticle("steroids", 1, "## Steroids\n\nThey do not help [@cochrane-2015].", title: "Steroids in IBM");
        Content.WritePage("about", 1, "## About\n\nWho we are.");
        App.Settings["Content:ImportWatchMilliseconds"] = "100"; // the watcher looks every 3 s on a real site
    }

    [Fact]
    public async Task The_dashboard_imports_new_files_at_once_and_shows_what_was_added_unchanged_and_refused()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        Content.WriteArticle("steroids", 2, "## Steroids\n\nA second version, imported without a restart.", title: "Steroids in IBM", change: "Rewritten.");
        Content.WriteArticle("steroids", 1, "## Steroids\n\nAn edit in place.", title: "Steroids in IBM");
        var reader = App.CreateClient();
        Assert.DoesNotContain("without a restart", await reader.GetStringAsync("/articles/steroids"));

        var (_, dashboard) = await editor.GetPageAsync("/editor");
        using var imported = await editor.SubmitAsync(dashboard, "form[action*=Import]", new Dictionary<string, string>(), "/editor");
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);

        var (_, after) = await editor.GetPageAsync("/editor");
        Assert.Contains("1 added, 1 unchanged, 1 refused", after.Text(".import-count"));
        Assert.Contains("by ed@example.org", after.Text(".last-import"));
        Assert.StartsWith("articles/steroids/1.md:1: version 1 is already stored with other text", after.Text(".import-problems li"));
        Assert.Contains("save the change as 3.md", after.Text(".import-problems li"));
        Assert.Contains("without a restart", await reader.GetStringAsync("/articles/steroids"));

        var reviewer = await App.SignedInAsync("rev@example.org", "Reviewer");
        var (_, mine) = await reviewer.GetPageAsync("/editor");
        Assert.Null(mine.QuerySelector("form[action*=Import]"));
    }

    [Fact]
    public async Task The_import_command_works_against_a_running_sites_database_and_the_site_shows_it_within_seconds()
    {
        var reader = App.CreateClient();
        Assert.Contains("They do not help", await reader.GetStringAsync("/articles/steroids"));
        Content.WriteArticle("steroids", 2, "## Steroids\n\nImported by the command.", title: "Steroids in IBM", change: "By command.");

        var (code, output) = await App.RunCommandAsync(null, "content", "import");

        Assert.True(code == 0, output);
        Assert.Contains("added articles/steroids/2.md", output);
        Assert.Contains("1 added, 2 unchanged, 0 problem(s)", output);
        var seen = false;
        for (var i = 0; i < 200 && !seen; i++)
        {
            seen = (await reader.GetStringAsync("/articles/steroids")).Contains("Imported by the command.");
            if (!seen) await Task.Delay(50);
        }
        Assert.True(seen, "the running site never showed the imported version");
    }

    [Fact]
    public async Task The_sites_own_import_is_not_taken_by_the_import_watcher_for_one_made_by_another_process()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        Content.WriteArticle("steroids", 2, "## Steroids\n\nImported from the dashboard.", title: "Steroids in IBM", change: "From the dashboard.");
        var (_, dashboard) = await editor.GetPageAsync("/editor");
        // Imports here run one at a time, so once this one has answered, the start-up import has ended too.
        using var imported = await editor.SubmitAsync(dashboard, "form[action*=Import]", new Dictionary<string, string>(), "/editor");
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        var status = App.Services.GetRequiredService<ContentStatus>();
        var generation = status.Generation;

        await Task.Delay(1000); // ten of the watcher's looks

        // The import dropped the cached pages once, as it answered; the watcher must not drop them again for it.
        Assert.Equal(generation, status.Generation);
    }

    [Fact]
    public async Task Export_writes_every_version_and_the_references_so_that_they_import_back_unchanged_into_an_empty_database()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, form) = await editor.GetPageAsync("/editor/write/steroids");
        var fields = form.QuerySelectorAll("#write-form input[name], #write-form textarea[name]")
            .ToDictionary(i => i.GetAttribute("name")!, i => i.TagName == "TEXTAREA" ? i.TextContent : i.GetAttribute("value") ?? "");
        fields["Form.ChangeNote"] = "Written in the browser: quotes \" and colons: kept.";
        fields["Form.Body"] = "## Steroids\n\r\nWritten in the browser [@praxis-2025].";
        fields["Form.Category"] = "treatment-evidence";
        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostAsync("/editor/write/steroids?handler=Submit", new FormUrlEncodedContent(fields))).StatusCode);
        await App.WithDbAsync(async db =>
        {
            var reference = await db.References.SingleAsync(r => r.Key == "praxis-2025");
            reference.Title = "Corrected in the browser: \"Musculoskeletal\" disorders";
            await db.SaveChangesAsync();
        });
        var exported = Path.Combine(App.DataDirectory, "export");

        var (code, output) = await App.RunCommandAsync(null, "content", "export", "--to", exported);

        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(exported, "articles/steroids/2.md")));
        Assert.Contains("ed@example.org", await File.ReadAllTextAsync(Path.Combine(exported, "authors.yml")));
        var before = await HashesAsync(App);
        using var fresh = new IbmInfoFactory(exported);
        fresh.CreateClient().Dispose();
        Assert.Equal(before, await HashesAsync(fresh));
        var report = await fresh.SyncAsync();
        Assert.Empty(report.Problems);
        Assert.Equal(3, report.Unchanged);
        await fresh.WithDbAsync(async db =>
        {
            Assert.Equal("Corrected in the browser: \"Musculoskeletal\" disorders", (await db.References.SingleAsync(r => r.Key == "praxis-2025")).Title);
            Assert.Equal("Written in the browser: quotes \" and colons: kept.", (await db.Versions.SingleAsync(v => v.Number == 2)).ChangeNote);
        });

        Content.WriteArticle("steroids", 1, "## Changed on disk", title: "Steroids in IBM");
        var (differs, message) = await App.RunCommandAsync(null, "content", "export", "--to", Content.Root);
        Assert.Equal(1, differs);
        Assert.Contains("articles/steroids/1.md: exists", message);
        Assert.Contains("## Changed on disk", await File.ReadAllTextAsync(Path.Combine(Content.Root, "articles/steroids/1.md")));
    }

    private static async Task<List<string>> HashesAsync(IbmInfoFactory app)
    {
        var hashes = new List<string>();
        await app.WithDbAsync(async db => hashes.AddRange((await db.Versions.Select(v => new { v.Article.Slug, v.Number, v.ContentHash, v.Markdown }).ToListAsync())
            .Select(v => $"{v.Slug}/{v.Number}:{v.ContentHash}:{IbmInfo.Content.ContentLoader.HashOf(v.Markdown!)}").Order()));
        return hashes;
    }

    [Fact]
    public async Task References_are_added_and_corrected_in_the_browser_with_the_files_rules_and_a_record_of_each_change()
    {
        var editor = await App.SignedInAsync("ed@example.org", "Editor");
        var (_, form) = await editor.GetPageAsync("/editor/references/edit");
        var good = new Dictionary<string, string>
        {
            ["Form.Key"] = "naddaf-2018", ["Form.Kind"] = "Review", ["Form.Authors"] = "Naddaf E, Barohn RJ, Dimachkie MM",
            ["Form.Title"] = "Inclusion body myositis: update on pathogenesis and treatment", ["Form.Publisher"] = "Neurotherapeutics",
            ["Form.Year"] = "2018", ["Form.Pmid"] = "30091085", ["Form.Doi"] = "", ["Form.Url"] = "",
        };

        using var bad = await editor.SubmitAsync(form, "form.stacked-form", new(good) { ["Form.Pmid"] = "PMID 30091085", ["Form.Url"] = "http://example.org" }, "/editor/references/edit");
        var badPage = await bad.ReadPageAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("must be digits only", badPage.Text("#Form_Pmid-error"));
        Assert.Contains("absolute https://", badPage.Text("#Form_Url-error"));

        using var added = await editor.SubmitAsync(form, "form.stacked-form", good, "/editor/references/edit");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        // The editor's citation check knows it at once.
        var (_, write) = await editor.GetPageAsync("/editor/write/steroids");
        var fields = write.QuerySelectorAll("#write-form input[name], #write-form textarea[name]")
            .ToDictionary(i => i.GetAttribute("name")!, i => i.TagName == "TEXTAREA" ? i.TextContent : i.GetAttribute("value") ?? "");
        fields["Form.Body"] = "## Steroids\n\nSee the 2018 review [@naddaf-2018].";
        fields["Form.ChangeNote"] = "Cites the 2018 review.";
        fields["Form.Category"] = "treatment-evidence";
        Assert.Equal(HttpStatusCode.Redirect, (await editor.PostAsync("/editor/write/steroids?handler=Submit", new FormUrlEncodedContent(fields))).StatusCode);

        var (_, edit) = await editor.GetPageAsync("/editor/references/edit/naddaf-2018");
        Assert.NotNull(edit.QuerySelector("#Form_Key[readonly]"));
        using var renamed = await editor.SubmitAsync(edit, "form.stacked-form", new(good) { ["Form.Key"] = "naddaf-2019" }, "/editor/references/edit/naddaf-2018");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, renamed.StatusCode);
        Assert.Contains("cannot change", (await renamed.ReadPageAsync()).Text("#Form_Key-error"));
        using var corrected = await editor.SubmitAsync(edit, "form.stacked-form", new(good) { ["Form.Year"] = "2019" }, "/editor/references/edit/naddaf-2018");
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);

        var (_, list) = await editor.GetPageAsync("/editor/references");
        var changes = list.QuerySelectorAll("#reference-changes ~ .table-scroll tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(changes, c => c.Contains("naddaf-2018") && c.Contains("ed@example.org") && c.Contains("year: '2018' → '2019'"));
        Assert.Contains(changes, c => c.Contains("naddaf-2018") && c.Contains("added in the browser"));
        var (_, article) = await App.CreateClient().GetPageAsync("/articles/steroids/v/2");
        Assert.Contains("2019", article.Text(".reference-list"));

        // A correction survives the next import of an unchanged references file.
        await App.SyncAsync();
        await App.WithDbAsync(async db => Assert.Equal(2019, (await db.References.SingleAsync(r => r.Key == "naddaf-2018")).Year));
    }
}
