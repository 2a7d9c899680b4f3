using System.Text.Json;
using System.Text.Json.Nodes;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// schema.org <c>MedicalWebPage</c> structured data for an article, for search engines and clinicians' tools.
/// System.Text.Json escapes &lt;, &gt; and &amp;, so the JSON cannot close the script element it sits in.
/// </summary>
public static class MedicalWebPage
{
    /// <summary>
    /// The whole <c>script</c> element, written out here because Razor's tag helpers would encode the "+" of its
    /// type attribute.
    /// </summary>
    public static string ScriptElement(VersionView view, Audience audience, string absoluteUrl) =>
        $"<script type=\"application/ld+json\">{Json(view, audience, absoluteUrl)}</script>";

    public static string Json(VersionView view, Audience audience, string absoluteUrl)
    {
        var version = view.Version;
        var page = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "MedicalWebPage",
            ["name"] = version.Title,
            ["description"] = version.Summary,
            ["url"] = absoluteUrl,
            ["inLanguage"] = "en-GB",
            ["version"] = version.Number,
            ["dateModified"] = version.Date.ToString("yyyy-MM-dd"),
            ["about"] = new JsonObject { ["@type"] = "MedicalCondition", ["name"] = "Inclusion body myositis" },
            ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = "IbmInfo" },
            ["audience"] = new JsonArray(Audiences(audience).ToArray()),
        };
        if (view.References.Count > 0)
            page["citation"] = new JsonArray(view.References.Select(Citation).ToArray());
        // Only an approved version claims a review; a pending one says nothing it cannot back.
        if (version is { Status: ReviewStatus.Approved, ReviewedAt: DateTime reviewed })
        {
            page["lastReviewed"] = reviewed.ToString("yyyy-MM-dd");
            page["reviewedBy"] = new JsonObject { ["@type"] = "Person", ["name"] = version.ReviewedByName ?? "IbmInfo medical advisory board" };
        }
        return page.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>A reference as schema.org sees it: what it is, who wrote it, where it appeared and how to find it.</summary>
    private static JsonNode Citation(Reference reference)
    {
        var work = new JsonObject
        {
            ["@type"] = reference.Kind == ReferenceKind.Research ? "ScholarlyArticle" : "CreativeWork",
            ["name"] = reference.Title,
            ["author"] = reference.Authors,
            ["publisher"] = reference.Publisher,
        };
        if (reference.Year is int year) work["datePublished"] = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (reference.Link is string link) work["url"] = link;
        return work;
    }

    private static IEnumerable<JsonNode> Audiences(Audience audience)
    {
        if (audience != Audience.Clinician) yield return new JsonObject { ["@type"] = "Patient" };
        if (audience != Audience.Patient) yield return new JsonObject { ["@type"] = "MedicalAudience", ["audienceType"] = "Clinician" };
    }
}
