using System.Text.RegularExpressions;

namespace IbmInfo.Content;

/// <summary>The rules for slugs and reference keys: lower-case letters, digits and single hyphens.</summary>
public static partial class Slugs
{
    /// <summary>Whether <paramref name="value"/> is a valid slug or reference key.</summary>
    public static bool IsValid(string? value) => value is { Length: > 0 and <= 100 } && Pattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}
