using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IbmInfo.Bench;

/// <summary>
/// <c>approve-all</c>: moves every version still in review (Submitted or Under review) to Approved through the app's
/// own <see cref="ReviewWorkflow"/>, so the rules, reviewer fields and audit trail are exactly what a reviewer's click
/// leaves. Two synthetic reviewers take turns where four-eyes demands it: nobody approves a version they submitted.
/// Run it while the app is stopped, on a database the app has already created and synced (SQLite, or PostgreSQL with
/// <c>--provider PostgreSql</c>).
/// </summary>
internal static class ApproveAll
{
    private static readonly ReviewActor First = new("reviewer-a@bench.example", "Dr A Bench-Reviewer", IsEditor: false, IsReviewer: true);
    private static readonly ReviewActor Second = new("reviewer-b@bench.example", "Dr B Bench-Reviewer", IsEditor: false, IsReviewer: true);

    public static async Task<int> RunAsync(Options options)
    {
        var connection = options.Get("connection")
            ?? (options.Get("db") is string file ? $"Data Source={Path.GetFullPath(file)}" : throw new ArgumentException("give --db FILE or --connection STRING"));

        // The app's own service set-up, so the workflow gets exactly the database and collaborators it gets in the
        // site. The content root is an empty folder so no appsettings.json is read: no log sinks, no stray files.
        var emptyRoot = Directory.CreateTempSubdirectory("ibminfo-bench-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = emptyRoot });
            builder.Configuration["ConnectionStrings:IbmInfo"] = connection;
            // Sqlite unless --provider says PostgreSql (the two-node run, bench/nodes.sh).
            builder.Configuration["Database:Provider"] = options.Get("provider");
            builder.AddIbmInfo();
            await using var app = builder.Build();
            return await ApproveAsync(app.Services);
        }
        finally
        {
            Directory.Delete(emptyRoot, recursive: true);
        }
    }

    private static async Task<int> ApproveAsync(IServiceProvider services)
    {
        List<(int Id, string SubmittedBy)> pending;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
            if ((await db.Database.GetPendingMigrationsAsync()).Any() || !await db.Versions.AnyAsync())
            {
                Console.Error.WriteLine("The database has no synced content: start the app once on it first.");
                return 1;
            }
            pending = (await db.Versions.AsNoTracking()
                .Where(v => v.Status == ReviewStatus.Submitted || v.Status == ReviewStatus.UnderReview)
                .OrderBy(v => v.Id).Select(v => new { v.Id, v.SubmittedBy }).ToListAsync())
                .ConvertAll(v => (v.Id, v.SubmittedBy));
        }

        var byFirst = 0;
        foreach (var (id, submittedBy) in pending)
        {
            var reviewer = string.Equals(submittedBy.Trim(), First.Email, StringComparison.OrdinalIgnoreCase) ? Second : First;
            if (reviewer == First) byFirst++;
            // One scope per version, as one request per click would have.
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IbmInfoDb>();
            var workflow = scope.ServiceProvider.GetRequiredService<ReviewWorkflow>();
            foreach (var to in new[] { ReviewStatus.UnderReview, ReviewStatus.Approved })
            {
                var (status, stamp) = await db.Versions.AsNoTracking().Where(v => v.Id == id)
                    .Select(v => new ValueTuple<ReviewStatus, Guid>(v.Status, v.ConcurrencyStamp)).SingleAsync();
                if (status == to) continue; // already under review
                var result = await workflow.ApplyAsync(id, stamp, to, note: "Bulk review for a benchmark run.", reviewer);
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"version {id}: {result.Message}");
                    return 1;
                }
            }
        }
        Console.WriteLine($"Approved {pending.Count} version(s) through the review workflow ({byFirst} by {First.Email}, {pending.Count - byFirst} by {Second.Email}).");
        return 0;
    }
}
