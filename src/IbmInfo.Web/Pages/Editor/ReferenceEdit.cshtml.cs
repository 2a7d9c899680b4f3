using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>
/// Adding a reference, or correcting one, with the references file's own rules (PMID digits only, DOI and https URL
/// checked). A key cannot change once a version cites it. Each change is recorded: who, when, what.
/// </summary>
[Authorize(Policy = Roles.Editor)]
public sealed class ReferenceEditModel(IbmInfoDb db, SiteChanges changes, TimeProvider clock) : PageModel
{
    public sealed class ReferenceForm
    {
        public string? Key { get; set; }
        public string? Kind { get; set; }
        public string? Authors { get; set; }
        public string? Title { get; set; }
        public string? Publisher { get; set; }
        public string? Year { get; set; }
        public string? Pmid { get; set; }
        public string? Doi { get; set; }
        public string? Url { get; set; }
        public string? Accessed { get; set; }
        public string? Note { get; set; }
    }

    /// <summary>The fields in the order they are written for the check, one a line after the key's.</summary>
    private static readonly string[] Order = ["kind", "authors", "title", "publisher", "year", "pmid", "doi", "url", "accessed", "note"];

    [BindProperty] public ReferenceForm Form { get; set; } = new();
    public ReferenceRecord? Existing { get; private set; }
    public int CitedBy { get; private set; }
    public bool IsNew => Existing is null;

    public async Task<IActionResult> OnGetAsync(string? key, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(key, cancellationToken)) return NotFound();
        if (Existing is { } r)
            Form = new ReferenceForm
            {
                Key = r.Key, Kind = r.ToReference().KindLabel, Authors = r.Authors, Title = r.Title, Publisher = r.Publisher,
                Year = r.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture), Pmid = r.Pmid, Doi = r.Doi, Url = r.Url,
                Accessed = r.Accessed?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Note = r.Note,
            };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? key, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(key, cancellationToken)) return NotFound();
        var newKey = Form.Key?.Trim() ?? "";
        var reference = Check(newKey);
        if (Existing is not null && newKey != Existing.Key)
        {
            if (CitedBy > 0) ModelState.AddModelError("Form.Key", $"The key cannot change: {CitedBy} version(s) cite [@{Existing.Key}], and a version's text never changes.");
        }
        if ((Existing is null || newKey != Existing.Key) && await db.References.AnyAsync(r => r.Key == newKey, cancellationToken))
            ModelState.AddModelError("Form.Key", $"There is already a reference with the key '{newKey}'.");
        if (!ModelState.IsValid || reference is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var by = ReviewActor.From(User).Email;
        var now = clock.GetUtcNow().UtcDateTime;
        string what;
        if (Existing is null)
        {
            var record = new ReferenceRecord { Key = newKey, Authors = "", Title = "", Publisher = "" };
            ReferenceFields.Apply(record, reference);
            db.References.Add(record);
            what = "added in the browser";
        }
        else
        {
            what = ReferenceFields.Describe(Existing.ToReference(), reference);
            if (newKey != Existing.Key)
            {
                what = $"key: '{Existing.Key}' → '{newKey}'" + (what.Length > 0 ? "; " + what : "");
                db.References.Remove(Existing);
                var record = new ReferenceRecord { Key = newKey, Authors = "", Title = "", Publisher = "", ImportedFields = Existing.ImportedFields };
                ReferenceFields.Apply(record, reference);
                db.References.Add(record);
            }
            else
            {
                ReferenceFields.Apply(Existing, reference);
            }
            if (what.Length == 0)
            {
                TempData["Confirmation"] = $"Nothing changed in [@{newKey}].";
                return Redirect("/editor/references");
            }
        }
        db.ReferenceChanges.Add(new ReferenceChange { ReferenceKey = newKey, By = by, At = now, Change = what });
        await db.SaveChangesAsync(cancellationToken);
        await changes.NotifyAsync(cancellationToken);
        TempData["Confirmation"] = $"[@{newKey}]: {what}.";
        return Redirect("/editor/references");
    }

    private async Task<bool> LoadAsync(string? key, CancellationToken cancellationToken)
    {
        if (key is null) return true;
        Existing = await db.References.SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
        if (Existing is null) return false;
        CitedBy = await db.Citations.CountAsync(c => c.ReferenceKey == key, cancellationToken);
        return true;
    }

    /// <summary>
    /// Checks the form by the references file's own rules: it is written as one entry of such a file and parsed,
    /// each problem put beside the field on its line.
    /// </summary>
    private Reference? Check(string key)
    {
        var values = new[] { Form.Kind, Form.Authors, Form.Title, Form.Publisher, Form.Year, Form.Pmid, Form.Doi, Form.Url, Form.Accessed, Form.Note };
        var yaml = new System.Text.StringBuilder();
        yaml.Append(WebEditor.Quoted(key)).Append(":\n");
        for (var i = 0; i < Order.Length; i++) yaml.Append("  ").Append(Order[i]).Append(": ").Append(WebEditor.Quoted(values[i] ?? "")).Append('\n');
        var problems = new List<ContentProblem>();
        var parsed = ReferencesParser.Parse("form", yaml.ToString(), problems);
        foreach (var problem in problems)
        {
            var field = problem.Line >= 2 && problem.Line <= Order.Length + 1 ? Order[problem.Line - 2]
                : Order.FirstOrDefault(f => problem.Message.Contains($"'{f}'", StringComparison.Ordinal)) ?? "key";
            ModelState.AddModelError("Form." + char.ToUpperInvariant(field[0]) + field[1..], problem.Message);
        }
        return parsed.GetValueOrDefault(key);
    }
}
