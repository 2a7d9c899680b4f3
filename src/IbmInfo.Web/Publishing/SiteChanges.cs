namespace IbmInfo.Web.Publishing;

/// <summary>
/// Told whenever what readers see may have changed — a content sync or a review transition — so that anything
/// kept from before (cached pages, the search view) is dropped. The one place both writers call.
/// </summary>
public sealed class SiteChanges(ContentStatus status)
{
    public Task NotifyAsync(CancellationToken cancellationToken = default)
    {
        status.Changed();
        return Task.CompletedTask;
    }
}
