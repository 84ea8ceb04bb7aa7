using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Access;

/// <summary>
/// Whether first-run setup is over (some user is admin). Remembered once true: <see cref="AccessAdmin"/> never removes
/// or demotes the last administrator, so it stays true; until then every page asks the database (a CLI-made admin counts).
/// </summary>
public sealed class SetupState(IDbContextFactory<GanDashboardDb> dbFactory)
{
    private volatile bool _adminExists;

    public async Task<bool> AdminExistsAsync(CancellationToken ct = default)
    {
        if (_adminExists) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return _adminExists = await AccessQueries.AdminExistsAsync(db, ct);
    }
}

/// <summary>Local sign-in without an administrator yet: every page goes to the setup page (machine paths are unaffected).</summary>
public sealed class SetupRedirect(RequestDelegate next, SetupState state)
{
    private static readonly string[] Open = ["/_framework", "/_content", "/_blazor", AccessServices.SetupPath, "/healthz", "/openapi", "/scalar"];

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        // A re-executed status page (an API 404 shown as /not-found) answers the original request: never redirect it.
        bool page = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !AccessProblems.IsMachinePath(request) && !Path.HasExtension(request.Path.Value)
            && !Open.Any(p => request.Path.StartsWithSegments(p));
        if (page && !await state.AdminExistsAsync(http.RequestAborted))
        {
            http.Response.Redirect(AccessServices.SetupPath);
            return;
        }
        await next(http);
    }
}
