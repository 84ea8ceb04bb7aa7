using System.Text.Json;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Web.Workflow;

/// <summary>Runs a <c>train</c> task (pausable: it checkpoints and ends PAUSED when asked).</summary>
public sealed class TrainTaskHandler(GanManager manager) : ITaskHandler
{
    public string Kind => "train";

    public async Task<object?> RunAsync(TaskContext context) =>
        await manager.TrainAsync(context.Task.MachineId, Read<TrainRequest>(context), context);

    internal static T Read<T>(TaskContext context) where T : new() =>
        JsonSerializer.Deserialize<T>(context.Task.RequestJson, ApiJson.Options) ?? new T();
}

/// <summary>Runs a <c>generate</c> task: Train/Val/Test from the newest model.</summary>
public sealed class GenerateTaskHandler(GanManager manager) : ITaskHandler
{
    public string Kind => "generate";

    public async Task<object?> RunAsync(TaskContext context) =>
        await manager.GenerateSyntheticDataAsync(context.Task.MachineId, TrainTaskHandler.Read<GenerateRequest>(context),
            new Progress<double>(p => context.Report(p, "Sampling splits")), context.Cancellation);
}

/// <summary>Runs a <c>validate</c> task: the quality report of the newest (or a given) generation.</summary>
public sealed class ValidateTaskHandler(GanManager manager) : ITaskHandler
{
    public string Kind => "validate";

    public async Task<object?> RunAsync(TaskContext context)
    {
        var report = await manager.ValidateAsync(context.Task.MachineId, TrainTaskHandler.Read<ValidateRequest>(context),
            new Progress<string>(section => context.Report(50, $"Computing {section}")), context.Cancellation);
        return new { report_id = report.Id, overall = report.Overall, passed = report.Passed, generation_id = report.GenerationId };
    }
}

/// <summary>Runs the whole workflow for a machine in one task ("Run full pipeline"): seed, train, generate, validate.</summary>
public sealed class PipelineTaskHandler(GanManager manager) : ITaskHandler
{
    public string Kind => "pipeline";

    public async Task<object?> RunAsync(TaskContext context)
    {
        var request = TrainTaskHandler.Read<PipelineRequest>(context);
        string machineId = context.Task.MachineId;
        var ct = context.Cancellation;
        // An imported machine's seed data is its real runs: the pipeline trains on them as they are.
        var seed = await manager.IsImportedAsync(machineId, ct) ? null
            : await manager.GenerateSeedDataAsync(machineId, request.Seed, new Progress<double>(p => context.Report(p * 0.1, "Seed data")), ct);
        var model = await manager.TrainAsync(machineId, request.Train, context);
        var generation = await manager.GenerateSyntheticDataAsync(machineId, request.Generate,
            new Progress<double>(p => context.Report(90 + p * 0.05, "Generating splits")), ct);
        context.Report(95, "Validating");
        var report = await manager.ValidateAsync(machineId, request.Validate, null, ct);
        return new { seed, model, generation, validation = new { report_id = report.Id, overall = report.Overall, passed = report.Passed } };
    }
}
