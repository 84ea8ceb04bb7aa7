using GanDashboard.Web.Machines;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using GanDashboard.Web.Access;

namespace GanDashboard.Web.Api;

/// <summary>
/// Workflow and monitoring routes:
/// POST /api/gan/machines/{id}/seed|train|generate|validate|pipeline · GET /api/gan/machines/{id}/validate · GET /api/gan/machines/{id}/model · GET /api/gan/machines/{id}/status · GET /api/gan/machines/{id}/datasets/{split} ·
/// GET /api/gan/tasks · GET /api/gan/tasks/{task_id} · POST /api/gan/tasks/{task_id}/cancel|pause|resume|retry ·
/// POST /api/gan/batch/seed|train|generate · GET /api/gan/health · GET /api/gan/statistics
/// </summary>
public static class WorkflowApi
{
    public static RouteGroupBuilder MapWorkflowApi(this RouteGroupBuilder api)
    {
        // Reading is the group's viewer rule; changing needs an operator.
        var operate = api.MapGroup("").RequireAuthorization(Policies.Operator);
        // Starting work is also rate-limited per caller (429 problem details).
        var starts = operate.MapGroup("").RequireRateLimiting(RateLimits.TaskStarts);
        starts.MapPost("/machines/{id}/seed", SeedAsync);
        starts.MapPost("/machines/{id}/train", TrainAsync);
        starts.MapPost("/machines/{id}/generate", (string id, GenerateRequest? request, WorkflowStarter start, CancellationToken ct) =>
            start.StartAsync("generate", id, request ?? new GenerateRequest(), ct));
        starts.MapGet("/machines/{id}/validate", LatestReportOrStartAsync);
        starts.MapPost("/machines/{id}/validate", (string id, ValidateRequest? request, WorkflowStarter start, CancellationToken ct) =>
            start.StartAsync("validate", id, request ?? new ValidateRequest(), ct));
        starts.MapPost("/machines/{id}/pipeline", (string id, PipelineRequest? request, WorkflowStarter start, CancellationToken ct) =>
            start.StartAsync("pipeline", id, request ?? new PipelineRequest(), ct));
        api.MapGet("/machines/{id}/status", StatusAsync);
        api.MapGet("/machines/{id}/model", DownloadModelAsync);
        api.MapGet("/machines/{id}/datasets/{split}", DownloadDatasetAsync);
        api.MapGet("/tasks", ListTasksAsync);
        api.MapGet("/tasks/{taskId}", GetTaskAsync);
        operate.MapPost("/tasks/{taskId}/cancel", (string taskId, TaskService tasks, CancellationToken ct) => RespondAsync(tasks, tasks.CancelAsync(taskId, ct), ct));
        operate.MapPost("/tasks/{taskId}/pause", (string taskId, TaskService tasks, CancellationToken ct) => RespondAsync(tasks, tasks.PauseAsync(taskId, ct), ct));
        operate.MapPost("/tasks/{taskId}/resume", (string taskId, TaskService tasks, CancellationToken ct) => RespondAsync(tasks, tasks.ResumeAsync(taskId, ct), ct));
        starts.MapPost("/tasks/{taskId}/retry", (string taskId, TaskService tasks, CancellationToken ct) => RespondAsync(tasks, tasks.RetryAsync(taskId, ct), ct));
        starts.MapPost("/batch/seed", (BatchRequest<SeedRequest> request, BatchService batch, CancellationToken ct) =>
            batch.StartAsync("seed", request.MachineIds, request.Options ?? new SeedRequest(), ct));
        starts.MapPost("/batch/train", (BatchRequest<TrainRequest> request, BatchService batch, CancellationToken ct) =>
            batch.StartAsync("train", request.MachineIds, request.Options ?? new TrainRequest(), ct));
        starts.MapPost("/batch/generate", (BatchRequest<GenerateRequest> request, BatchService batch, CancellationToken ct) =>
            batch.StartAsync("generate", request.MachineIds, request.Options ?? new GenerateRequest(), ct));
        api.MapGet("/health", HealthAsync).AllowAnonymous();
        api.MapGet("/statistics", StatisticsAsync);
        return api;
    }

    private static Task<Accepted<TaskResponse>> SeedAsync(string id, SeedRequest? request, WorkflowStarter start, CancellationToken ct)
    {
        request ??= new SeedRequest();
        if (request.Samples is <= 0 || request.Runs is <= 0)
            throw new ArgumentException("samples and runs must be positive.");
        return start.StartAsync("seed", id, request, ct);
    }

    /// <summary>The plan's training response: the task, its WebSocket and a time estimate.</summary>
    private static async Task<Accepted<TrainingResponse>> TrainAsync(string id, TrainRequest? request, WorkflowStarter start, GanManager manager, CancellationToken ct)
    {
        request ??= new TrainRequest();
        if (request.Epochs < 1 || request.BatchSize < 1) throw new ArgumentException("epochs and batch_size must be positive.");
        var accepted = await start.StartAsync("train", id, request, ct);
        var task = accepted.Value!;
        var seed = await manager.LatestSeedAsync(task.MachineId, ct);
        // About 3 ms per batch step on the reference machine (README), plus a second for the transformer.
        int rows = seed?.Samples ?? 10_000, epochs = request.EpochsFor(rows);
        double steps = Math.Ceiling(rows * (1 - request.ValidationFraction) / request.BatchSize) * epochs;
        var response = new TrainingResponse(true, task.MachineId, task.TaskId, epochs, Math.Round((steps * 0.003 + 1) / 60, 2), task.WebsocketUrl, "Training started");
        return TypedResults.Accepted(accepted.Location, response);
    }

