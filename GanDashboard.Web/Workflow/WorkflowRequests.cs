using GanDashboard.Tvae.Training;
namespace GanDashboard.Web.Workflow;

// Requests and responses of the workflow, named as in the product plan (snake_case on the wire).

/// <summary>POST /machines/{id}/seed: whole runs (default <see cref="DefaultRuns"/>) or rows (the plan's <c>samples</c>).</summary>
public sealed record SeedRequest
{
    /// <summary>Seed runs when neither runs nor samples are given: enough for run statistics and a fair usefulness test.</summary>
    public const int DefaultRuns = GanDashboard.Core.Seeding.SeedOptions.DefaultRuns;

    public int? Samples { get; init; }
    public int? Runs { get; init; }
    /// <summary>Null: derived from the machine id (see <c>MachineSeeds</c>).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Runs to simulate when no row count is given.</summary>
    public int EffectiveRuns => Runs ?? DefaultRuns;
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

/// <summary>POST /machines/{id}/train (the plan's TrainingRequest, plus the options users ask for).</summary>
public sealed record TrainRequest
{
    /// <summary>Epochs when the request names none and the seed data is small (the plan's default).</summary>
    public const int DefaultEpochs = TrainingBudget.DefaultEpochs;

    /// <summary>Null: <see cref="DefaultEpochs"/>, or fewer for large seed data (see <see cref="TrainingBudget"/>).</summary>
    public int? Epochs { get; init; }
    public int BatchSize { get; init; } = 500;
    public long? Seed { get; init; }
    /// <summary>Share of seed rows held out for the validation loss (0 turns it off).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Save a checkpoint every this many epochs (pause/resume and crash recovery use it).</summary>
    public int CheckpointEvery { get; init; } = 10;
    /// <summary><c>auto</c> (run-aware when the seed data has runs), <c>run_aware</c> or <c>plain</c>.</summary>
    public string Mode { get; init; } = "auto";

    /// <summary>The epochs to train for on <paramref name="rows"/> seed rows: the requested ones, else the default within the step budget (at least 30).</summary>
    public int EpochsFor(long rows)
    {
        return Epochs ?? TrainingBudget.DefaultEpochsFor(rows, ValidationFraction, BatchSize);
    }
}

/// <summary>The plan's TrainingResponse.</summary>
public sealed record TrainingResponse(
    bool Success, string MachineId, string TaskId, int Epochs, double EstimatedTimeMinutes, string WebsocketUrl, string Message);

/// <summary>POST /machines/{id}/generate (the plan's GenerationRequest, plus scenario controls).</summary>
public sealed record GenerateRequest
{
    public int TrainSamples { get; init; } = 35_000;
    public int ValSamples { get; init; } = 7_500;
    public int TestSamples { get; init; } = 7_500;
    /// <summary>
    /// Run-aware models: the train split has at least this many runs, past <see cref="TrainSamples"/> if need be; null:
    /// as many as the seed data the model learned from, so a regressor trained on the synthetic runs is compared with one
    /// trained on as many real runs. 0: rows alone decide.
    /// </summary>
    public int? TrainRuns { get; init; }
    public long? Seed { get; init; }
    /// <summary><c>parquet</c> or <c>csv</c>.</summary>
    public string Format { get; init; } = "parquet";
    /// <summary>Scenario: share of runs per failure mode id (e.g. oversample a rare one); null keeps the seed's mix.</summary>
    public IReadOnlyDictionary<string, double>? FailureModeShares { get; init; }
    /// <summary>Scenario: share of steps per operating mode; null keeps the profile's.</summary>
    public IReadOnlyDictionary<string, double>? OperatingModeShares { get; init; }
}

/// <summary>The plan's SyntheticGenerationResponse.</summary>
public sealed record SyntheticGenerationResponse(
    string MachineId, Guid GenerationId, int TrainSamples, int ValSamples, int TestSamples, int TrainRuns, int ValRuns, int TestRuns,
    IReadOnlyDictionary<string, string> Files, double GenerationTimeSeconds);

/// <summary>GET|POST /machines/{id}/validate: which generation to judge (the newest when null).</summary>
public sealed record ValidateRequest
{
    public Guid? GenerationId { get; init; }
    /// <summary>Include the train-on-synthetic/test-on-real section (slower).</summary>
    public bool Usefulness { get; init; } = true;
    /// <summary>Fresh runs simulated from the profile to judge usefulness and memorisation on (at least 30 are needed to judge).</summary>
    public int UnseenRuns { get; init; } = GanDashboard.Core.Quality.UnseenRuns.Default;
    /// <summary>Seed of the unseen runs; null: derived from the machine id, independent of the seed data's.</summary>
    public ulong? UnseenSeed { get; init; }
}

/// <summary>POST /machines/{id}/pipeline: seed, train, generate and validate in one task ("Run full pipeline").</summary>
public sealed record PipelineRequest
{
    public SeedRequest Seed { get; init; } = new();
    public TrainRequest Train { get; init; } = new();
    public GenerateRequest Generate { get; init; } = new();
    public ValidateRequest Validate { get; init; } = new();
}
