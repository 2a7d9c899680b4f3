using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IbmInfo.Web.Data;

/// <summary>
/// The review trail's hash chain. Entries are chained in id order: each stores the hash of the entry before it and
/// its own hash, SHA-256 (lower-case hex) over the UTF-8 bytes of these fields, each written as
/// <c>&lt;byte length&gt;:&lt;value&gt;,</c> (a netstring, so no value can run into the next), in this order:
/// <c>ibminfo-trail-1</c>, the previous hash, the version's content hash, the article's slug, the version number
/// (decimal), the account id (empty when unknown), the e-mail, the time (UTC, round-trip format
/// <c>2026-12-01T09:30:00.0000000Z</c>; new entries' times are whole microseconds), the step's from status (its name, empty for the first step), its to status,
/// and the note. The first entry's previous hash is <see cref="Genesis"/>.
/// </summary>
public static class ReviewTrail
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string Format = "ibminfo-trail-1";

    /// <summary>The name of the SQLite function the migration's backfill calls to compute <see cref="HashOf"/>.</summary>
    public const string SqlFunction = "ibminfo_trail_hash";

    public static string HashOf(string previousHash, string contentHash, string slug, long number, string? byId, string by,
        DateTime at, string? from, string to, string note)
    {
        var text = new StringBuilder();
        foreach (var field in new[] { Format, previousHash, contentHash, slug, number.ToString(CultureInfo.InvariantCulture), byId ?? "", by, Timestamp(at), from ?? "", to, note })
            text.Append(Encoding.UTF8.GetByteCount(field).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(',');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The hash an entry should have, from its stored fields and the slug and number of its version.</summary>
    public static string HashOf(ReviewTransition entry, string slug, int number) =>
        HashOf(entry.PreviousHash, entry.ContentHash, slug, number, entry.ById, entry.By, entry.At, entry.From?.ToString(), entry.To.ToString(), entry.Note);

    /// <summary>
    /// UTC in round-trip format. SQLite gives a stored time back without its kind, so a time that is not local is
    /// taken as UTC (the app writes only UTC).
    /// </summary>
    public static string Timestamp(DateTime at) =>
        (at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The first characters of a hash, as shown on pages.</summary>
    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>
    /// Gives every added entry, in the order they were added, the next id after the newest stored entry, its
    /// version's content hash, the previous entry's hash and its own. Called by <see cref="IbmInfoDb"/> inside the
    /// transaction of the save, so the newest entry read here is still the newest when these are written.
    /// </summary>
    internal static async Task ChainAsync(IbmInfoDb db, IReadOnlyList<EntityEntry<ReviewTransition>> added, CancellationToken cancellationToken)
    {
        var head = await db.Transitions.AsNoTracking().OrderByDescending(t => t.Id)
            .Select(t => new { t.Id, t.Hash }).FirstOrDefaultAsync(cancellationToken);
        var (nextId, previous) = head is null ? (1, Genesis) : (head.Id + 1, head.Hash);
        foreach (var entry in added)
        {
            var transition = entry.Entity;
            var version = transition.Version ?? await db.Versions.FindAsync([transition.VersionId], cancellationToken)
                ?? throw new InvalidOperationException($"A review trail entry names version {transition.VersionId}, which does not exist.");
            var article = version.Article ?? await db.Articles.FindAsync([version.ArticleId], cancellationToken)
                ?? throw new InvalidOperationException($"Version {version.Id} names article {version.ArticleId}, which does not exist.");
            // An explicit id, so that id order is chain order whatever order EF inserts the rows in.
            entry.Property(t => t.Id).CurrentValue = nextId++;
            entry.Property(t => t.Id).IsTemporary = false;
            transition.ContentHash = version.ContentHash;
            transition.PreviousHash = previous;
            transition.Hash = previous = HashOf(transition, article.Slug, version.Number);
        }
    }

    /// <summary>The entries a save is about to add (the caller has had EF detect every change first).</summary>
    internal static List<EntityEntry<ReviewTransition>> Added(IbmInfoDb db) =>
        db.ChangeTracker.Entries<ReviewTransition>().Where(e => e.State == EntityState.Added).ToList();

    /// <summary>
    /// Makes <see cref="SqlFunction"/> available on every connection the context opens, for the migration that
    /// backfilled the chain over entries stored before it.
    /// </summary>
    internal sealed class SqlFunctionInterceptor : DbConnectionInterceptor
    {
        public static readonly SqlFunctionInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Register(connection);
            return Task.CompletedTask;
        }

        private static void Register(DbConnection connection)
        {
            if (connection is not SqliteConnection sqlite) return;
            sqlite.CreateFunction(SqlFunction,
                (string previous, string contentHash, string slug, long number, string? byId, string by, string at, string? from, string to, string note) =>
                    HashOf(previous, contentHash, slug, number, byId, by, ParseStored(at), from, to, note),
                isDeterministic: true);
        }

        /// <summary>A time as EF Core's SQLite provider stores it (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>), which is UTC here.</summary>
        private static DateTime ParseStored(string at) =>
            DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
