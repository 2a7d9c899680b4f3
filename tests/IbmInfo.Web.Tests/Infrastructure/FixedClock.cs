namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>A clock that always says <paramref name="now"/>: give it to <see cref="IbmInfoFactory.Clock"/>.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now => now;

    public override DateTimeOffset GetUtcNow() => now;
}
