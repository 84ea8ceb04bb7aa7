using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Workflow;

public sealed partial class GanManager
{
    // The status route is the dashboard's most frequent read. Its queries are compiled once (no expression-tree
    // work per request) and project only the columns the answer shows: a model row carries its whole epoch
    // history and a report row its whole report, which the status never needs. Six queries, whatever the
    // number of datasets, models, reports or tasks, on one connection (GanDashboard.Tests/Web/QueryCountTests).
    // Compiled per manager (one per host), not per process: a compiled query is bound to the model it first ran with,
    // and EF Core refuses it on another provider's model (a test process hosts SQLite and PostgreSQL apps side by side).
    private readonly Func<GanDashboardDb, string, CancellationToken, Task<bool>> MachineExists =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId, CancellationToken ct) => db.Machines.Any(m => m.MachineId == machineId));

    private readonly Func<GanDashboardDb, string, CancellationToken, Task<DatasetRow?>> LatestSeedRow =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId, CancellationToken ct) => db.Datasets
            .Where(d => d.MachineId == machineId && d.DatasetType == "seed").OrderByDescending(d => d.GeneratedAt)
            .Select(d => new DatasetRow(d.Id, d.DatasetType, d.Samples, d.Runs, d.SizeBytes, d.GeneratedAt, d.ValidationPassed, d.GenerationId))
            .FirstOrDefault());

    private readonly Func<GanDashboardDb, string, CancellationToken, Task<ModelSummary?>> LatestModelSummary =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId, CancellationToken ct) => db.Models
            .Where(m => m.MachineId == machineId).OrderByDescending(m => m.TrainedAt)
            .Select(m => new ModelSummary(m.Id, m.Mode, m.Epochs, m.FinalLoss, m.FinalValidationLoss, m.TrainingTimeSeconds, m.TrainedAt))
            .FirstOrDefault());

    /// <summary>The splits of the machine's newest generation, in one query (the generation id is a subquery).</summary>
    private readonly Func<GanDashboardDb, string, IAsyncEnumerable<DatasetRow>> LatestGenerationRows =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId) => db.Datasets
            .Where(d => d.MachineId == machineId && d.GenerationId != null && d.GenerationId == db.Datasets
                .Where(x => x.MachineId == machineId && x.GenerationId != null).OrderByDescending(x => x.GeneratedAt)
                .Select(x => x.GenerationId).FirstOrDefault())
            .Select(d => new DatasetRow(d.Id, d.DatasetType, d.Samples, d.Runs, d.SizeBytes, d.GeneratedAt, d.ValidationPassed, d.GenerationId)));

    private readonly Func<GanDashboardDb, string, CancellationToken, Task<ReportRow?>> LatestReportRow =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId, CancellationToken ct) => db.ValidationReports
            .Where(r => r.MachineId == machineId).OrderByDescending(r => r.CreatedAt)
            .Select(r => new ReportRow(r.Overall, r.Passed))
            .FirstOrDefault());

    private readonly Func<GanDashboardDb, string, IAsyncEnumerable<TaskSummary>> ActiveTaskSummaries =
        EF.CompileAsyncQuery((GanDashboardDb db, string machineId) => db.Tasks
            .Where(t => t.MachineId == machineId && (t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started || t.Status == TaskStatuses.Paused))
            .OrderBy(t => t.CreatedAt)
            .Select(t => new TaskSummary(t.TaskId, t.Kind, t.Status, t.Progress, t.Message)));

    public async Task<WorkflowStatus> StatusAsync(string machineId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One connection for the six queries: each open and close of a pooled SQLite connection takes the pool's lock
        // and (re)registers EF's SQL functions, and under 32 concurrent readers that lock was the main wait (dotnet-trace).
        await db.Database.OpenConnectionAsync(ct);
        if (!await MachineExists(db, machineId, ct)) throw new KeyNotFoundException($"No machine '{machineId}'.");
        DatasetRow? seed = await LatestSeedRow(db, machineId, ct);
        ModelSummary? model = await LatestModelSummary(db, machineId, ct);
        var splits = new List<DatasetRow>();
        await foreach (var split in LatestGenerationRows(db, machineId).WithCancellation(ct)) splits.Add(split);
        var generation = splits.Count == 0 ? null : new GenerationSummary(splits[0].GenerationId!.Value,
            splits.OrderBy(s => SplitOrder(s.DatasetType)).Select(s => s.Summary()).ToList(), splits.Max(s => s.GeneratedAt));
        ReportRow? report = await LatestReportRow(db, machineId, ct);
        var active = new List<TaskSummary>();
        await foreach (var task in ActiveTaskSummaries(db, machineId).WithCancellation(ct)) active.Add(task);
        string next = seed is null ? "seed" : model is null ? "train" : generation is null ? "generate" : report is null ? "validate" : "done";
        return new WorkflowStatus(machineId, seed is not null, model is not null, generation is not null, report is not null, next,
            seed?.Summary(), model, generation, report?.Overall, report?.Passed, active);
    }

    private static int SplitOrder(string type) => type switch { "train" => 0, "val" => 1, "test" => 2, _ => 3 };

    /// <summary>The columns of a dataset row that a status shows.</summary>
    private sealed record DatasetRow(Guid Id, string DatasetType, int Samples, int Runs, long SizeBytes, DateTime GeneratedAt, bool? ValidationPassed, Guid? GenerationId)
    {
        public DatasetSummary Summary() => new(Id, DatasetType, Samples, Runs, Math.Round(SizeBytes / 1048576.0, 3), GeneratedAt, ValidationPassed);
    }

    private sealed record ReportRow(double Overall, bool Passed);
}
