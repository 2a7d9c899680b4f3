using System.Globalization;
using System.Text;
using System.Text.Json;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.RepresentationModel;

namespace IbmInfo.Web.Publishing;

/// <summary>The form fields a problem can be shown beside.</summary>
public static class DraftFields
{
    public const string Title = nameof(Draft.Title);
    public const string Summary = nameof(Draft.Summary);
    public const string Category = nameof(Draft.Category);
    public const string Order = nameof(Draft.Order);
    public const string ChangeNote = nameof(Draft.ChangeNote);
    public const string OtherFrontMatter = nameof(Draft.OtherFrontMatter);
    public const string Body = nameof(Draft.Body);
    /// <summary>A problem with no one field to sit beside.</summary>
    public const string General = "";
}

/// <summary>A problem found in a draft, with the field it belongs to and, inside a text box, its line there.</summary>
public sealed record DraftProblem(string Field, int? Line, string Message)
{
    public string Text => Line is int line ? $"Line {line}: {Message}" : Message;
}

/// <summary>The version text a draft makes, and where each form field sits in it.</summary>
public sealed record DraftText(string Markdown, string File, int Number, IReadOnlyList<(string Field, int FirstLine, int Lines)> Layout);

/// <summary>A draft checked: its rendering when it has no problem, and the problems by field.</summary>
public sealed record DraftCheck(DraftText Text, ContentVersion? Version, IReadOnlyList<DraftProblem> Problems, IReadOnlyDictionary<string, Reference> References)
{
    public bool Ok => Version is not null && Problems.Count == 0;
}

public enum SubmitOutcome
{
    Submitted,
    Problems,
    /// <summary>Someone else submitted a version of the article after the draft was started: nothing was submitted.</summary>
    Conflict,
}

public sealed record SubmitResult(SubmitOutcome Outcome, DraftCheck? Check = null, int Number = 0, IReadOnlyList<ArticleVersion>? Newer = null, VersionComparison? Diff = null);

/// <summary>
/// The web editor's work on drafts: starting one from the newest version's text, turning the form into a version
/// text, checking it with the content folder's rules (the references the database holds), and submitting it as the
/// next version, submitted by the signed-in account.
/// </summary>
public sealed class WebEditor(IbmInfoDb db, ContentLoader loader, SiteChanges changes, TimeProvider clock, ReviewNotifications notifications, ISearchIndex searchIndex)
{
    /// <summary>Front-matter fields the form has boxes for; every other field is kept as YAML text.</summary>
    private static readonly string[] FormFields = ["title", "summary", "category", "date", "change", "author", "order"];

    /// <summary>A new draft holding the text of the article's newest version, to write the next one from.</summary>
    public static Draft StartFrom(Article article, ArticleVersion newest, string authorId, DateTime now)
    {
        var draft = new Draft
        {
            AuthorId = authorId,
            Slug = article.Slug,
            Kind = article.Kind,
            BaseNumber = newest.Number,
            Title = newest.Title,
            Summary = newest.Summary,
            Category = article.Category,
            Order = article.Order,
            ChangeNote = "",
            StartedAt = now,
            SavedAt = now,
        };
        if (newest.Markdown is not null) (draft.OtherFrontMatter, draft.Body) = Split(newest.Markdown);
        return draft;
    }

