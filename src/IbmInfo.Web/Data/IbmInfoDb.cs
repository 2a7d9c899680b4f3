using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Data;

/// <summary>
/// The editorial database: articles, versions, review trail, references, readers' messages and accounts. One model;
/// each database provider has a context of its own deriving from this one (<see cref="SqliteIbmInfoDb"/>,
/// <see cref="PostgreSqlIbmInfoDb"/>), so that each keeps its own migrations. Services ask for this type.
/// </summary>
public abstract class IbmInfoDb(DbContextOptions options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
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
    public DbSet<SentReminder> SentReminders => Set<SentReminder>();
    public DbSet<SiteGeneration> SiteGeneration => Set<SiteGeneration>();
    /// <summary>The keys that sign cookies and form tokens, shared by every node on PostgreSQL (SQLite keeps them in a folder).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Whether this transaction may import content: true unless another node's import holds the lock (PostgreSQL).
    /// One process imports one at a time anyway, and SQLite's transaction already excludes every other writer.
    /// </summary>
    public virtual Task<bool> TryLockImportAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>
    /// Makes a second writer of trail entries wait until this transaction ends, so the newest entry read to chain from
    /// is still the newest when the new ones are written. Nothing to do where beginning a transaction already takes
    /// the database's write lock (SQLite).
    /// </summary>
    protected virtual Task LockTrailAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every save that adds review-trail entries chains them, inside a transaction (the caller's, or one of its own).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once, here, not again by every call below: the chain only sets values on entries being
        // added, which EF reads from the entities as they are.
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect) ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            TimesToMicroseconds();
            var added = ReviewTrail.Added(this);
            if (added.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (Database.CurrentTransaction is not null)
            {
                await LockTrailAsync(cancellationToken);
                await ReviewTrail.ChainAsync(this, added, cancellationToken);
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            // SQLite's BeginTransaction is IMMEDIATE: a second writer waits here until this one has committed its entries.
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            await LockTrailAsync(cancellationToken);
            await ReviewTrail.ChainAsync(this, added, cancellationToken);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Every time is stored to the microsecond, on every provider, as PostgreSQL keeps it: a time read back equals the
    /// one written, so the trail's hash over it still matches and two columns written from one clock reading agree.
    /// </summary>
    private void TimesToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTime at && at.Ticks % 10 != 0)
                    property.CurrentValue = new DateTime(at.Ticks - at.Ticks % 10, at.Kind);
                else if (property.CurrentValue is DateTimeOffset offset && offset.Ticks % 10 != 0)
                    property.CurrentValue = new DateTimeOffset(offset.Ticks - offset.Ticks % 10, offset.Offset);
            }
        }
    }

    // ASP.NET Core has no synchronization context, and the SQLite provider completes its "async" work synchronously:
    // waiting here cannot deadlock.
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

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
