using System.Buffers.Text;
using System.Security.Cryptography;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// Reader pages are rendered once and served from memory (the framework's output cache) until a content sync or a
/// review step changes what they show, compressed once (Brotli or gzip) and tagged with a strong ETag, so browsers,
/// proxies and CDNs can revalidate them with <c>304 Not Modified</c>. A page opts in with
/// <c>[OutputCache(PolicyName = PageCaching.ReaderPage)]</c>.
/// </summary>
public static class PageCaching
{
    /// <summary>The output-cache policy of the reader pages.</summary>
    public const string ReaderPage = "ReaderPage";

    /// <summary>
    /// Search results: the reader-page rules, with the query and page number as part of the key. Repeated searches
    /// (the common ones) come from memory; made-up ones share the cache's size limit with the pages and push out the
    /// least used.
    /// </summary>
    public const string SearchPage = "SearchPage";

    /// <summary>The tag every cached reader page carries; evicted by <see cref="SiteChanges"/>.</summary>
    public const string Tag = "reader-pages";

    /// <summary>Browsers and shared caches keep a current page this long before revalidating it.</summary>
    public const string ShortLife = "max-age=300";

    /// <summary>
    /// A permanent version link stays in browser and proxy caches the longer the more final its status: a retired
    /// version never changes again (a day); an approved one changes only when withdrawn or superseded (an hour);
    /// one still in review keeps the short life of a current page.
    /// </summary>
    public static void SetPermanentVersionLifetime(HttpResponse response, ReviewStatus status)
    {
        var scope = response.Headers.CacheControl.ToString().StartsWith("private", StringComparison.Ordinal) ? "private, " : "public, ";
        response.Headers.CacheControl = scope + status switch
        {
            ReviewStatus.Retired => "max-age=86400",
            ReviewStatus.Approved => "max-age=3600",
            _ => ShortLife,
        };
    }

    public static WebApplicationBuilder AddPageCaching(this WebApplicationBuilder builder)
    {
        var sizeLimitMb = builder.Configuration.GetValue("PageCache:SizeLimitMB", 64);
        builder.Services.AddOutputCache(options =>
        {
            // Bounded, so that many distinct addresses (or a crawler) evict old pages rather than grow the process.
            options.SizeLimit = sizeLimitMb * 1024L * 1024L;
            // Slugs are matched exactly: /articles/Steroids is a 404, never the cached /articles/steroids.
            options.UseCaseSensitivePaths = true;
        });
        // One policy object, made once from the app's services: a policy named by type is looked up through the
        // request's services, which costs every cached page a service scope of its own.
        builder.Services.AddOptions<OutputCacheOptions>().Configure<ContentStatus, IResponseCompressionProvider>((options, status, compression) =>
        {
            options.AddPolicy(ReaderPage, new ReaderPagePolicy(status, compression, queryKeys: StringValues.Empty));
            options.AddPolicy(SearchPage, new ReaderPagePolicy(status, compression, queryKeys: new StringValues(["q", "page"])));
        });
        builder.Services.AddResponseCompression(options =>
        {
            // Only reader pages are compressed (see UsePageCaching): they hold no secret such as an antiforgery token,
            // so compressing them over HTTPS gives nothing away (BREACH).
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/atom+xml", "application/ld+json"]);
        });
        // A cached page is compressed once, so the smaller output is worth the time; uncached search results too.
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        return builder;
    }

    /// <summary>After routing and authentication: the cache, then (for reader pages) ETags and compression.</summary>
    public static WebApplication UsePageCaching(this WebApplication app)
    {
        app.UseOutputCache();
        app.UseWhen(IsReaderRequest, reader =>
        {
            // Outside the compression, so each encoding gets its own strong ETag, as HTTP requires.
            reader.UseMiddleware<StrongEntityTags>();
            reader.UseResponseCompression();
        });
        return app;
    }

