using GanDashboard.Web;
using GanDashboard.Web.Access;
using GanDashboard.Web.Cluster;
using GanDashboard.Web.Components;
using GanDashboard.Storage;

// Moving a single-node install to PostgreSQL: a verb of its own, run instead of the server.
if (args.FirstOrDefault() == StoreCopy.Verb) return await StoreCopy.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);

builder.AddGanDashboard();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseGanDashboardAccess();
app.UseAntiforgery();

// Every node's metrics (a worker's trainings too), at /metrics unless GanDashboard:Metrics:Enabled is false.
app.MapGanDashboardMetrics();

// A worker node runs jobs and answers only its health check; the other roles serve the dashboard and the API.
if (app.Services.GetRequiredService<NodeOptions>().ServesDashboard)
{
    app.MapStaticAssets();
    app.MapGanDashboardApi();
    // Every page needs a signed-in viewer unless it says [AllowAnonymous] (sign-in, setup, errors).
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode()
        .RequireAuthorization(Policies.Viewer);
}
else
{
    app.MapHealthChecks("/healthz");
}

app.Run();
return 0;

/// <summary>Visible to the integration tests (WebApplicationFactory).</summary>
public partial class Program;
