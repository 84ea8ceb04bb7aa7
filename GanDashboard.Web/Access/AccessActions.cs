using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using GanDashboard.Web.Audit;

namespace GanDashboard.Web.Access;

/// <summary>
/// The Access page's way to <see cref="AccessAdmin"/>: each call in its own scope (its own DbContext and user manager),
/// so no circuit holds a DbContext, and each checks the circuit user's role first, so the server refuses what the page hides.
/// A call that changes something names the <see cref="AccessChange"/> the audit trail records (refusals included).
/// </summary>
public sealed class AccessActions(IServiceScopeFactory scopes, DashboardAccess access, AuditTrail audit)
{
    /// <summary>An administrator's action on any user or key.</summary>
    public Task<T> AsAdminAsync<T>(string action, Func<AccessAdmin, Task<T>> run, AccessChange? change = null) =>
        AuditedAsync(change, async () =>
        {
            await access.RequireAsync(Roles.Admin, action);
            return await RunAsync(run);
        });

    /// <summary>The signed-in user's own keys: list, create, revoke (any role).</summary>
    public Task<T> OwnAsync<T>(Func<AccessAdmin, string, Task<T>> run, AccessChange? change = null) =>
        AuditedAsync(change, async () =>
        {
            string user = await access.UserNameAsync() ?? throw new AccessDeniedException("Sign in to manage your API keys.");
            return await RunAsync(a => run(a, user));
        });

    private async Task<T> AuditedAsync<T>(AccessChange? change, Func<Task<T>> work) => change is null
        ? await work()
        : await audit.AuditAsync(AuditActor.From(await access.UserAsync(), null), change.Action, change.TargetKind, change.TargetId, work, _ => change.Detail);

    private async Task<T> RunAsync<T>(Func<AccessAdmin, Task<T>> run)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await run(scope.ServiceProvider.GetRequiredService<AccessAdmin>());
    }
}

/// <summary>What an Access page action changes, for the audit trail: never a password or a key's secret.</summary>
public sealed record AccessChange(string Action, string TargetKind, string? TargetId, string Detail);
