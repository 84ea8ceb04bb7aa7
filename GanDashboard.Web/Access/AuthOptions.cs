using GanDashboard.Storage.Access;

namespace GanDashboard.Web.Access;

/// <summary>Sign-in settings (configuration section <c>GanDashboard:Auth</c>).</summary>
public sealed record AuthOptions
{
    public const string Section = "GanDashboard:Auth";
    public const string Local = "local";
    public const string OidcMode = "oidc";
    public const string None = "none";

    /// <summary><c>local</c> (accounts in the app's database, the default), <c>oidc</c> (a company identity provider) or <c>none</c> (no sign-in; everyone acts as admin).</summary>
    public string Mode { get; init; } = Local;

    public OidcSettings Oidc { get; init; } = new();

    /// <summary>The mode, checked: an unknown value stops the start with the key to fix.</summary>
    public string ValidatedMode() => Mode?.Trim().ToLowerInvariant() switch
    {
        null or "" or Local => Local,
        OidcMode => OidcMode,
        None => None,
        _ => throw new InvalidOperationException($"{Section}:Mode is '{Mode}'; use {Local}, {OidcMode} or {None}."),
    };
}

/// <summary>OpenID Connect settings (section <c>GanDashboard:Auth:Oidc</c>), used only when the mode is <c>oidc</c>.</summary>
public sealed record OidcSettings
{
    public const string Section = AuthOptions.Section + ":Oidc";

    public string? Authority { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    /// <summary>The token claim that carries the user's groups or roles.</summary>
    public string RoleClaim { get; init; } = "roles";
    /// <summary>The token claim shown as the user name.</summary>
    public string NameClaim { get; init; } = "preferred_username";
    /// <summary>Identity provider role or group value -> viewer, operator or admin.</summary>
    public Dictionary<string, string> RoleMap { get; init; } = new(StringComparer.Ordinal);
    /// <summary>The role of a signed-in user none of whose values is in <see cref="RoleMap"/> (empty: refused).</summary>
    public string? DefaultRole { get; init; } = Roles.Viewer;

    /// <summary>Throws with the key to fix when a required setting is missing or a role name is unknown.</summary>
    public OidcSettings Validated()
    {
        Require(Authority, nameof(Authority));
        Require(ClientId, nameof(ClientId));
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps && !authority.IsLoopback)
            throw new InvalidOperationException($"{Section}:Authority must be an absolute https URL, not '{Authority}'.");
        foreach (var (from, to) in RoleMap)
            if (Roles.Parse(to) is null) throw new InvalidOperationException($"{Section}:RoleMap:{from} is '{to}'; use {string.Join(", ", Roles.All)}.");
        if (!string.IsNullOrEmpty(DefaultRole) && Roles.Parse(DefaultRole) is null)
            throw new InvalidOperationException($"{Section}:DefaultRole is '{DefaultRole}'; use {string.Join(", ", Roles.All)} or leave it empty.");
        return this;
    }

    private static void Require(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidOperationException($"{Section}:{key} is required when {AuthOptions.Section}:Mode is oidc.");
    }
}
