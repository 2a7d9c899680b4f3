using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.References;

[OutputCache(PolicyName = PageCaching.ReaderPage)]
public sealed class IndexModel(IbmInfoDb db) : PageModel
{
    public List<(ReferenceRecord Record, int CitingPages)> References { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var records = await db.References.AsNoTracking().OrderBy(r => r.Title).ToListAsync(cancellationToken);
        var citing = await CitingVersions.CurrentByReferenceAsync(db, cancellationToken);
        References = records.Select(r => (r, citing.TryGetValue(r.Key, out var pages) ? pages.Count : 0)).ToList();
    }
}
