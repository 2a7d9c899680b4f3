using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Data;

/// <summary>The editorial database: articles, versions, review trail, references, readers' messages and accounts.</summary>
public class IbmInfoDb(DbContextOptions<IbmInfoDb> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleVersion> Versions => Set<ArticleVersion>();
    public DbSet<VersionRendering> Renderings => Set<VersionRendering>();
    public DbSet<ReviewTransition> Transitions => Set<ReviewTransition>();
    public DbSet<ReferenceRecord> References => Set<ReferenceRecord>();
    public DbSet<VersionCitation> Citations => Set<VersionCitation>();
    public DbSet<ReaderQuestion> Questions => Set<ReaderQuestion>();
    public DbSet<PageFeedback> Feedback => Set<PageFeedback>();
    public DbSet<QuestionActivity> QuestionActivity => Set<QuestionActivity>();
    public DbSet<ReferenceChange> ReferenceChanges => Set<ReferenceChange>();
    public DbSet<Draft> Drafts => Set<Draft>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IbmInfoDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: the audit trail must stay readable without the code.
        configurationBuilder.Properties<Content.Audience>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Content.ContentKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Content.ReferenceKind>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<ReviewStatus>().HaveConversion<string>().HaveMaxLength(32);
    }
}
