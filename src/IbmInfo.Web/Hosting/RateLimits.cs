using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Hosting;

/// <summary>How many posts one client address may make a minute (<c>RateLimits:*</c> in configuration).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Follow-up questions and "was this page useful?" answers, together.</summary>
    public int FormPostsPerMinute { get; set; } = 10;

    /// <summary>Sign-in attempts (on top of Identity's lockout of one account after five wrong passwords).</summary>
    public int SignInPostsPerMinute { get; set; } = 10;
}

/// <summary>
/// Rate limits on the forms anyone can post: the readers' question and feedback forms, and sign-in. Counted per client
/// IP address in a one-minute window; only POSTs count, so reading those pages is never limited. A refused post gets
/// 429 with <c>Retry-After</c> and the friendly error page. Public forms also accept only a small body. Each node
/// counts alone (with N nodes a client gets up to N times the limit) unless Redis is configured
/// (<see cref="SharedRateLimits"/>).
/// </summary>
public static class RateLimits
{
    public const string ReaderForms = "reader-forms";
    public const string SignIn = "sign-in";

    /// <summary>The largest body a reader's form post may have: a 2,000-character question is far below it.</summary>
    public const long ReaderFormMaxBytes = 64 * 1024;

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        SharedRateLimits.AddWhenConfigured(builder);
        services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection("RateLimits"))
            .Validate(o => o.FormPostsPerMinute is >= 1 and <= 1_000_000, "RateLimits:FormPostsPerMinute must be a number from 1 to 1000000.")
            .Validate(o => o.SignInPostsPerMinute is >= 1 and <= 1_000_000, "RateLimits:SignInPostsPerMinute must be a number from 1 to 1000000.")
            .ValidateOnStart();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ReaderForms, context => PostsPerMinute(context, ReaderForms, o => o.FormPostsPerMinute));
            options.AddPolicy(SignIn, context => PostsPerMinute(context, SignIn, o => o.SignInPostsPerMinute));
            options.OnRejected = (rejected, _) =>
            {
                // The body is left to the status-code pages, which show the friendly "too many tries" page.
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    rejected.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                // The count kept in Redis names it under its own metadata name, in whole seconds.
                else if (rejected.Lease.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.RetryAfter, out var seconds))
                    rejected.HttpContext.Response.Headers.RetryAfter = Math.Ceiling((double)seconds).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });

        // On the pages themselves, after AddRazorPages has set its conventions up.
        services.PostConfigure<RazorPagesOptions>(options =>
        {
            foreach (var page in new[] { "/Articles/Questions", "/Articles/Feedback", "/Articles/FeedbackMissing" })
            {
                options.Conventions.AddPageApplicationModelConvention(page, model =>
                {
                    model.EndpointMetadata.Add(new EnableRateLimitingAttribute(ReaderForms));
                    model.EndpointMetadata.Add(new RequestSizeLimitAttribute(ReaderFormMaxBytes));
                    model.Filters.Add(new TooLargeFormFilter());
                });
            }
            options.Conventions.AddPageApplicationModelConvention("/Account/SignIn", model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(SignIn)));
        });
        return builder;
    }

    private static RateLimitPartition<string> PostsPerMinute(HttpContext context, string policy, Func<RateLimitOptions, int> limit)
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter(policy);
        var permits = limit(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        // Behind a load balancer this is the reader's address only with ForwardedHeaders:* set (TrustedProxies).
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        };
        var key = policy + " " + client;
        return context.RequestServices.GetService<SharedRateLimits>() is { } shared
            ? shared.FixedWindow(key, window)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => window);
    }

    /// <summary>
    /// Reads a posted form first, before antiforgery or model binding can, so that a body over the limit is answered
    /// with 413 and the friendly page rather than a misleading 400 or a form that seems empty. The framework's form
    /// reader refuses a whole form for one NUL in it; a reader's question must survive that, so such a form is read
    /// again here with the NUL kept, and the form's own check takes it out and shows the question back to the reader.
    /// </summary>
    private sealed class TooLargeFormFilter : IAsyncAuthorizationFilter, IOrderedFilter
    {
        private const int MaxFields = 1024; // FormOptions.ValueCountLimit's default, which the framework's reader enforces

        public int Order => -1000;

        public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
        {
            var request = context.HttpContext.Request;
            if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType) return;
            request.EnableBuffering(bufferThreshold: (int)ReaderFormMaxBytes, bufferLimit: ReaderFormMaxBytes);
            try
            {
                await request.ReadFormAsync(context.HttpContext.RequestAborted);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
            }
            catch (InvalidDataException) when (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                request.Body.Position = 0;
                var raw = await new StreamReader(request.Body).ReadToEndAsync(context.HttpContext.RequestAborted);
                var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(raw);
                var hasNul = raw.Contains('\0') || raw.Contains("%00", StringComparison.Ordinal);
                if (!hasNul || fields.Count > MaxFields || fields.Sum(f => f.Value.Count) > MaxFields) throw;
                request.Form = new FormCollection(fields);
            }
        }
    }
}
