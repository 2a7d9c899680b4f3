using System.Security.Cryptography;
using System.Text;

namespace IbmInfo.Content;

public sealed partial class ContentLoader
{
    /// <summary>
    /// Checks and renders one version's text as if it were the file <paramref name="file"/>, with the same rules as a
    /// file in the content folder: the web editor's check and preview, and the renderings of a version the database
    /// keeps. Problems are added to <paramref name="problems"/>; null when there is one.
    /// </summary>
    public ContentVersion? ReadText(
        string file, string text, ContentKind kind, string slug, int number,
        IReadOnlyDictionary<string, Reference> references, List<ContentProblem> problems)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // A version written now is the article's latest, so it is held to the latest version's rules.
        var keyPointsRequired = RequireKeyPointsOnLatestArticleVersion && kind == ContentKind.Article;
        return ReadVersion(file, bytes, HashOf(bytes), kind, slug, number, keyPointsRequired, references, problems);
    }

    /// <summary>The content hash of a version: SHA-256 of its bytes, in lower-case hex.</summary>
    public static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The content hash of a version's text, as the hash of the same text saved as UTF-8.</summary>
    public static string HashOf(string text) => HashOf(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A file's text exactly as its bytes say, byte-order mark and line ends included, so that writing it back as
    /// UTF-8 gives the same bytes and hash; null when the bytes are not UTF-8.
    /// </summary>
    public static string? ExactText(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
