using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IbmInfo.Web.Data;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> article)
    {
        article.HasIndex(a => a.Slug).IsUnique();
        article.Property(a => a.Slug).HasMaxLength(100);
        article.Property(a => a.Category).HasMaxLength(40);
    }
}

internal sealed class ArticleVersionConfiguration : IEntityTypeConfiguration<ArticleVersion>
{
    public void Configure(EntityTypeBuilder<ArticleVersion> version)
    {
        version.HasIndex(v => new { v.ArticleId, v.Number }).IsUnique();
        version.HasIndex(v => v.Status);
        version.Property(v => v.ContentHash).HasMaxLength(64);
        version.Property(v => v.SubmittedById).HasMaxLength(450);
        version.Property(v => v.Origin).HasConversion<string>().HasMaxLength(16);
        version.Property(v => v.ConcurrencyStamp).IsConcurrencyToken();
        version.HasOne(v => v.Article).WithMany(a => a.Versions).HasForeignKey(v => v.ArticleId);
        version.HasMany(v => v.Renderings).WithOne().HasForeignKey(r => r.VersionId);
        version.HasMany(v => v.Transitions).WithOne(t => t.Version).HasForeignKey(t => t.VersionId)
            .OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VersionRenderingConfiguration : IEntityTypeConfiguration<VersionRendering>
{
    public void Configure(EntityTypeBuilder<VersionRendering> rendering) =>
        rendering.HasIndex(r => new { r.VersionId, r.Audience }).IsUnique();
}

internal sealed class ReviewTransitionConfiguration : IEntityTypeConfiguration<ReviewTransition>
{
    public void Configure(EntityTypeBuilder<ReviewTransition> transition)
    {
        transition.HasIndex(t => t.At);
        transition.Property(t => t.By).HasMaxLength(256);
        transition.Property(t => t.Note).HasMaxLength(2000);
        transition.Property(t => t.ById).HasMaxLength(450);
        transition.Property(t => t.ContentHash).HasMaxLength(64);
        transition.Property(t => t.PreviousHash).HasMaxLength(64);
        transition.Property(t => t.Hash).HasMaxLength(64);
        // One entry per previous hash: two writers cannot both chain onto the same entry (a fork cannot be stored).
        transition.HasIndex(t => t.PreviousHash).IsUnique();
        transition.HasIndex(t => t.Hash).IsUnique();
    }
}

internal sealed class ReferenceConfiguration : IEntityTypeConfiguration<ReferenceRecord>
{
    public void Configure(EntityTypeBuilder<ReferenceRecord> reference)
    {
        reference.ToTable("References");
        reference.HasKey(r => r.Key);
        reference.Property(r => r.Key).HasMaxLength(100);
    }
}

internal sealed class VersionCitationConfiguration : IEntityTypeConfiguration<VersionCitation>
{
    public void Configure(EntityTypeBuilder<VersionCitation> citation)
    {
        citation.HasKey(c => new { c.VersionId, c.ReferenceKey });
        citation.HasOne(c => c.Version).WithMany(v => v.Citations).HasForeignKey(c => c.VersionId);
        citation.HasOne(c => c.Reference).WithMany(r => r.CitedBy).HasForeignKey(c => c.ReferenceKey);
    }
}

internal sealed class ReaderQuestionConfiguration : IEntityTypeConfiguration<ReaderQuestion>
{
    public void Configure(EntityTypeBuilder<ReaderQuestion> question)
    {
        question.Property(q => q.Name).HasMaxLength(100);
        question.Property(q => q.Question).HasMaxLength(2000);
        question.HasIndex(q => new { q.Handled, q.AskedAt });
    }
}

internal sealed class PageFeedbackConfiguration : IEntityTypeConfiguration<PageFeedback>
{
    public void Configure(EntityTypeBuilder<PageFeedback> feedback)
    {
        feedback.HasIndex(f => new { f.ArticleId, f.At });
        feedback.Property(f => f.Missing).HasMaxLength(PageFeedback.MaxMissing);
    }
}

internal sealed class QuestionActivityConfiguration : IEntityTypeConfiguration<QuestionActivity>
{
    public void Configure(EntityTypeBuilder<QuestionActivity> activity)
    {
        activity.HasOne(a => a.Question).WithMany(q => q.Activity).HasForeignKey(a => a.QuestionId);
        activity.HasIndex(a => new { a.QuestionId, a.At });
        activity.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        activity.Property(a => a.By).HasMaxLength(256);
        activity.Property(a => a.ByName).HasMaxLength(256);
        activity.Property(a => a.Text).HasMaxLength(QuestionActivity.MaxNote);
    }
}

internal sealed class ReferenceChangeConfiguration : IEntityTypeConfiguration<ReferenceChange>
{
    public void Configure(EntityTypeBuilder<ReferenceChange> change)
    {
        change.HasIndex(c => new { c.ReferenceKey, c.At });
        change.Property(c => c.ReferenceKey).HasMaxLength(100);
        change.Property(c => c.By).HasMaxLength(256);
    }
}

internal sealed class DraftConfiguration : IEntityTypeConfiguration<Draft>
{
    public void Configure(EntityTypeBuilder<Draft> draft)
    {
        draft.HasIndex(d => new { d.AuthorId, d.Slug }).IsUnique();
        draft.Property(d => d.AuthorId).HasMaxLength(450);
        draft.Property(d => d.Slug).HasMaxLength(100);
        draft.Property(d => d.Category).HasMaxLength(40);
    }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> run)
    {
        run.Property(r => r.By).HasMaxLength(256);
        run.Ignore(r => r.AddedList);
        run.Ignore(r => r.ProblemList);
        run.Property(r => r.Skipped).HasMaxLength(256);
    }
}

internal sealed class SiteGenerationConfiguration : IEntityTypeConfiguration<SiteGeneration>
{
    public void Configure(EntityTypeBuilder<SiteGeneration> generation)
    {
        generation.ToTable("SiteGeneration");
        generation.Property(g => g.Id).ValueGeneratedNever();
        generation.HasData(new SiteGeneration { Id = SiteGeneration.OnlyRow, Value = 0 });
    }
}
