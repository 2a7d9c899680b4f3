namespace IbmInfo.Content;

/// <summary>The article categories, in the order the home page lists them.</summary>
public static class Categories
{
    /// <summary>Category slug and the heading readers see.</summary>
    public static readonly IReadOnlyList<(string Slug, string Name)> All =
    [
        ("about-ibm", "About IBM"),
        ("treatment-evidence", "Treatment evidence"),
        ("management", "Managing IBM"),
        ("support-services", "Support services"),
        ("living-with-ibm", "Living with IBM"),
        ("research", "Research and clinical trials"),
    ];

    /// <summary>Whether <paramref name="slug"/> names a category.</summary>
    public static bool IsKnown(string? slug) => All.Any(c => c.Slug == slug);

    /// <summary>The reader-facing name of a category slug (the slug itself when unknown).</summary>
    public static string NameOf(string? slug) => All.FirstOrDefault(c => c.Slug == slug).Name ?? slug ?? "";
}
