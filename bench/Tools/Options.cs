namespace IbmInfo.Bench;

/// <summary>The verbs' <c>--name value</c> pairs.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        return new Options(values);
    }

    public string? Get(string name) => values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int? fallback = null)
    {
        var text = Get(name);
        if (text is null) return fallback ?? throw new ArgumentException($"--{name} is required");
        return int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive whole number");
    }
}
