using IbmInfo.Web.Hosting;
using Microsoft.AspNetCore.OutputCaching;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// Told whenever what readers see may have changed — a content sync or a review transition, after it has been
/// committed — so that every cached reader page is dropped. The one place both writers call.
/// </summary>
public sealed class SiteChanges(ContentStatus status, IOutputCacheStore pages)
{
    public async Task NotifyAsync(CancellationToken cancellationToken = default)
    {
        // The generation first: a page still being rendered from the old state is stored under the old one, unseen.
        status.Changed();
        await pages.EvictByTagAsync(PageCaching.Tag, cancellationToken);
    }
}
