using System.Globalization;
using IbmInfo.Web.Data;
using IbmInfo.Web.Pages.Articles;
using IbmInfo.Web.Publishing;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>Where a reader's question stands: still to do, done, or done by a version that addressed it.</summary>
public enum InboxState
{
    New,
    Handled,
    Answered,
}

/// <summary>
/// What the team does with a reader's question: notes, handled and reopened, answered in a version. Every change is
/// also added to the question's thread (<see cref="QuestionActivity"/>) with who and when, so undoing "handled"
/// never loses who handled it first.
/// </summary>
public static class InboxMessages
{
    public static InboxState StateOf(ReaderQuestion question) =>
        !question.Handled ? InboxState.New : question.AnsweredInVersion is null ? InboxState.Handled : InboxState.Answered;

    public static IQueryable<ReaderQuestion> InState(this IQueryable<ReaderQuestion> questions, InboxState? state) => state switch
    {
        InboxState.New => questions.Where(q => !q.Handled),
        InboxState.Handled => questions.Where(q => q.Handled && q.AnsweredInVersion == null),
        InboxState.Answered => questions.Where(q => q.Handled && q.AnsweredInVersion != null),
        _ => questions,
    };

    public static string Label(InboxState state) => state switch
    {
        InboxState.New => "New",
        InboxState.Handled => "Handled",
        _ => "Answered",
    };

    /// <summary>The state a filter's query value names ("new", "handled", "answered"); anything else is every state.</summary>
    public static InboxState? ParseState(string? value) =>
        Enum.TryParse<InboxState>(value, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(value, out _) ? state : null;

    /// <summary>Marks the question handled; false when it already was.</summary>
    public static bool MarkHandled(ReaderQuestion question, ReviewActor actor, DateTime now)
    {
        if (question.Handled) return false;
        (question.Handled, question.HandledBy, question.HandledAt) = (true, actor.Email, now);
        Add(question, QuestionActivityKind.Handled, actor, now);
        return true;
    }

    /// <summary>Puts a handled question back among the new ones (an undo); false when it was not handled.</summary>
    public static bool Reopen(ReaderQuestion question, ReviewActor actor, DateTime now)
    {
        if (!question.Handled) return false;
        (question.Handled, question.HandledBy, question.HandledAt) = (false, null, null);
        Add(question, QuestionActivityKind.Reopened, actor, now);
        return true;
    }

    /// <summary>
    /// Links the version that addressed the question (null removes the link). A question answered is done, so it is
    /// marked handled too.
    /// </summary>
    public static void Answer(ReaderQuestion question, int? version, ReviewActor actor, DateTime now)
    {
        question.AnsweredInVersion = version;
        Add(question, QuestionActivityKind.Answered, actor, now, version: version);
        if (version is not null) MarkHandled(question, actor, now);
    }

    /// <summary>An internal note, checked as readers' text is: bounded, no control characters; null when refused.</summary>
    public static string? AddNote(ReaderQuestion question, string? text, ReviewActor actor, DateTime now, out string? error, out string? kept)
    {
        var (clean, hadInvisible) = QuestionForm.WithoutInvisible(text);
        kept = clean?.ReplaceLineEndings("\n").Trim();
        error = string.IsNullOrEmpty(kept) ? "Enter a note."
            : kept.Length > QuestionActivity.MaxNote ? $"A note must be {QuestionActivity.MaxNote:N0} characters or fewer (it has {kept.Length:N0})."
            : hadInvisible ? "The note had invisible control characters in it, which cannot be stored. They have been taken out: check it and add it again."
            : null;
        if (error is not null) return null;
        Add(question, QuestionActivityKind.Note, actor, now, text: kept);
        return kept;
    }

    private static void Add(ReaderQuestion question, QuestionActivityKind kind, ReviewActor actor, DateTime now, string? text = null, int? version = null) =>
        question.Activity.Add(new QuestionActivity { Kind = kind, By = actor.Email, ByName = actor.Name, At = now, Text = text, Version = version });

    /// <summary>What one thread entry says, in a sentence.</summary>
    public static string Describe(QuestionActivity entry) => entry.Kind switch
    {
        QuestionActivityKind.Handled => "Marked handled",
        QuestionActivityKind.Reopened => "Marked unhandled again",
        QuestionActivityKind.Answered when entry.Version is int v => $"Linked as answered in version {v}",
        QuestionActivityKind.Answered => "Removed the link to the version that answered it",
        _ => "Note",
    };

    /// <summary>The questions as a CSV file (see <see cref="Editor.Csv"/>: a reader's text can never become a formula).</summary>
    public static byte[] ToCsv(IEnumerable<ReaderQuestion> questions)
    {
        var csv = new Csv().Row("Id", "Asked (UTC)", "Article", "Version", "Name", "Question", "State", "Handled by", "Handled (UTC)", "Answered in version", "Notes");
        foreach (var q in questions)
        {
            csv.Row(q.Id.ToString(CultureInfo.InvariantCulture), Time(q.AskedAt), q.Article.Slug, q.VersionNumber.ToString(CultureInfo.InvariantCulture),
                q.Name ?? "", q.Question, Label(StateOf(q)), q.HandledBy ?? "", q.HandledAt is { } at ? Time(at) : "",
                q.AnsweredInVersion?.ToString(CultureInfo.InvariantCulture) ?? "",
                q.Activity.Count(a => a.Kind == QuestionActivityKind.Note).ToString(CultureInfo.InvariantCulture));
        }
        return csv.ToBytes();
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
