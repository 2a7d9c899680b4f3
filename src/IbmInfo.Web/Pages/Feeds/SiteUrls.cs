using IbmInfo.Content;
using IbmInfo.Web.Data;

namespace IbmInfo.Web.Pages.Feeds;

/// <summary>Absolute addresses for feeds and the sitemap, from the scheme and host the request came in on.</summary>
public static class SiteUrls
{
    public static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    /// <summary>Where readers find an article or page now.</summary>
    public static string Current(Article article) => article.Kind == ContentKind.Article ? $"/articles/{article.Slug}" : $"/{article.Slug}";

    /// <summary>The address of one exact version; pages have only their current address.</summary>
    public static string Permanent(Article article, int number) =>
        article.Kind == ContentKind.Article ? $"/articles/{article.Slug}/v/{number}" : $"/{article.Slug}";
}
