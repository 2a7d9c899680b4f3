using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Account;

/// <summary>Sign-in for editors and reviewers; five wrong passwords lock the account for a while.</summary>
public sealed class SignInModel(SignInManager<IdentityUser> signIn, ILogger<SignInModel> logger) : PageModel
{
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
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, Remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("{Email} signed in", Email);
            return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/editor");
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused for {Email}: account locked after repeated failures", Email);
            Problem = "Too many wrong passwords: this account is locked for 15 minutes. Try again later, or ask the site administrator to set a new password.";
        }
        else
        {
            logger.LogWarning("Sign-in failed for {Email}", Email);
            Problem = "That e-mail address and password do not match an account. Check them and try again.";
        }
        return Page();
    }
}
