using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;

namespace IbmInfo.Web.Pages.Feeds;

/// <summary>Absolute addresses for feeds, the sitemap, structured data and the alert card.</summary>
public static class SiteUrls
{
    /// <summary>The site's scheme and host, from <c>Site:BaseUrl</c> (see <see cref="SiteAddress"/>), never from a request's Host outside Development.</summary>
    public static string Base(HttpRequest request) => request.HttpContext.RequestServices.GetRequiredService<SiteAddress>().Base(request);

    /// <summary>Where readers find an article or page now.</summary>
    public static string Current(Article article) => article.Kind == ContentKind.Article ? $"/articles/{article.Slug}" : $"/{article.Slug}";

    /// <summary>The address of one exact version; pages have only their current address.</summary>
    public static string Permanent(Article article, int number) =>
        article.Kind == ContentKind.Article ? $"/articles/{article.Slug}/v/{number}" : $"/{article.Slug}";
}
