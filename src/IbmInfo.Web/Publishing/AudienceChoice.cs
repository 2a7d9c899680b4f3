using IbmInfo.Content;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// "Which best describes you?": the reader's audience comes from <c>?audience=</c> (a link a clinician can share, or
/// the plain GET form), else from the cookie that remembers it; a reader who has not chosen reads the text for patients
/// and carers (with the switch to the professional text beside it), as on the NHS and PDQ patient pages.
/// </summary>
public static class AudienceChoice
{
    public const string CookieName = "audience";

    /// <summary>The audience this request is for; no side effects (the cookie is set by <see cref="UseAudienceLinks"/>).</summary>
    public static Audience Resolve(HttpContext context) => Chosen(context) ?? Audience.Patient;

    /// <summary>The audience the reader chose, by link or else by cookie; null when they have made no choice.</summary>
    public static Audience? Chosen(HttpContext context) =>
        TryParse(context.Request.Query["audience"], out var fromLink) ? fromLink
        : TryParse(context.Request.Cookies[CookieName], out var fromCookie) ? fromCookie
        : null;

    /// <summary>
    /// Remembers an <c>?audience=</c> choice in the cookie as the response starts, for any page. Done here rather than
    /// by the page so the page's output stays the same for every reader of that version and can be cached: the
    /// cookie is added to the response after the output cache has taken its copy, and to every copy it serves.
    /// </summary>
    public static WebApplication UseAudienceLinks(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            if (TryParse(context.Request.Query["audience"], out var chosen))
                context.Response.OnStarting(static state =>
                {
                    var (context, chosen) = ((HttpContext, Audience))state;
                    Remember(context, chosen);
                    return Task.CompletedTask;
                }, (context, chosen));
            return next(context);
        });
        return app;
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
        _ => "everyone (both texts shown)",
    };
}
