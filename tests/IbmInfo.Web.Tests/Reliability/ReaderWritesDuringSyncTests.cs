using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using IbmInfo.Web.Data;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// Readers' questions and feedback posted over HTTP while content syncs write to the same database: every one is
/// stored. The sync holds SQLite's write lock for its whole transaction, and a reader's write waits for it. Each round
/// makes sure of the overlap instead of hoping for it: the posts are sent once a sync has begun its transaction, and
/// that sync is held inside it until every post's INSERT has reached the database, so each post meets the sync's lock.
/// </summary>
public sealed class ReaderWritesDuringSyncTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 5;
    private const int PostsPerRound = 4; // two questions, two feedback answers
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    private readonly ContentTree _content = new();
    private readonly SyncProbe _probe = new();
    private ProbedApp? _app;

    private ProbedApp App => _app ??= new ProbedApp(_content.Root, _probe);

    [Fact]
    public async Task Every_question_and_feedback_answer_posted_while_content_syncs_write_is_stored()
    {
        _content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        App.Settings["RateLimits:FormPostsPerMinute"] = "100000";
        var client = App.NoRedirects();
        var (_, article) = await client.GetPageAsync("/articles/falls");
        var questions = new ConcurrentBag<string>();
        var answers = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        var waits = new ConcurrentBag<TimeSpan>();

        for (var round = 1; round <= Rounds; round++)
        {
            // Each round changes the content, so every sync writes: a new article with a few versions (its headings
            // distinct, or the check refuses them), and an edit in place of a stored version, which it refuses.
            for (var n = 1; n <= 3; n++)
                _content.WriteArticle($"added-{round}", n, string.Concat(Enumerable.Range(1, 20).Select(k => $"## Part {n}.{k}\n\nText of round {round} [@praxis-2025].\n\n")));
            _content.WriteArticle("falls", 1, $"## Falls\n\nWeak thighs make falls likely, round {round} [@cochrane-2015].", title: "Preventing falls");

            var began = _probe.NextRound(PostsPerRound);
            var sync = Task.Run(async () =>
            {
                SyncProbe.IsSync.Value = true;
                await App.SyncAsync();
            });
            await began.WaitAsync(Bounded);
            var r = round;
            var posts = Enumerable.Range(0, PostsPerRound).Select(i => Task.Run(async () =>
            {
                var sent = Stopwatch.StartNew();
                HttpResponseMessage response;
                if (i % 2 == 0)
                {
                    var text = $"Question {r}.{i}: does a stick help?";
                    response = await client.SubmitAsync(article, ".follow-up form", ("name", $"Reader {i}"), ("question", text));
                    if (response.StatusCode == HttpStatusCode.Redirect) questions.Add(text);
                }
                else
                {
                    var useful = i % 4 == 1 ? "yes" : "no";
                    response = await client.SubmitAsync(article, ".page-feedback form", ("useful", useful));
                    if (response.StatusCode == HttpStatusCode.Redirect) answers.Add(useful);
                }
                waits.Add(sent.Elapsed);
                if (response.StatusCode != HttpStatusCode.Redirect) failures.Add($"{(int)response.StatusCode} for post {r}.{i}");
                response.Dispose();
            })).ToList();
            await sync.WaitAsync(Bounded);
            await Task.WhenAll(posts).WaitAsync(Bounded);
        }

        Assert.Empty(failures);
        // Every post met a sync's write lock: it reached the database while that sync's transaction was open.
        Assert.Equal(Rounds * PostsPerRound, _probe.PostsThatMetTheLock);
        Assert.Equal(Rounds, _probe.SyncsCommitted);
        await App.WithDbAsync(async db =>
        {
            var stored = await db.Questions.Select(q => q.Question).ToListAsync();
            Assert.Equal(questions.Order(), stored.Order());
            var feedback = await db.Feedback.Select(f => f.Useful ? "yes" : "no").ToListAsync();
            Assert.Equal(answers.Order(), feedback.Order());
            Assert.Equal(1 + 3 * Rounds, await db.Versions.CountAsync()); // every round's sync stored its article's versions
        });
        Assert.Equal(Rounds * PostsPerRound, questions.Count + answers.Count);
        output.WriteLine($"{Rounds * PostsPerRound} posts over {Rounds} syncs, each post waiting on a sync's lock; all stored; " +
            $"a post took {waits.Average(w => w.TotalMilliseconds):N0} ms on average, {waits.Max().TotalMilliseconds:N0} ms at most");
    }

    public void Dispose()
    {
        _app?.Dispose();
        _content.Dispose();
    }

    /// <summary>The app with <see cref="SyncProbe"/> on its database connections.</summary>
    private sealed class ProbedApp(string contentRoot, SyncProbe probe) : IbmInfoFactory(contentRoot)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.ConfigureDbContext<SqliteIbmInfoDb>(options => options.AddInterceptors(probe)));
        }
    }

    /// <summary>
    /// Sees a sync begin its transaction (the write lock taken) and holds it there until the round's posts have sent
    /// their INSERTs to the database; counts the posts that did so while a sync's transaction was open.
    /// </summary>
    private sealed class SyncProbe : DbTransactionInterceptor, IDbCommandInterceptor
    {
        /// <summary>Set by the test on the flow that runs the sync, so that the sync's transaction is told from a post's.</summary>
        public static readonly AsyncLocal<bool> IsSync = new();

        private TaskCompletionSource _began = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private SemaphoreSlim _postsAtDatabase = new(0);
        private int _expected;
        private volatile bool _syncOpen;
        private int _metTheLock;
        private int _committed;

        public int PostsThatMetTheLock => _metTheLock;
        public int SyncsCommitted => _committed;

        /// <summary>The next sync will wait, inside its transaction, for <paramref name="posts"/> INSERTs; returns when it has begun.</summary>
        public Task NextRound(int posts)
        {
            _began = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _postsAtDatabase = new(0);
            _expected = posts;
            return _began.Task;
        }

        public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            if (!IsSync.Value) return result;
            _syncOpen = true;
            _began.TrySetResult();
            for (var i = 0; i < _expected; i++)
                if (!await _postsAtDatabase.WaitAsync(Bounded, cancellationToken))
                    throw new TimeoutException($"only {i} of {_expected} posts reached the database while the sync held its lock");
            return result;
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (IsSync.Value)
            {
                _syncOpen = false;
                Interlocked.Increment(ref _committed);
            }
            return Task.CompletedTask;
        }

        ValueTask<InterceptionResult<DbDataReader>> IDbCommandInterceptor.ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken)
        {
            if (!IsSync.Value && command.CommandText.Contains("INSERT INTO \"Questions\"", StringComparison.Ordinal)
                || !IsSync.Value && command.CommandText.Contains("INSERT INTO \"Feedback\"", StringComparison.Ordinal))
            {
                if (_syncOpen) Interlocked.Increment(ref _metTheLock);
                _postsAtDatabase.Release();
            }
            return ValueTask.FromResult(result);
        }
    }
}
