using System.Security.Claims;
using GanDashboard.Storage.Access;
using Microsoft.AspNetCore.Authorization;

namespace GanDashboard.Web.Access;

/// <summary>The authorization policies, one per role; each admits its role and the roles above it.</summary>
public static class Policies
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>The claim that names the API key a request came with (absent for a signed-in session).</summary>
    public const string ApiKeyClaim = "gd:api_key";

    public static AuthorizationBuilder AddGanDashboardPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Viewer, p => p.RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
        .AddPolicy(Operator, p => p.RequireRole(Roles.Operator, Roles.Admin))
        .AddPolicy(Admin, p => p.RequireRole(Roles.Admin));

    /// <summary>The user's role (the highest if several), or null for nobody signed in.</summary>
    public static string? RoleOf(ClaimsPrincipal user) =>
        Roles.Highest(user.FindAll(ClaimTypes.Role).Select(c => c.Value));
}
