using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IbmInfo.Web.Data;

/// <summary>Which re-review reminder an e-mail was about.</summary>
public enum ReminderKind
{
    /// <summary>The review falls due within 30 days.</summary>
    DueSoon,
    /// <summary>The review date has passed.</summary>
    Overdue,
}

/// <summary>
/// A re-review reminder e-mailed to the reviewers: each article's reminder is sent once per due date and kind, not
/// on every daily check or restart. A new approval sets a new due date, and with it new reminders.
/// </summary>
public sealed class SentReminder
{
    public int Id { get; set; }
    public int ArticleId { get; set; }
    public Article Article { get; set; } = null!;
    public DateOnly DueDate { get; set; }
    public ReminderKind Kind { get; set; }
    public DateTime SentAt { get; set; }
}

internal sealed class SentReminderConfiguration : IEntityTypeConfiguration<SentReminder>
{
    public void Configure(EntityTypeBuilder<SentReminder> reminder)
    {
        reminder.HasIndex(r => new { r.ArticleId, r.DueDate, r.Kind }).IsUnique();
        reminder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        reminder.HasOne(r => r.Article).WithMany().HasForeignKey(r => r.ArticleId);
    }
}
