using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.References;

[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class ReferenceModel(IbmInfoDb db) : PageModel
{
    public Reference Reference { get; private set; } = null!;
    public List<(Article Article, ArticleVersion Version)> CitedBy { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(key)) return NotFound();
        var record = await db.References.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
        if (record is null) return NotFound();
        Reference = record.ToReference();
        var citing = await CitingVersions.CurrentByReferenceAsync(db, cancellationToken);
        CitedBy = citing.TryGetValue(key, out var pages) ? pages : [];
        return Page();
    }
}
