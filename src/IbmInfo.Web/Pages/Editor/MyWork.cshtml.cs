using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>What waits for the signed-in person (<see cref="Publishing.MyWork"/>); where signing in lands.</summary>
public sealed class MyWorkModel(MyWork work) : PageModel
{
    public MyWork.Lists Work { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Work = await work.LoadAsync(ReviewActor.From(User), cancellationToken);
}
