using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Articles;

/// <summary>What the question form shows: the article and version it is about, what was typed, and any errors.</summary>
public sealed record QuestionForm(string Slug, int Version, string? Name = null, string? Question = null,
    string? NameError = null, string? QuestionError = null)
{
    public const int MaxName = 100;
    public const int MaxQuestion = 2000;

    public bool HasErrors => NameError is not null || QuestionError is not null;

    private const string Invisible =
        "It had invisible control characters in it (often picked up when copying text from elsewhere), which cannot be stored. We have taken them out: check what is below and send it again.";

    /// <summary>
    /// Checks what a reader sent; line endings are counted as one character, as the browser does. Control characters
    /// (NUL, escape codes …) and non-characters are never typed on purpose and cannot be stored safely: they are taken
    /// out and the form is shown again, so the reader sees exactly what will be sent before it is stored.
    /// </summary>
    public static QuestionForm Validate(string slug, int version, string? name, string? question)
    {
        var (cleanName, nameHadInvisible) = WithoutInvisible(name);
        var (cleanQuestion, questionHadInvisible) = WithoutInvisible(question);
        name = cleanName?.Trim();
        question = cleanQuestion?.ReplaceLineEndings("\n").Trim();
        var nameError = name is { Length: > MaxName } ? $"Your name must be {MaxName} characters or fewer (it has {name.Length})."
            : nameHadInvisible ? "Your name: " + Invisible
            : null;
        var questionError = string.IsNullOrEmpty(question) ? "Enter your question."
            : question.Length > MaxQuestion ? $"Your question must be {MaxQuestion:N0} characters or fewer (it has {question.Length:N0}). Shorten it, or split it in two."
            : questionHadInvisible ? "Your question: " + Invisible
            : null;
        return new QuestionForm(slug, version, string.IsNullOrEmpty(name) ? null : name, question, nameError, questionError);
    }

    /// <summary>The form again, what the reader typed kept, because the database could not store it just now.</summary>
    public QuestionForm NotStored() => this with
    {
        QuestionError = "We could not save your question just now: the fault is ours, not yours. Your question is still below: please send it again in a few minutes.",
    };

    /// <summary>The text without C0/C1 control characters (tab and line breaks kept), non-characters and lone surrogates.</summary>
    internal static (string? Text, bool Changed) WithoutInvisible(string? text)
    {
        if (text is null) return (null, false);
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
                continue;
            }
            var invisible = (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' || c is >= '\uFDD0' and <= '\uFDEF';
            if (!invisible) kept.Append(c);
        }
        return kept.Length == text.Length ? (text, false) : (kept.ToString(), true);
    }
}

/// <summary>Finds the article a reader's question or feedback is about, and the version they were reading.</summary>
internal static class ReaderMessages
{
    /// <summary>
    /// The article and the version number the form named; a missing or unknown number becomes the current version,
    /// so a reader's message is never lost over it. Null when the article does not exist.
    /// </summary>
    public static async Task<(Article Article, int Version)?> FindAsync(IbmInfoDb db, string slug, int? version, CancellationToken cancellationToken)
    {
        if (!Slugs.IsValid(slug)) return null;
        var article = await db.Articles.AsNoTracking().Include(a => a.Versions)
            .SingleOrDefaultAsync(a => a.Slug == slug && a.Kind == ContentKind.Article, cancellationToken);
        var current = article is null ? null : PublishedContent.Current(article.Versions);
        if (article is null || current is null) return null;
        var number = version is int n && article.Versions.Any(v => v.Number == n && v.Status != ReviewStatus.Retired) ? n : current.Number;
        return (article, number);
    }

    /// <summary>Where the reader goes back to: the article's address, or the exact version they were reading.</summary>
    public static string ArticleUrl(Article article, int version) =>
        PublishedContent.Current(article.Versions)?.Number == version ? $"/articles/{article.Slug}" : $"/articles/{article.Slug}/v/{version}";

    /// <summary>The article the reader answered about, saying thank you for the answer.</summary>
    public static string ThanksUrl(Article article, int version) => $"{ArticleUrl(article, version)}?feedback=thanks#page-feedback";
}
