using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using GanDashboard.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Access;

/// <summary>
/// Authenticates <c>X-API-Key</c> (or <c>api_key</c> in a WebSocket's query): a user's key, read from the database on
/// every request so a revocation counts at once, or the single configured <c>GanDashboard:Api:ApiKey</c>, which acts as
/// an admin key for installs from before per-user keys. Without a key it answers 401 problem details, never a redirect.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDbContextFactory<GanDashboardDb> dbFactory, IOptionsMonitor<ApiOptions> api, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-API-Key";
    /// <summary>The key id in <see cref="Policies.ApiKeyClaim"/> for the configured compatibility key.</summary>
    public const string ConfiguredKeyId = "configured";

    /// <summary>The key a request presents, if any.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        string? key = request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(key) && request.Path.StartsWithSegments("/ws")) key = request.Query["api_key"].FirstOrDefault();
        return string.IsNullOrEmpty(key) ? null : key;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } key) return AuthenticateResult.NoResult();
        if (api.CurrentValue.ApiKey is { Length: > 0 } configured
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(configured)))
            return Success(new KeyHolder(ConfiguredKeyId, ConfiguredKeyId, "api-key", Roles.Admin));
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var holder = await ApiKeys.AuthenticateAsync(db, key, clock.GetUtcNow().UtcDateTime, Context.RequestAborted);
        return holder is null ? AuthenticateResult.Fail("The API key is unknown, revoked or expired.") : Success(holder);
    }

    private AuthenticateResult Success(KeyHolder holder)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, holder.UserName),
                new Claim(ClaimTypes.NameIdentifier, holder.UserId),
                new Claim(ClaimTypes.Role, holder.Role),
                new Claim(Policies.ApiKeyClaim, holder.KeyId),
            ],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AccessProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, result.Failure?.Message ?? AccessProblems.NoCredentials);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, AccessProblems.Forbidden(Context.User));
}

/// <summary>Mode <c>none</c>: sign-in chosen off, so every request acts as an administrator (the layout warns on every page).</summary>
public sealed class NoSignInAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "NoSignIn";
    public const string UserName = "anonymous";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName), new Claim(ClaimTypes.Role, Roles.Admin)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
