using IbmInfo.Bench;

const string usage = """
    usage:
      IbmInfo.Bench generate --articles N --versions V --out DIR [--base CONTENT_DIR] [--seed S]
      IbmInfo.Bench approve-all (--db FILE | --connection "Data Source=…" | --provider PostgreSql --connection "Host=…;Database=…")
    """;

try
{
    return args switch
    {
        ["generate", .. var rest] => ContentGenerator.Run(Options.Parse(rest)),
        ["approve-all", .. var rest] => await ApproveAll.RunAsync(Options.Parse(rest)),
        _ => Fail(usage),
    };
}
catch (ArgumentException e)
{
    return Fail($"{e.Message}\n{usage}");
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
