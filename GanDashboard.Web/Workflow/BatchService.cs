using GanDashboard.Web.Api;
using GanDashboard.Web.Machines;
using GanDashboard.Storage;
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

    /// <summary>Running batches first, then the most recent finished ones, from the newest batched tasks.</summary>
    public async Task<IReadOnlyList<BatchSummary>> RecentAsync(int take, CancellationToken ct = default)
    {
        var batched = await tasks.ListBatchedAsync(take: 2000, ct);
        return batched.GroupBy(t => t.BatchId!)
            .Select(g => new BatchSummary(g.Key, g.Last().Kind, g.Min(t => t.CreatedAt),
                g.Select(t => t.MachineId).Distinct(StringComparer.Ordinal).Count(), g.Count(t => TaskStatuses.IsActive(t.Status))))
            .OrderByDescending(b => b.Active > 0).ThenByDescending(b => b.StartedAt)
            .Take(take).ToList();
    }
}

/// <summary>One batch as the Batch page lists it: its step, when it started, its machines and how many still run or wait.</summary>
public sealed record BatchSummary(string BatchId, string Kind, DateTime StartedAt, int Machines, int Active);
