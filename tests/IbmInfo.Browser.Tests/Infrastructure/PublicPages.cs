using IbmInfo.Web.Tests.Infrastructure;

namespace IbmInfo.Browser.Tests.Infrastructure;

/// <summary>Every public page the browser tests visit. Add a page here and every check covers it.</summary>
public static class PublicPages
{
    public const string NotFound = "/articles/no-such-article";

    private static readonly string[] Fixed =
    [
        "/",
        "/articles/treatment-evidence/v/1",
        "/references",
        "/references/cochrane-2015",
        "/search?q=steroids",
        "/search?q=",
        "/search?q=myosytis",
        "/search?q=zzzqqq",
        "/alert-card",
        "/alert-card-clinicians?audience=clinician",
        "/about",
        "/disclaimer",
        "/editorial-policy",
        "/audience",
        "/articles/treatment-evidence/questions",
        "/articles/treatment-evidence/history",
        "/articles/treatment-evidence/diff/1/1",
        "/articles/treatment-evidence/diff/1/2?audience=all",
        "/account/sign-in",
        NotFound,
    ];

    /// <summary>The fixed pages and every article in the content folder.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Fixed, .. Directory.GetDirectories(Path.Combine(RepositoryPaths.Content, "articles")).Select(d => "/articles/" + Path.GetFileName(d)).Order()];

    public static TheoryData<string> Data => [.. All];
}
