using System.Diagnostics;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>A clock that always says <paramref name="now"/>: give it to <see cref="IbmInfoFactory.Clock"/>.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now => now;

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// A clock that starts at <paramref name="start"/> and runs on with real time: for a test that compares dates the app
/// computes ("due in 10 days") with its own, so that a run crossing midnight cannot fail while time still passes for
/// sign-ins, timeouts and the order of review steps.
/// </summary>
public sealed class RunningClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().UtcDateTime);

    public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_started);
}
