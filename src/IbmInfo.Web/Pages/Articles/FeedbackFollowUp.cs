using Microsoft.AspNetCore.DataProtection;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>
/// The reference a "No" answer's follow-up page carries to the answer it adds to: the answer's id, encrypted and
/// valid for a day, so nobody can write into another reader's answer or guess one, and no id is in the address.
/// </summary>
public sealed class FeedbackFollowUp(IDataProtectionProvider protection, TimeProvider clock)
{
    private static readonly TimeSpan Life = TimeSpan.FromDays(1);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("IbmInfo.PageFeedback.Missing").ToTimeLimitedDataProtector();

    public string Protect(int feedbackId) =>
        _protector.Protect(feedbackId.ToString(System.Globalization.CultureInfo.InvariantCulture), clock.GetUtcNow().Add(Life));

    /// <summary>The answer's id, or null when the reference is not one we made, or is over a day old.</summary>
    public int? Unprotect(string? answer)
    {
        if (string.IsNullOrEmpty(answer)) return null;
        try
        {
            var text = _protector.Unprotect(answer, out var expires);
            return expires >= clock.GetUtcNow() && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>What the "what was missing?" form shows: the reader's text and any error.</summary>
public sealed record MissingForm(string Answer, string? Missing = null, string? Error = null)
{
    public const int MaxMissing = Data.PageFeedback.MaxMissing;

    /// <summary>Checks the optional text as the question form checks a question: bounded, and no control characters.</summary>
    public static MissingForm Validate(string answer, string? missing)
    {
        var (clean, hadInvisible) = QuestionForm.WithoutInvisible(missing);
        var text = clean?.ReplaceLineEndings("\n").Trim();
        var error = text is { Length: > MaxMissing } ? $"What was missing must be {MaxMissing:N0} characters or fewer (it has {text.Length:N0}). Shorten it a little."
            : hadInvisible ? "It had invisible control characters in it (often picked up when copying text from elsewhere), which cannot be stored. We have taken them out: check what is below and send it again."
            : null;
        return new MissingForm(answer, string.IsNullOrEmpty(text) ? null : text, error);
    }
}
