using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace GanDashboard.Web.Access;

/// <summary>Sign-out (a form POST with its anti-forgery token) and the OpenID Connect sign-in redirect. Sign-in and setup are pages.</summary>
public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/signout", SignOutAsync).AllowAnonymous();
        if (app.Services.GetRequiredService<AuthOptions>().Mode == AuthOptions.OidcMode)
            app.MapGet(AccessServices.OidcSignInPath, (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<IdentityUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return TypedResults.Problem("The sign-out form's anti-forgery token is missing or wrong; reload the page.", statusCode: StatusCodes.Status400BadRequest);
        await signIn.SignOutAsync();
        return Results.LocalRedirect(AccessServices.SignInPath);
    }

    /// <summary>Only a path on this site (no open redirect to another host).</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
