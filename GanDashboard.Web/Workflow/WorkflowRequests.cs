namespace GanDashboard.Web.Workflow;

// Requests and responses of the workflow, named as in the product plan (snake_case on the wire).

/// <summary>POST /machines/{id}/seed: rows (the plan's <c>samples</c>) or whole runs.</summary>
public sealed record SeedRequest
{
    public int? Samples { get; init; }
    public int? Runs { get; init; }
    public ulong? Seed { get; init; }

    public int EffectiveSamples => Samples ?? (Runs is null ? 10_000 : 0);
}

/// <summary>The plan's SeedGenerationResponse plus what the checks found.</summary>
public sealed record SeedGenerationResponse(
    string MachineId, Guid DatasetId, long SamplesGenerated, int Runs, string FilePath, double FileSizeMb,
    double GenerationTimeSeconds, bool ChecksPassed, IReadOnlyList<string> FailedChecks);

/// <summary>Where a machine is in the workflow (GET /machines/{id}/status).</summary>
public sealed record WorkflowStatus(
    string MachineId, bool HasSeedData, bool HasModel, bool HasSyntheticData, bool HasValidation,
    string NextStep, DatasetSummary? SeedData, ModelSummary? Model, GenerationSummary? LatestGeneration,
    double? QualityScore, bool? ValidationPassed, IReadOnlyList<TaskSummary> ActiveTasks);

public sealed record DatasetSummary(Guid DatasetId, string DatasetType, int Samples, int Runs, double FileSizeMb, DateTime GeneratedAt, bool? ChecksPassed);

public sealed record ModelSummary(Guid ModelId, string Mode, int Epochs, double? FinalLoss, double? FinalValidationLoss, double TrainingTimeSeconds, DateTime TrainedAt);

public sealed record GenerationSummary(Guid GenerationId, IReadOnlyList<DatasetSummary> Splits, DateTime GeneratedAt);

public sealed record TaskSummary(string TaskId, string Kind, string Status, double Progress, string? Message);
