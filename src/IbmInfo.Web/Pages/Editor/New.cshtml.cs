using System.Text.RegularExpressions;
using IbmInfo.Content;
using IbmInfo.Web.Data;
using IbmInfo.Web.Hosting;
using IbmInfo.Web.Publishing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IbmInfo.Web.Pages.Editor;

/// <summary>Starting a new article or page: its title and its address (slug), checked, then the writing form.</summary>
[Authorize(Policy = Roles.Editor)]
public sealed partial class NewModel(IbmInfoDb db, UserManager<IdentityUser> users, SiteRoutes routes, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Slug { get; set; }
    [BindProperty] public ContentKind Kind { get; set; } = ContentKind.Article;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Title = Title?.Trim();
        var slug = string.IsNullOrWhiteSpace(Slug) ? Suggest(Title ?? "") : Slug.Trim();
        if (string.IsNullOrEmpty(Title)) ModelState.AddModelError(nameof(Title), "Enter a title.");
        else if (Title.Length > 150) ModelState.AddModelError(nameof(Title), "The title is longer than 150 characters; shorten it.");
        if (!Enum.IsDefined(Kind)) ModelState.AddModelError(nameof(Kind), "Choose an article or a standalone page.");
        if (!Slugs.IsValid(slug))
            ModelState.AddModelError(nameof(Slug), $"The address '{slug}' is not valid: use lower-case letters, digits and single hyphens, e.g. '{Suggest(slug)}'.");
        else if (routes.Shadowing(Kind, slug) is { } route)
            ModelState.AddModelError(nameof(Slug), $"'{slug}' would be hidden by the site's own address {route}; choose another name.");
        else if (await db.Articles.AnyAsync(a => a.Slug == slug, cancellationToken))
            ModelState.AddModelError(nameof(Slug), $"There is already an article or page at '{slug}': choose another address, or write its next version.");
        Slug = slug;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var authorId = users.GetUserId(User)!;
        var draft = await db.Drafts.SingleOrDefaultAsync(d => d.AuthorId == authorId && d.Slug == slug, cancellationToken);
        if (draft is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            db.Drafts.Add(new Draft
            {
                AuthorId = authorId,
                Slug = slug,
                Kind = Kind,
                BaseNumber = 0,
                Title = Title!,
                Body = "## First section\n\nWrite here.\n",
                ChangeNote = "First version.",
                StartedAt = now,
                SavedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return Redirect($"/editor/write/{slug}");
    }

    /// <summary>A slug from a title: lower-case words joined by hyphens.</summary>
    public static string Suggest(string title)
    {
        var words = NonSlug().Split(title.ToLowerInvariant()).Where(w => w.Length > 0);
        var slug = string.Join('-', words);
        return slug.Length > 80 ? slug[..80].TrimEnd('-') : slug.Length > 0 ? slug : "my-article";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
