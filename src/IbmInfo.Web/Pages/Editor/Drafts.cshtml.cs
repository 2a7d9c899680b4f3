using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>The signed-in editor's own drafts, to resume or discard; nobody else's are listed.</summary>
[Authorize(Policy = Roles.Editor)]
public sealed class DraftsModel(IbmInfoDb db, UserManager<IdentityUser> users) : PageModel
{
    public List<Draft> Drafts { get; private set; } = [];
    [Microsoft.AspNetCore.Mvc.TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = users.GetUserId(User);
        Drafts = await db.Drafts.AsNoTracking().Where(d => d.AuthorId == me).OrderByDescending(d => d.SavedAt).ToListAsync(cancellationToken);
    }
}