    /// <summary>Everything but the editors' area and the sign-in pages, whose forms carry antiforgery tokens.</summary>
    private static bool IsReaderRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/editor", StringComparison.OrdinalIgnoreCase)
        && !context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Which requests may be answered from the cache and how cached copies are told apart: by audience (from an
/// <c>?audience=</c> link, else the cookie), content-coding, the article's "thank you" state and the site's content
/// generation. Other query values change nothing on these pages and are
/// ignored, so made-up query strings can neither bypass the cache nor fill it.
/// </summary>
internal sealed class ReaderPagePolicy(ContentStatus status, IResponseCompressionProvider compression, StringValues queryKeys) : IOutputCachePolicy
{
    /// <summary>Pages kept on the server this long at most; changes evict them at once (tag and generation).</summary>
    private static readonly TimeSpan ServerLife = TimeSpan.FromHours(1);

    private const string SharedLife = "public, " + PageCaching.ShortLife;
    private const string PrivateLife = "private, " + PageCaching.ShortLife;
    private const string VaryHeader = "Cookie, Accept-Encoding";

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && http.User.Identity?.IsAuthenticated != true
            && StringValues.IsNullOrEmpty(request.Headers.Authorization);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = ServerLife;
        context.Tags.Add(PageCaching.Tag);

        var rules = context.CacheVaryByRules;
        // Not by host: behind a balancer each node is reached at its own port, and no page copies the Host header (SiteAddress).
        rules.VaryByHost = false;
        // Only the query values that change the page (a search's words and page number); none for other pages.
        rules.QueryKeys = queryKeys;
        // As the page decides; null (no choice made) is the one copy shared caches may keep.
        var audience = AudienceChoice.Chosen(http);
        // One key prefix rather than four vary-by values, which the cache would sort and join on every request:
        // - the audience;
        // - the coding the compression middleware will pick, not the raw header: one copy per coding actually sent,
        //   rather than one per Accept-Encoding a client can invent;
        // - the article's "thank you" state;
        // - the content generation: a page rendered while a change was being committed is stored under the old
        //   generation and never served.
        rules.CacheKeyPrefix = string.Join('|',
            audience?.ToString() ?? "none",
            compression.GetCompressionProvider(http)?.EncodingName ?? "identity",
            request.Query["feedback"] == "thanks" ? "thanks" : "",
            status.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A copy chosen by the reader's cookie, or seen by a signed-in editor, is theirs alone; the cookie-less copy
        // may be shared by proxies.
        // Set before the page runs, so a page can lengthen it (a permanent version link).
        var headers = http.Response.Headers;
        var shared = audience is null && http.User.Identity?.IsAuthenticated != true;
        headers.CacheControl = shared ? SharedLife : PrivateLife;
        headers.Vary = VaryHeader;
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        // Only complete pages that are the same for every reader of this key. The audience cookie is not part of the
        // page: it is added as the response starts, after the cache took its copy of the headers.
        if (response.StatusCode != StatusCodes.Status200OK
            || response.Headers.SetCookie.Any(c => c is not null && !c.StartsWith(AudienceChoice.CookieName + "=", StringComparison.Ordinal)))
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A strong ETag from the bytes sent (after compression), and <c>304 Not Modified</c> when the client already has
/// them. Only for pages the output cache keeps, so the buffering happens once per page, not once per request;
/// the output cache answers later conditional requests itself from the stored ETag.
/// </summary>
internal sealed class StrongEntityTags(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>() is null)
        {
            await next(context);
            return;
        }

        var response = context.Response;
        var sent = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = sent;
        }

        if (response.StatusCode == StatusCodes.Status200OK && !response.Headers.ContainsKey(HeaderNames.ETag))
        {
            var etag = new EntityTagHeaderValue(Tag(buffer));
            response.Headers.ETag = etag.ToString();
            if (Matches(request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = StringValues.Empty;
                response.Headers.ContentEncoding = StringValues.Empty;
                return;
            }
        }
        // An empty body (a 404 before the friendly error page is written in its place) is left as it is.
        if (buffer.Length == 0) return;
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(sent, context.RequestAborted);
    }

    private static string Tag(MemoryStream buffer)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), hash);
        return "\"" + Base64Url.EncodeToString(hash[..16]) + "\"";
    }

    private static bool Matches(HttpRequest request, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
}