    private static async Task<IResult> LatestReportOrStartAsync(string id, GanManager manager, WorkflowStarter start, CancellationToken ct)
    {
        string machineId = ApiIds.Machine(id);
        var report = await manager.LatestReportAsync(machineId, ct);
        if (report is not null) return TypedResults.Text(report.ReportJson, "application/json");
        return await start.StartAsync("validate", machineId, new ValidateRequest(), ct);
    }

    private static async Task<IResult> DownloadModelAsync(string id, IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths, CancellationToken ct)
    {
        string machineId = ApiIds.Machine(id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().Where(m => m.MachineId == machineId).OrderByDescending(m => m.TrainedAt).FirstOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException($"Machine '{machineId}' has no trained model yet.");
        return TypedResults.PhysicalFile(paths.Full(model.ModelPath), "application/zip", $"{machineId}.gdm");
    }

    private static async Task<Ok<WorkflowStatus>> StatusAsync(string id, GanManager manager, CancellationToken ct) =>
        TypedResults.Ok(await manager.StatusAsync(ApiIds.Machine(id), ct));

    /// <summary><c>split</c> is seed, train, val or test; <c>format</c> parquet (default) or csv (converted on the fly).</summary>
    private static async Task<IResult> DownloadDatasetAsync(string id, string split, string? format, IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths, CancellationToken ct)
    {
        string machineId = ApiIds.Machine(id);
        if (split is not ("seed" or "train" or "val" or "test")) throw new ArgumentException($"Unknown split '{split}': use seed, train, val or test.");
        format ??= "parquet";
        if (format is not ("parquet" or "csv")) throw new ArgumentException($"Unknown format '{format}': use parquet or csv.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.MachineId == machineId && d.DatasetType == split)
            .OrderByDescending(d => d.GeneratedAt).FirstOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException($"Machine '{machineId}' has no {split} dataset yet.");
        string file = paths.Full(dataset.FilePath);
        string stem = $"{machineId}_{split}";
        if (Path.GetExtension(file).Equals("." + format, StringComparison.OrdinalIgnoreCase))
            return TypedResults.PhysicalFile(file, format == "csv" ? "text/csv" : "application/vnd.apache.parquet", $"{stem}.{format}");
        var table = await GanDashboard.Core.Tables.TableFile.ReadAsync(file, ct);
        using var buffer = new MemoryStream();
        if (format == "csv")
        {
            await using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(false), leaveOpen: true))
                GanDashboard.Core.Tables.Csv.Write(table, writer);
            return TypedResults.File(buffer.ToArray(), "text/csv", $"{stem}.csv");
        }
        await using (var writer = new GanDashboard.Core.Tables.ParquetTableWriter(buffer)) await writer.WriteAsync(table, ct);
        return TypedResults.File(buffer.ToArray(), "application/vnd.apache.parquet", $"{stem}.parquet");
    }

    private static async Task<Ok<List<TaskResponse>>> ListTasksAsync(
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "machine_id")] string? machineId, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "batch_id")] string? batchId,
        TaskService tasks, CancellationToken ct)
    {
        if (machineId is not null) machineId = ApiIds.Machine(machineId);
        var list = await tasks.ListAsync(machineId, batchId, 200, ct);
        return TypedResults.Ok(list.Select(t => TaskResponse.From(t, null)).ToList());
    }

    private static async Task<Results<Ok<TaskResponse>, NotFound>> GetTaskAsync(string taskId, TaskService tasks, CancellationToken ct) =>
        await tasks.GetAsync(taskId, ct) is { } task ? TypedResults.Ok(TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct))) : TypedResults.NotFound();

    private static async Task<Ok<TaskResponse>> RespondAsync(TaskService tasks, Task<TaskRecord> action, CancellationToken ct)
    {
        var task = await action;
        return TypedResults.Ok(TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct)));
    }

    private static async Task<Ok<HealthResponse>> HealthAsync(IDbContextFactory<GanDashboardDb> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await StoreCounts.ReadAsync(db, ct);
        return TypedResults.Ok(new HealthResponse("healthy", typeof(WorkflowApi).Assembly.GetName().Version?.ToString() ?? "1.0",
            db.Database.ProviderName ?? "unknown", counts.Machines, counts.RunningTasks, counts.PendingTasks, TorchSharp.torch.TryInitializeDeviceType(TorchSharp.DeviceType.CPU)));
    }

    private static async Task<Ok<StatisticsResponse>> StatisticsAsync(IDbContextFactory<GanDashboardDb> dbFactory, GanManager manager, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await StoreCounts.ReadAsync(db, ct);
        return TypedResults.Ok(new StatisticsResponse(counts.Machines, counts.Models, counts.Datasets, counts.RunningTasks, manager.Statistics(), manager.CacheStatistics()));
    }
}
