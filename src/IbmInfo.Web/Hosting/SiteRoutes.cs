using IbmInfo.Content;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing.Patterns;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Marks a page that shows the content page <paramref name="slug"/> at its own address (the alert card at
/// <c>/alert-card</c>), so the route is not taken for one that hides that content page.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShowsContentPageAttribute(string slug) : Attribute
{
    public string Slug { get; } = slug;
}

/// <summary>
/// Which of the site's own routes would answer at a content item's address instead of it: a page slug
/// <c>search</c> would never be seen, because <c>/search</c> is the search page. Read from the app's route table, the
/// endpoints the server routes with, so a new page is taken into account without a list to keep up to date.
/// </summary>
public sealed class SiteRoutes
{
    private ICollection<EndpointDataSource>? _sources;
    private Dictionary<ContentKind, Dictionary<string, string>>? _taken;

    /// <summary>
    /// Takes the app's endpoints once they are mapped. The app's own collection, not the routing service's copy:
    /// that copy is filled only when the request pipeline is built, after the first sync and never for a command.
    /// </summary>
    public void Use(ICollection<EndpointDataSource> sources) => _sources = sources;

    /// <summary>The route (e.g. <c>/search</c>) that takes the address of <paramref name="slug"/>, or null.</summary>
    public string? Shadowing(ContentKind kind, string slug)
    {
        if (_sources is null) return null;
        _taken ??= Read(_sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList());
        return _taken.GetValueOrDefault(kind)?.GetValueOrDefault(slug);
    }

    private static Dictionary<ContentKind, Dictionary<string, string>> Read(List<RouteEndpoint> routes)
    {
        var taken = new Dictionary<ContentKind, Dictionary<string, string>>();
        foreach (var (kind, page) in new[] { (ContentKind.Page, "/ContentPage"), (ContentKind.Article, "/Articles/Article") })
        {
            // The content's own address, e.g. /articles/{slug}: the literal segments before the {slug} it ends in.
            var own = routes.Select(r => r.RoutePattern)
                .FirstOrDefault(p => IsPage(routes, p, page) && p.PathSegments.Count > 0 && p.PathSegments[^1].Parts is [RoutePatternParameterPart { Name: "slug" }]);
            if (own is null) continue;
            var prefix = own.PathSegments.Take(own.PathSegments.Count - 1).Select(Literal).ToList();
            var byKind = taken[kind] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var route in routes)
            {
                var segments = route.RoutePattern.PathSegments;
                if (segments.Count <= prefix.Count || !prefix.SequenceEqual(segments.Take(prefix.Count).Select(Literal), StringComparer.OrdinalIgnoreCase)) continue;
                // A literal where the slug goes, and nothing after it that a request must fill in.
                if (Literal(segments[prefix.Count]) is not { } literal || !segments.Skip(prefix.Count + 1).All(IsOptional)) continue;
                if (route.Metadata.GetMetadata<ShowsContentPageAttribute>()?.Slug == literal) continue;
                byKind.TryAdd(literal, "/" + route.RoutePattern.RawText?.TrimStart('/'));
            }
        }
        return taken;
    }

    private static bool IsPage(List<RouteEndpoint> routes, RoutePattern pattern, string page) =>
        routes.Any(r => r.RoutePattern == pattern && r.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath == page);

    private static string? Literal(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternLiteralPart literal] ? literal.Content : null;

    private static bool IsOptional(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternParameterPart parameter] && (parameter.IsOptional || parameter.IsCatchAll || parameter.Default is not null);
}
