using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Tests.Hosting;

/// <summary>
/// Each provider's migrations end where the model is: a change to the entities or their configuration without a
/// migration fails here. The site's start does not repeat this check when it finds no migration to apply.
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public void The_SQLite_migrations_hold_every_change_to_the_model()
    {
        using var db = new SqliteIbmInfoDb(new DbContextOptionsBuilder<SqliteIbmInfoDb>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no SQLite migration holds: add one with dotnet ef migrations add (docs/development.md)");
    }

    [Fact]
    public void The_PostgreSQL_migrations_hold_every_change_to_the_model()
    {
        using var db = new PostgreSqlIbmInfoDb(new DbContextOptionsBuilder<PostgreSqlIbmInfoDb>().UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no PostgreSQL migration holds: add one with dotnet ef migrations add (docs/development.md)");
    }
}
