using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using IbmInfo.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace IbmInfo.Web.Tests.Reliability;

/// <summary>
/// Readers' questions and feedback posted over HTTP while content syncs write to the same database: every one is
/// stored. (The sync holds the write lock for its whole transaction; a reader's write waits for it.)
/// </summary>
public sealed class ReaderWritesDuringSyncTests : AppTest
{
    private const int Posters = 4;
    private const int PostsEach = 40;
    private readonly ITestOutputHelper _output;

    public ReaderWritesDuringSyncTests(ITestOutputHelper output)
    {
        _output = output;
        Content.WriteArticle("falls", 1, "## Falls\n\nWeak thighs make falls likely [@cochrane-2015].", title: "Preventing falls");
        App.Settings["RateLimits:FormPostsPerMinute"] = "100000";
    }

    [Fact]
    public async Task Every_question_and_feedback_answer_posted_while_content_syncs_run_is_stored()
    {
        var client = App.NoRedirects();
        var (_, article) = await client.GetPageAsync("/articles/falls");
        var questions = new ConcurrentBag<string>();
        var answers = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        using var postersDone = new CancellationTokenSource();

        var syncs = 0;
        var syncing = Task.Run(async () =>
        {
            // Each round changes the content, so every sync writes: a new article with a few versions, and an edit
            // of a submitted version.
            while (!postersDone.IsCancellationRequested)
            {
                syncs++;
                for (var n = 1; n <= 3; n++)
                    Content.WriteArticle($"added-{syncs}", n, string.Concat(Enumerable.Repeat($"## Part {n}\n\nText of round {syncs} [@praxis-2025].\n\n", 20)));
                Content.WriteArticle("falls", 1, $"## Falls\n\nWeak thighs make falls likely, round {syncs} [@cochrane-2015].", title: "Preventing falls");
                await App.SyncAsync();
            }
        });

        var timer = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Posters).Select(poster => Task.Run(async () =>
        {
            for (var i = 0; i < PostsEach; i++)
            {
                HttpResponseMessage response;
                if (i % 2 == 0)
                {
                    var text = $"Question {poster}.{i}: does a stick help?";
                    response = await client.SubmitAsync(article, ".follow-up form", ("name", $"Reader {poster}"), ("question", text));
                    if (response.StatusCode == HttpStatusCode.Redirect) questions.Add(text);
                }
                else
                {
                    var useful = i % 4 == 1 ? "yes" : "no";
                    response = await client.SubmitAsync(article, ".page-feedback form", ("useful", useful));
                    if (response.StatusCode == HttpStatusCode.Redirect) answers.Add(useful);
                }
                if (response.StatusCode != HttpStatusCode.Redirect) failures.Add($"{(int)response.StatusCode} for post {poster}.{i}");
                response.Dispose();
            }
        })));
        var posting = timer.Elapsed;
        await postersDone.CancelAsync();
        await syncing;

        Assert.Empty(failures);
        Assert.True(syncs >= 2, $"only {syncs} sync(s) ran while the posts were made");
        await App.WithDbAsync(async db =>
        {
            var stored = await db.Questions.Select(q => q.Question).ToListAsync();
            Assert.Equal(questions.Order(), stored.Order());
            var feedback = await db.Feedback.Select(f => f.Useful ? "yes" : "no").ToListAsync();
            Assert.Equal(answers.Order(), feedback.Order());
        });
        Assert.Equal(Posters * PostsEach, questions.Count + answers.Count);
        _output.WriteLine($"{Posters * PostsEach} posts in {posting.TotalMilliseconds:N0} ms while {syncs} content syncs ran; all stored");
    }
}
