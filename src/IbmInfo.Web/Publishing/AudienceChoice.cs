using IbmInfo.Content;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// "Which best describes you?": the reader's audience comes from <c>?audience=</c> (a link a clinician can share),
/// else from the cookie the plain form sets, else both audiences are shown.
/// </summary>
public static class AudienceChoice
{
    public const string CookieName = "audience";

    public static Audience Resolve(HttpContext context)
    {
        if (TryParse(context.Request.Query["audience"], out var fromLink))
        {
            Remember(context, fromLink);
            return fromLink;
        }
        return TryParse(context.Request.Cookies[CookieName], out var fromCookie) ? fromCookie : Audience.All;
    }

    public static bool TryParse(string? value, out Audience audience)
    {
        audience = value?.Trim().ToLowerInvariant() switch
        {
            "patient" => Audience.Patient,
            "clinician" => Audience.Clinician,
            "all" => Audience.All,
            _ => (Audience)(-1),
        };
        return Enum.IsDefined(audience);
    }

    public static void Remember(HttpContext context, Audience audience) =>
        context.Response.Cookies.Append(CookieName, audience.ToString().ToLowerInvariant(), new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true, // a reading preference the reader chose, not tracking
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
            Path = "/",
        });

    public static string Describe(Audience audience) => audience switch
    {
        Audience.Patient => "patients and carers",
        Audience.Clinician => "healthcare professionals",
        _ => "everyone (both versions shown)",
    };
}
