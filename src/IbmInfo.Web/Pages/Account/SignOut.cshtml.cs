using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IbmInfo.Web.Pages.Account;

/// <summary>
/// Signing out is a POST (with its antiforgery token), so no link or image elsewhere can do it. It ends every session
/// of the account, on every device: the new security stamp makes each copy of the old sign-in cookie worthless.
/// </summary>
public sealed class SignOutModel(SignInManager<IdentityUser> signIn) : PageModel
{
    public bool SignedOut { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is IdentityUser user) await signIn.UserManager.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        SignedOut = true;
        return Page();
    }
}
