using IbmInfo.Web.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>Every reference the database holds, how many versions cite it, and the latest changes made to them.</summary>
public sealed class ReferencesModel(IbmInfoDb db) : PageModel
{
    public List<(ReferenceRecord Reference, int CitedBy)> All { get; private set; } = [];
    public List<ReferenceChange> Changes { get; private set; } = [];
    [Microsoft.AspNetCore.Mvc.TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Citations.GroupBy(c => c.ReferenceKey).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.Key, c => c.Count, cancellationToken);
        All = (await db.References.AsNoTracking().OrderBy(r => r.Key).ToListAsync(cancellationToken))
            .Select(r => (r, counts.GetValueOrDefault(r.Key))).ToList();
        Changes = await db.ReferenceChanges.AsNoTracking().OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(30).ToListAsync(cancellationToken);
    }
}