    /// <summary>A version text's front-matter fields the form does not know (as YAML, exactly as written) and its body.</summary>
    private static (string OtherFrontMatter, string Body) Split(string markdown)
    {
        var lines = markdown.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var close = lines.Length > 0 && lines[0] == "---" ? Array.IndexOf(lines, "---", 1) : -1;
        if (close < 0) return ("", markdown);
        var body = string.Join('\n', lines[(close + 1)..]).TrimStart('\n');
        var yaml = lines[1..close];
        var starts = new List<(string Key, int Index)>();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(string.Join('\n', yaml)));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map)
                starts = map.Children.Select(c => (Key: (c.Key as YamlScalarNode)?.Value ?? "", Index: (int)c.Key.Start.Line - 1)).ToList();
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return (string.Join('\n', yaml), body);
        }
        var other = new StringBuilder();
        for (var i = 0; i < starts.Count; i++)
        {
            if (FormFields.Contains(starts[i].Key)) continue;
            var end = i + 1 < starts.Count ? starts[i + 1].Index : yaml.Length;
            foreach (var line in yaml[starts[i].Index..end]) other.Append(line).Append('\n');
        }
        return (other.ToString().TrimEnd('\n'), body);
    }

    /// <summary>The version text a draft makes as version <paramref name="number"/>, submitted by <paramref name="authorEmail"/> today.</summary>
    public DraftText Compose(Draft draft, int number, string authorEmail)
    {
        var layout = new List<(string, int, int)>();
        var text = new StringBuilder("---\n");
        var line = 2;
        void Field(string field, string yaml)
        {
            text.Append(yaml).Append('\n');
            layout.Add((field, line, 1));
            line++;
        }
        Field(DraftFields.Title, "title: " + Quoted(draft.Title));
        Field(DraftFields.Summary, "summary: " + Quoted(draft.Summary));
        if (draft.Kind == ContentKind.Article) Field(DraftFields.Category, "category: " + Quoted(draft.Category ?? ""));
        Field(DraftFields.General, "date: " + DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Field(DraftFields.ChangeNote, "change: " + Quoted(draft.ChangeNote));
        Field(DraftFields.General, "author: " + Quoted(authorEmail));
        if (draft.Order != 0) Field(DraftFields.Order, "order: " + draft.Order.ToString(CultureInfo.InvariantCulture));
        var other = Plain(draft.OtherFrontMatter).Trim('\n');
        if (other.Length > 0)
        {
            var count = other.Split('\n').Length;
            text.Append(other).Append('\n');
            layout.Add((DraftFields.OtherFrontMatter, line, count));
            line += count;
        }
        text.Append("---\n\n");
        line += 2;
        var body = Plain(draft.Body).Trim('\n');
        layout.Add((DraftFields.Body, line, body.Split('\n').Length));
        text.Append(body).Append('\n');
        var folder = draft.Kind == ContentKind.Page ? "pages" : "articles";
        return new DraftText(text.ToString(), $"{folder}/{draft.Slug}/{number}.md", number, layout);
    }

    /// <summary>Checks a draft as the next version of its article, with the content folder's rules and the database's references.</summary>
    public async Task<DraftCheck> CheckAsync(Draft draft, string authorEmail, CancellationToken cancellationToken)
    {
        var newest = await db.Versions.Where(v => v.Article.Slug == draft.Slug).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0;
        var text = Compose(draft, newest + 1, authorEmail);
        var references = (await db.References.AsNoTracking().ToListAsync(cancellationToken))
            .ToDictionary(r => r.Key, r => r.ToReference(), StringComparer.Ordinal);
        var problems = new List<ContentProblem>();
        var version = loader.ReadText(text.File, text.Markdown, draft.Kind, draft.Slug, text.Number, references, problems);
        return new DraftCheck(text, version, problems.Select(p => Place(text, p)).Distinct().ToList(), references);
    }

    /// <summary>Puts a problem beside its field: by its line, or for a missing field by the field it names.</summary>
    private static DraftProblem Place(DraftText text, ContentProblem problem)
    {
        var message = problem.Message;
        foreach (var (field, first, lines) in text.Layout)
        {
            if (problem.Line < first || problem.Line >= first + lines) continue;
            return field is DraftFields.Body or DraftFields.OtherFrontMatter
                ? new DraftProblem(field, problem.Line - first + 1, message)
                : new DraftProblem(field, null, message);
        }
        var named = new[] { ("'title'", DraftFields.Title), ("'summary'", DraftFields.Summary), ("'category'", DraftFields.Category), ("'change'", DraftFields.ChangeNote), ("body", DraftFields.Body) }
            .FirstOrDefault(n => message.Contains(n.Item1, StringComparison.Ordinal)).Item2;
        return new DraftProblem(named ?? DraftFields.General, null, message);
    }

    /// <summary>
    /// Submits a draft as the next version, Submitted by <paramref name="author"/>, and deletes the draft — unless it
    /// has a problem, or someone else submitted a version of the article since the draft was started; then nothing
    /// is submitted, the draft is kept, and the result says what happened (with what changed).
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(Draft draft, IdentityUser author, CancellationToken cancellationToken)
    {
        var email = author.Email ?? author.UserName ?? "";
        var article = await db.Articles.Include(a => a.Versions).SingleOrDefaultAsync(a => a.Slug == draft.Slug, cancellationToken);
        var newer = article?.Versions.Where(v => v.Number > draft.BaseNumber && v.SubmittedById != author.Id).OrderBy(v => v.Number).ToList() ?? [];
        if (newer.Count > 0 || (article is not null && draft.BaseNumber == 0) || (article is not null && article.Kind != draft.Kind))
            return await ConflictAsync(draft, article!, cancellationToken);

        var check = await CheckAsync(draft, email, cancellationToken);
        if (!check.Ok) return new SubmitResult(SubmitOutcome.Problems, check);

        var now = clock.GetUtcNow().UtcDateTime;
        if (article is null)
        {
            article = new Article { Slug = draft.Slug, Kind = draft.Kind };
            db.Articles.Add(article);
        }
        (article.Category, article.Order) = (check.Version!.FrontMatter.Category, check.Version.FrontMatter.Order);
        var version = ContentSync.NewVersion(check.Version, check.Text.Markdown, VersionOrigin.Browser, author, now, "Submitted in the web editor.");
        article.Versions.Add(version);
        if (draft.Id != 0) db.Drafts.Remove(draft);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone else's version took the number first (the unique index on article and number).
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var stored = await db.Drafts.FirstOrDefaultAsync(d => d.AuthorId == draft.AuthorId && d.Slug == draft.Slug, cancellationToken);
            var kept = stored ?? draft;
            if (stored is null) { kept.Id = 0; db.Drafts.Add(kept); await db.SaveChangesAsync(cancellationToken); }
            return await ConflictAsync(kept, await db.Articles.Include(a => a.Versions).SingleAsync(a => a.Slug == draft.Slug, cancellationToken), cancellationToken);
        }
        await searchIndex.ReindexArticlesAsync([article.Id], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.NotifyAsync(cancellationToken);
        await notifications.VersionsSubmittedAsync([version.Id], cancellationToken);
        return new SubmitResult(SubmitOutcome.Submitted, check, version.Number);
    }

    /// <summary>
    /// Tells the editor what others submitted since the draft was started, with what changed from the version the
    /// draft started from to their newest; the draft now follows their newest, so submitting again is a deliberate
    /// choice made after seeing it.
    /// </summary>
    private async Task<SubmitResult> ConflictAsync(Draft draft, Article article, CancellationToken cancellationToken)
    {
        var newer = article.Versions.Where(v => v.Number > draft.BaseNumber).OrderBy(v => v.Number).ToList();
        var from = article.Versions.SingleOrDefault(v => v.Number == draft.BaseNumber);
        var to = newer.LastOrDefault();
        var diff = from is not null && to is not null ? await VersionDiff.CompareAsync(db, from, to, Audience.All, cancellationToken) : null;
        if (to is not null && article.Kind == draft.Kind && draft.Id != 0)
        {
            var tracked = await db.Drafts.SingleAsync(d => d.Id == draft.Id, cancellationToken);
            tracked.BaseNumber = to.Number;
            await db.SaveChangesAsync(cancellationToken);
            draft.BaseNumber = to.Number;
        }
        return new SubmitResult(SubmitOutcome.Conflict, Newer: newer, Diff: diff);
    }

    private static string Plain(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>A YAML double-quoted scalar: JSON's string escapes are YAML's too.</summary>
    internal static string Quoted(string value) => JsonSerializer.Serialize(value.Trim(), QuotedOptions);

    private static readonly JsonSerializerOptions QuotedOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
