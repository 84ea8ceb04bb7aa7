using GanDashboard.Storage.Access;

namespace GanDashboard.Web.Access;

/// <summary>
/// The Access page's way to <see cref="AccessAdmin"/>: each call in its own scope (its own DbContext and user manager),
/// so no circuit holds a DbContext, and each checks the circuit user's role first, so the server refuses what the page hides.
/// </summary>
public sealed class AccessActions(IServiceScopeFactory scopes, DashboardAccess access)
{
    /// <summary>An administrator's action on any user or key.</summary>
    public async Task<T> AsAdminAsync<T>(string action, Func<AccessAdmin, Task<T>> run)
    {
        await access.RequireAsync(Roles.Admin, action);
        return await RunAsync(run);
    }

    /// <summary>The signed-in user's own keys: list, create, revoke (any role).</summary>
    public async Task<T> OwnAsync<T>(Func<AccessAdmin, string, Task<T>> run)
    {
        string user = await access.UserNameAsync() ?? throw new AccessDeniedException("Sign in to manage your API keys.");
        return await RunAsync(a => run(a, user));
    }

    private async Task<T> RunAsync<T>(Func<AccessAdmin, Task<T>> run)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await run(scope.ServiceProvider.GetRequiredService<AccessAdmin>());
    }
}
