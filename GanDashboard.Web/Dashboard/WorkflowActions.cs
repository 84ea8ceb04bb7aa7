using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using GanDashboard.Web.Access;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Starts workflow steps from the pages the same way the API does: the step's preconditions are checked
/// first (so the user hears at once what is missing), then the task is queued. The circuit's user must be an operator:
/// the pages hide the buttons from viewers, and this refuses anyway.
/// </summary>
public sealed class WorkflowActions(WorkflowRules rules, TaskService tasks, DashboardAccess access)
{
    public const string Seed = "seed";
    public const string Train = "train";
    public const string Generate = "generate";
    public const string Validate = "validate";
    public const string Pipeline = "pipeline";

    public async Task<TaskRecord> StartAsync(string kind, string machineId, object request, string? batchId = null, CancellationToken ct = default)
    {
        await access.RequireAsync(Roles.Operator, $"start a {kind} task");
        await rules.EnsureCanStartAsync(kind, machineId, ct);
        return await tasks.EnqueueAsync(kind, machineId, request, batchId, ct);
    }
}
