using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IbmInfo.Web.Pages.Account;

/// <summary>
/// Wrong passwords, counted per client address and account: five in a row lock that account <em>from that address</em>
/// for 15 minutes, so a stranger guessing at an editor's e-mail locks out only themselves, never the editor signing in
/// from their own connection; the administrator is told (a Warning in the log) each time. Guessing stays slow from any
/// one address: five tries, then a 15-minute wait, on top of the per-address limit on sign-in posts.
/// Process-local: with several instances, each counts its own; Identity's database lockout is not used.
/// </summary>
public sealed class SignInAttempts(IOptions<PasswordHasherOptions> hasherOptions, ILogger<SignInAttempts> logger)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    // Bounded, so that a flood of made-up e-mail addresses cannot fill the memory; each entry counts one.
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly PasswordHasher<IdentityUser> _hasher = new(hasherOptions);
    private readonly Lazy<string> _dummyHash = new(() => new PasswordHasher<IdentityUser>(hasherOptions).HashPassword(new IdentityUser(), Guid.NewGuid().ToString()));

    public bool IsLockedOut(string client, IdentityUser user) =>
        _failures.TryGetValue(Key(client, user), out Counter? counter) && counter!.Count >= MaxFailures;

    public void Failed(string client, IdentityUser user)
    {
        var key = Key(client, user);
        var email = user.UserName;
        var counter = _failures.GetOrCreate(key, entry => { entry.Size = 1; return new Counter(); })!;
        var count = Interlocked.Increment(ref counter.Count);
        // Each failure sets the 15 minutes again, so the wait runs from the last wrong password.
        _failures.Set(key, counter, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = LockoutTime });
        if (count == MaxFailures)
            logger.LogWarning("Sign-in to {Email} from {Client} is locked for {Minutes} minutes after {Failures} wrong passwords; from other addresses it is not",
                email, client, LockoutTime.TotalMinutes, MaxFailures);
    }

    public void Succeeded(string client, IdentityUser user) => _failures.Remove(Key(client, user));

    /// <summary>
    /// Checks a password against a hash made once at start, with the same algorithm and cost as an account's, so that
    /// an unknown address or a locked one takes as long to refuse as a wrong password does.
    /// </summary>
    public void SpendTheTimeOfAPasswordCheck(string password) =>
        _hasher.VerifyHashedPassword(new IdentityUser(), _dummyHash.Value, password);

    // The security stamp is part of the key, so a new password (users password, in any process) lifts every lockout.
    private static string Key(string client, IdentityUser user) => $"{client} {user.Id} {user.SecurityStamp}";

    private sealed class Counter
    {
        public int Count;
    }
}
