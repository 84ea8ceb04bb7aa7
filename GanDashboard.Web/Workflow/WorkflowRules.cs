using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Workflow;

/// <summary>What each step needs before it may start, checked when it is requested so the user hears it at once.</summary>
public sealed class WorkflowRules(IDbContextFactory<GanDashboardDb> dbFactory)
{
    public async Task EnsureCanStartAsync(string kind, string machineId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        switch (kind)
        {
            case "train":
                if (!await db.Datasets.AnyAsync(d => d.MachineId == machineId && d.DatasetType == "seed", ct))
                    throw new WorkflowException($"Machine '{machineId}' has no seed data yet: generate seed data before training.");
                break;
            case "generate":
                if (!await db.Models.AnyAsync(m => m.MachineId == machineId, ct))
                    throw new WorkflowException($"Machine '{machineId}' has no trained model yet: train a TVAE before generating data.");
                break;
            case "validate":
                if (!await db.Datasets.AnyAsync(d => d.MachineId == machineId && d.DatasetType == "train", ct))
                    throw new WorkflowException($"Machine '{machineId}' has no synthetic data yet: generate a dataset before validating it.");
                break;
        }
        if (kind is "train" or "pipeline" && await db.Tasks.AnyAsync(t => t.MachineId == machineId && (t.Kind == "train" || t.Kind == "pipeline") &&
                (t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started || t.Status == TaskStatuses.Paused), ct))
            throw new WorkflowException($"Machine '{machineId}' already has a training waiting, running or paused; cancel or finish it first.");
    }
}
