using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Account;

/// <summary>
/// Sign-in for editors and reviewers. Every refusal — unknown e-mail, wrong password, too many tries — takes the same
/// time (a password hash is checked in each) and says the same words, so the page never tells whether an address has
/// an account. Five wrong passwords lock the account from that client address only (<see cref="SignInAttempts"/>).
/// </summary>
public sealed class SignInModel(SignInManager<IdentityUser> signIn, SignInAttempts attempts, ILogger<SignInModel> logger) : PageModel
{
    public const string Refused =
        "That e-mail address and password do not match an account, or there have been too many wrong passwords from this connection: after five, signing in waits 15 minutes. Check them and try again, or ask the site administrator to set a new password.";

    [BindProperty, Required(ErrorMessage = "Enter your e-mail address."), EmailAddress(ErrorMessage = "Enter an e-mail address like name@example.org.")]
    [Display(Name = "E-mail address")]
    public string Email { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Enter your password."), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty, Display(Name = "Keep me signed in on this device")]
    public bool Remember { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var email = Email.Trim();
        // Behind a reverse proxy, forwarded headers must be on so this is the editor's address (docs/security.md).
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var user = await signIn.UserManager.FindByNameAsync(email);
        if (user is null || attempts.IsLockedOut(client, user))
        {
            attempts.SpendTheTimeOfAPasswordCheck(Password);
            logger.LogWarning("Sign-in refused for {Email} from {Client}: {Why}", email, client, user is null ? "no such account" : "locked from this address");
            Problem = Refused;
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password, Remember, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            attempts.Succeeded(client, user);
            logger.LogInformation("{Email} signed in", email);
            return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/editor/my-work");
        }
        if (!result.IsLockedOut) attempts.Failed(client, user);
        logger.LogWarning("Sign-in failed for {Email} from {Client}{Locked}", email, client, result.IsLockedOut ? " (account locked in the database)" : "");
        Problem = Refused;
        return Page();
    }
}
