using GanDashboard.Web.Api;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GanDashboard.Web.Workflow;

/// <summary>Starts one task per machine under a shared batch id; machines that cannot start are reported, not fatal.</summary>
public sealed class BatchService(MachineService machines, TaskService tasks, WorkflowRules rules)
{
    public const int MaxMachinesPerBatch = 200;

    public async Task<Accepted<BatchResponse>> StartAsync<T>(string kind, IReadOnlyList<string> machineIds, T request, CancellationToken ct)
        where T : notnull
    {
        if (machineIds.Count == 0) throw new ArgumentException("machine_ids is empty: name at least one machine.");
        if (machineIds.Count > MaxMachinesPerBatch) throw new ArgumentException($"A batch takes at most {MaxMachinesPerBatch} machines.");
        string batchId = Guid.NewGuid().ToString();
        var started = new List<TaskResponse>();
        var rejected = new List<BatchRejection>();
        foreach (string id in machineIds.Distinct(StringComparer.Ordinal))
        {
            try
            {
                string machineId = ApiIds.Machine(id);
                _ = await machines.ProfileOfAsync(machineId, ct);
                await rules.EnsureCanStartAsync(kind, machineId, ct);
                var task = await tasks.EnqueueAsync(kind, machineId, request, batchId, ct);
                started.Add(TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct)));
            }
            catch (Exception e) when (e is KeyNotFoundException or WorkflowException or ArgumentException)
            {
                rejected.Add(new BatchRejection(id, e.Message));
            }
        }
        return TypedResults.Accepted($"/api/gan/tasks?batch_id={batchId}", new BatchResponse(batchId, started, rejected));
    }
}
