using GanDashboard.Storage.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace GanDashboard.Web.Access;

/// <summary>A dashboard action the user's role does not allow; the page shows the message.</summary>
public sealed class AccessDeniedException(string message) : GanDashboard.Web.Tasks.WorkflowException(message);

/// <summary>
/// The circuit's user for the pages: what to show (<see cref="CanAsync"/>) and the server-side refusal
/// (<see cref="RequireAsync"/>) behind every action, so a hidden button is not the only guard.
/// </summary>
public sealed class DashboardAccess(AuthenticationStateProvider authentication)
{
    public async Task<System.Security.Claims.ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string?> RoleAsync() => Policies.RoleOf((await authentication.GetAuthenticationStateAsync()).User);

    public async Task<string?> UserNameAsync() => (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    public async Task<bool> CanAsync(string role) => Roles.Includes(await RoleAsync(), role);

    /// <summary>Throws <see cref="AccessDeniedException"/> naming the action and the role it needs.</summary>
    public async Task RequireAsync(string role, string action)
    {
        string? have = await RoleAsync();
        if (!Roles.Includes(have, role))
            throw new AccessDeniedException($"Your role ({have ?? "none"}) cannot {action}: it needs {role}. Ask an administrator.");
    }
}
