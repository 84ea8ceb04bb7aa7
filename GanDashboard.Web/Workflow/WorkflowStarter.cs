using GanDashboard.Web.Api;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GanDashboard.Web.Workflow;

/// <summary>Starts one workflow step for one machine: checks the id, the machine and the step's preconditions, then queues it.</summary>
public sealed class WorkflowStarter(MachineService machines, TaskService tasks, WorkflowRules rules)
{
    public async Task<Accepted<TaskResponse>> StartAsync<T>(string kind, string id, T request, CancellationToken ct) where T : notnull
    {
        string machineId = ApiIds.Machine(id);
        _ = await machines.ProfileOfAsync(machineId, ct);
        await rules.EnsureCanStartAsync(kind, machineId, ct);
        var task = await tasks.EnqueueAsync(kind, machineId, request, ct: ct);
        return TypedResults.Accepted($"/api/gan/tasks/{task.TaskId}", TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct)));
    }
}
