namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// The real Redis <c>./test.sh</c> starts on 127.0.0.1 (Debian's redis-server) and names in <c>IBMINFO_TEST_REDIS</c>.
/// Without it the tests that need it fail saying so, rather than passing without having counted anything in Redis.
/// </summary>
public static class TestRedis
{
    /// <summary>The app's <c>Redis:Configuration</c> for that server.</summary>
    public static string Configuration =>
        Environment.GetEnvironmentVariable("IBMINFO_TEST_REDIS") is { Length: > 0 } address
            ? address
            : throw new Xunit.Sdk.XunitException(
                "The shared rate-limit tests need a real Redis and none was given: run ./test.sh (it installs Debian's redis-server " +
                "when missing, starts it on a free port and sets IBMINFO_TEST_REDIS=127.0.0.1:PORT), e.g. ./test.sh --filter SharedRateLimitTests.");

    /// <summary>
    /// A reader address no other test (nor an earlier run within the minute) uses, from the documentation range
    /// 2001:db8::/32: the count in Redis outlives an app.
    /// </summary>
    public static string NewReaderAddress() => "2001:db8::" + string.Join(':', Guid.NewGuid().ToString("N")[..16].Chunk(4).Select(c => new string(c)));
}
