using System.Globalization;
using System.Text;

namespace IbmInfo.Web.Pages.AlertCard;

/// <summary>
/// What a reader typed to put on their own card. Never stored and never logged: it lives for one request, goes into
/// the PDF and is gone. A field left empty prints as a line to write on by hand.
/// </summary>
public sealed record CardDetails(string? Name = null, string? Contact = null, string? Specialist = null, string? SpecialistPhone = null)
{
    public static readonly CardDetails Blank = new();
}

/// <summary>One field of the form: its name in the post, its label and hint, and how long it may be.</summary>
public sealed record CardField(string Key, string Label, string Hint, int MaxLength, string InputMode, string? Autocomplete)
{
    public string Id => "card-" + Key;
}

/// <summary>The "make your card" form: what was typed and, field by field, what is wrong with it.</summary>
public sealed record AlertCardForm(CardDetails Details, IReadOnlyDictionary<string, string> Errors)
{
    public static readonly CardField Name = new("name", "Your name", "As you would like a doctor to read it.", 40, "text", "name");
    public static readonly CardField Contact = new("contact", "Emergency contact", "A name and phone number, for example: Sam (husband) 07700 900123.", 60, "text", null);
    public static readonly CardField Specialist = new("specialist", "Your specialist’s name", "For example: Dr A Jones, neuromuscular clinic.", 50, "text", null);
    public static readonly CardField SpecialistPhone = new("phone", "Your specialist’s phone number", "", 30, "tel", "off");
    public static readonly IReadOnlyList<CardField> Fields = [Name, Contact, Specialist, SpecialistPhone];

    public static readonly AlertCardForm Empty = new(CardDetails.Blank, new Dictionary<string, string>());

    public bool HasErrors => Errors.Count > 0;

    public string? Value(CardField field) =>
        field == Name ? Details.Name : field == Contact ? Details.Contact : field == Specialist ? Details.Specialist : Details.SpecialistPhone;

    public string? Error(CardField field) => Errors.GetValueOrDefault(field.Key);

    /// <summary>
    /// Checks what was typed: each field on one line, short enough to fit its place on the card, and only characters
    /// the card's typeface can print. What was typed is kept as it was, so the form can show it again.
    /// </summary>
    public static AlertCardForm Validate(string? name, string? contact, string? specialist, string? phone)
    {
        var details = new CardDetails(Clean(name), Clean(contact), Clean(specialist), Clean(phone));
        var form = new AlertCardForm(details, new Dictionary<string, string>());
        var errors = new Dictionary<string, string>();
        foreach (var field in Fields)
        {
            if (form.Value(field) is { } value && Problem(field, value) is { } problem)
                errors[field.Key] = problem;
        }
        return form with { Errors = errors };
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Problem(CardField field, string value)
    {
        var label = field.Label.Replace("Your ", "", StringComparison.Ordinal);
        label = char.ToUpperInvariant(label[0]) + label[1..];
        var length = new StringInfo(value).LengthInTextElements;
        if (length > field.MaxLength)
            return $"{label} must be {field.MaxLength} characters or fewer to fit on the card (it has {length}).";
        if (Unprintable(value) is { } bad)
            return $"{label} contains {bad}, which cannot be printed on the card. Type it without that character, or leave the field empty and write it on the printed card by hand.";
        if (!AlertCardPdf.Fits(field, value))
            return $"{label} is too wide to fit on the card. Shorten it, for example with initials, or leave it empty and write it on the printed card by hand.";
        return null;
    }

    /// <summary>A description of the first character that cannot go on the card, or null when every one can.</summary>
    private static string? Unprintable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !char.IsSurrogatePair(value, i)) return "a broken character";
            var rune = Rune.GetRuneAt(value, i);
            if (Rune.IsControl(rune)) return rune.Value is '\t' or '\n' or '\r' ? "a tab or line break" : "an invisible control character";
            if (rune.Value is 0xFFFE or 0xFFFF or >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
                return "an invisible formatting character";
            if (!CardFonts.CanDraw(rune.Value)) return $"the character “{rune}”";
            if (rune.IsBmp is false) i++;
        }
        return null;
    }
}
