using System.Security.Claims;
using GanDashboard.Storage.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace GanDashboard.Web.Access;

/// <summary>Sign-in, API keys and the role policies, with their lifetimes; called by <see cref="GanDashboardServices.AddGanDashboard"/>.</summary>
public static class AccessServices
{
    /// <summary>Picks the scheme per request: an API key when one is sent, otherwise the mode's session (or none's admin).</summary>
    public const string SelectScheme = "GanDashboard";
    public const string SignInPath = "/account/signin";
    public const string OidcSignInPath = "/account/oidc";
    public const string SetupPath = "/setup";
    public const string CookieName = "GanDashboard.Session";

    public static IServiceCollection AddGanDashboardAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        string mode = options.ValidatedMode();
        var oidc = mode == AuthOptions.OidcMode ? options.Oidc.Validated() : null;
        services.AddSingleton(options with { Mode = mode });

        // The sign-in manager over the user store that AddGanDashboardServices registered (scoped, per request).
        new IdentityBuilder(typeof(IdentityUser), typeof(IdentityRole), services).AddSignInManager();

        var auth = services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectScheme;
                o.DefaultChallengeScheme = SelectScheme;
                o.DefaultForbidScheme = SelectScheme;
            })
            .AddPolicyScheme(SelectScheme, null, o => o.ForwardDefaultSelector = http => Select(http, mode))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, NoSignInAuthentication>(NoSignInAuthentication.SchemeName, null);
        auth.AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = mode == AuthOptions.OidcMode ? OidcSignInPath : SignInPath;
            o.Events.OnRedirectToLogin = ctx => AccessProblems.IsMachinePath(ctx.Request)
                ? AccessProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, AccessProblems.NoCredentials)
                : Redirect(ctx);
            // An OpenID Connect user has no local account whose security stamp could be checked; the provider vouched at sign-in.
            if (mode == AuthOptions.OidcMode) o.Events.OnValidatePrincipal = _ => Task.CompletedTask;
            o.Events.OnRedirectToAccessDenied = ctx =>
                AccessProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, AccessProblems.Forbidden(ctx.HttpContext.User));
        });
        // A session re-reads its user every minute: a changed role counts within a minute, a removed user is signed out.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        if (oidc is not null) AddOidc(auth, oidc);

        services.AddAuthorizationBuilder().AddGanDashboardPolicies();
        services.AddGanDashboardRateLimits(configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions());
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>Security headers, authentication, the first-run redirect (local mode), authorization and rate limits, in that order.</summary>
    public static WebApplication UseGanDashboardAccess(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        if (app.Services.GetRequiredService<AuthOptions>().Mode == AuthOptions.Local) app.UseMiddleware<SetupRedirect>();
        app.UseAuthorization();
        // After authorization, so limits count per signed-in user where there is one.
        app.UseRateLimiter();
        return app;
    }

    private static string Select(HttpContext http, string mode)
    {
        if (ApiKeyAuthentication.PresentedKey(http.Request) is not null) return ApiKeyAuthentication.SchemeName;
        if (mode == AuthOptions.None) return NoSignInAuthentication.SchemeName;
        // A machine without a session: the key scheme, whose challenge is a 401 problem rather than a redirect.
        if (AccessProblems.IsMachinePath(http.Request) && !http.Request.Cookies.ContainsKey(CookieName)) return ApiKeyAuthentication.SchemeName;
        return IdentityConstants.ApplicationScheme;
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// OpenID Connect (authorization code flow): the provider's user lands in the same session cookie, with a role
    /// mapped from the provider's role or group claim (<see cref="OidcSettings.RoleMap"/>).
    /// </summary>
    private static void AddOidc(AuthenticationBuilder auth, OidcSettings oidc) =>
        auth.AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.ResponseType = "code";
            o.SignInScheme = IdentityConstants.ApplicationScheme;
            o.MapInboundClaims = false;
            o.Scope.Add("profile");
            o.TokenValidationParameters.NameClaimType = oidc.NameClaim;
            o.TokenValidationParameters.RoleClaimType = ClaimTypes.Role;
            o.Events.OnTokenValidated = ctx =>
            {
                if (ctx.Principal?.Identity is not ClaimsIdentity identity) return Task.CompletedTask;
                var mapped = identity.FindAll(oidc.RoleClaim).Select(c => oidc.RoleMap.GetValueOrDefault(c.Value));
                string? role = Roles.Highest(mapped) ?? Roles.Parse(oidc.DefaultRole);
                if (role is null) ctx.Fail($"None of the user's '{oidc.RoleClaim}' values is mapped in {OidcSettings.Section}:RoleMap.");
                else identity.AddClaim(new Claim(ClaimTypes.Role, role));
                return Task.CompletedTask;
            };
        });
}
