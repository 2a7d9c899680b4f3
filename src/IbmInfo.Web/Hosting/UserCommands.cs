using System.Security.Claims;
using System.Text;
using IbmInfo.Web.Data;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// <c>users add|list|remove|password</c>: accounts are made only here, never with a default password. Passwords are
/// read from standard input (not echoed, and asked twice, at a terminal), never from the command line, where they
/// would end up in the shell's history.
/// </summary>
public static class UserCommands
{
    public const string Usage = """
          IbmInfo.Web users add --email E --role Editor|Reviewer [--role …] [--name "Dr A Reviewer"]   (password from standard input)
          IbmInfo.Web users list
          IbmInfo.Web users remove --email E
          IbmInfo.Web users password --email E   (a new password from standard input; also lifts a lockout)
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CommandConsole console)
    {
        if (!TryParse(args, out var verb, out var options)) return FailUsage(console);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IbmInfoDb>().Database.MigrateAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var exitCode = verb switch
        {
            "add" => await AddAsync(users, roles, options, console),
            "list" when options.Count == 0 => await ListAsync(users, console),
            "remove" => await RemoveAsync(users, options, console),
            "password" => await PasswordAsync(users, options, console),
            _ => FailUsage(console),
        };
        // Pages name reviewers and editors: the running site drops its cached pages (on PostgreSQL every node hears it).
        if (exitCode == 0 && verb is "add" or "remove") await services.GetRequiredService<Publishing.SiteChanges>().NotifyAsync();
        return exitCode;
    }

    private static bool TryParse(string[] args, out string verb, out List<(string Name, string Value)> options)
    {
        verb = args.Length > 0 ? args[0] : "";
        options = [];
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) return false;
            options.Add((args[i][2..], args[i + 1]));
        }
        return verb.Length > 0;
    }

    private static async Task<int> AddAsync(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, List<(string Name, string Value)> options, CommandConsole console)
    {
        if (options.Any(o => o.Name is not ("email" or "role" or "name"))) return FailUsage(console);
        var email = Single(options, "email");
        var wanted = options.Where(o => o.Name == "role").Select(o => o.Value).ToList();
        var name = Single(options, "name")?.Trim();
        if (email is null || wanted.Count == 0) return console.Fail("users add needs --email and at least one --role.", 1);
        var unknown = wanted.Where(r => !Roles.All.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0) return console.Fail($"Unknown role {string.Join(", ", unknown)}: the roles are {string.Join(" and ", Roles.All)}.", 1);
        var user = await users.FindByEmailAsync(email);
        // An account an import made for an author listed in authors.yml has no password yet: adding it completes it.
        if (user is { PasswordHash: not null })
            return console.Fail($"An account for {email} already exists. Use 'users password' to set a new password, or 'users remove' first.", 1);

        var password = ReadPassword(console);
        if (password is null) return console.Fail("No password given on standard input.", 1);
        var completing = user is not null;
        user ??= new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = completing ? await users.AddPasswordAsync(user, password) : await users.CreateAsync(user, password);
        if (!created.Succeeded) return Fail(console, created);

        var canonical = Roles.All.Where(r => wanted.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var role in canonical.Where(r => !roles.Roles.Any(x => x.Name == r)))
            await roles.CreateAsync(new IdentityRole(role));
        var held = await users.GetRolesAsync(user);
        var added = await users.AddToRolesAsync(user, canonical.Where(r => !held.Contains(r)));
        if (!added.Succeeded) return Fail(console, added);
        var oldName = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == Roles.DisplayNameClaim);
        if (oldName is null || !string.IsNullOrEmpty(name))
        {
            if (oldName is not null) await users.RemoveClaimAsync(user, oldName);
            var claim = await users.AddClaimAsync(user, new Claim(Roles.DisplayNameClaim, string.IsNullOrEmpty(name) ? ReviewActor.DefaultName(email) : name));
            if (!claim.Succeeded) return Fail(console, claim);
        }

        console.Out.WriteLine(completing
            ? $"Completed {email}, made from the content folder's authors list: it has a password now and can sign in ({string.Join(", ", canonical)})."
            : $"Added {email} ({string.Join(", ", canonical)}).");
        return 0;
    }

    private static async Task<int> ListAsync(UserManager<IdentityUser> users, CommandConsole console)
    {
        var all = await users.Users.OrderBy(u => u.Email).ToListAsync();
        if (all.Count == 0)
        {
            console.Out.WriteLine("No accounts yet. Add one with: users add --email E --role Editor|Reviewer");
            return 0;
        }
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            var name = (await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == Roles.DisplayNameClaim)?.Value;
            var locked = user.PasswordHash is null ? "  no password yet (cannot sign in; set one with 'users password')"
                : user.LockoutEnd > DateTimeOffset.UtcNow ? $"  locked until {user.LockoutEnd:yyyy-MM-dd HH:mm} UTC" : "";
            console.Out.WriteLine($"{user.Email}\t{name}\t{string.Join(", ", roles.Order())}{locked}");
        }
        return 0;
    }

    private static async Task<int> RemoveAsync(UserManager<IdentityUser> users, List<(string Name, string Value)> options, CommandConsole console)
    {
        if (options is not [("email", var email)]) return FailUsage(console);
        var user = await users.FindByEmailAsync(email);
        if (user is null) return console.Fail($"There is no account for {email}.", 1);
        var removed = await users.DeleteAsync(user);
        if (!removed.Succeeded) return Fail(console, removed);
        // The audit trail keeps the e-mail address in its entries: removing an account never rewrites history.
        console.Out.WriteLine($"Removed {email}. Their past review steps stay in the audit trail.");
        return 0;
    }

    private static async Task<int> PasswordAsync(UserManager<IdentityUser> users, List<(string Name, string Value)> options, CommandConsole console)
    {
        if (options is not [("email", var email)]) return FailUsage(console);
        var user = await users.FindByEmailAsync(email);
        if (user is null) return console.Fail($"There is no account for {email}.", 1);
        var password = ReadPassword(console);
        if (password is null) return console.Fail("No password given on standard input.", 1);
        foreach (var validator in users.PasswordValidators)
        {
            var valid = await validator.ValidateAsync(users, user, password);
            if (!valid.Succeeded) return Fail(console, valid);
        }
        // Checked above first, so the old password is never removed for a new one that would be refused.
        var removed = await users.RemovePasswordAsync(user);
        if (!removed.Succeeded) return Fail(console, removed);
        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded) return Fail(console, added);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        console.Out.WriteLine($"New password set for {email}.");
        return 0;
    }

    private static string? Single(List<(string Name, string Value)> options, string name) =>
        options.LastOrDefault(o => o.Name == name).Value;

    /// <summary>The first line of piped input; at a terminal, typed twice without echo.</summary>
    private static string? ReadPassword(CommandConsole console)
    {
        if (!console.InputIsTerminal) return console.In.ReadLine();
        var first = ReadHidden("Password (at least 12 characters): ", console);
        var second = ReadHidden("Same password again: ", console);
        if (first != second)
        {
            console.Error.WriteLine("The two passwords differ.");
            return null;
        }
        return first;
    }

    /// <summary>Keys read from the terminal itself, which only the process's own console has.</summary>
    private static string ReadHidden(string prompt, CommandConsole console)
    {
        console.Out.Write(prompt);
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        console.Out.WriteLine();
        return text.ToString();
    }

    private static int Fail(CommandConsole console, IdentityResult result) =>
        console.Fail(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)), 1);

    private static int FailUsage(CommandConsole console) => console.Fail("usage:\n" + Usage, 2);
}
