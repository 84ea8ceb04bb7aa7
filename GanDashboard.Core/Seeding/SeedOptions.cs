using GanDashboard.Core.Quality.RunChecks;

namespace GanDashboard.Core.Seeding;

/// <summary>
/// How much seed data to make: whole runs until at least <see cref="Rows"/> rows exist, or exactly
/// <see cref="Runs"/> runs (give one of them). The same profile, size and <see cref="Seed"/> always
/// give the same data, whatever <see cref="Parallelism"/> is.
/// </summary>
public sealed record SeedOptions
{
    public const int DefaultRows = 10_000;

    /// <summary>Seed runs the dashboard, API, CLI and batch simulate by default for a run-to-failure profile.</summary>
    public const int DefaultRuns = 100;

    public int? Rows { get; init; }
    public int? Runs { get; init; }
    public ulong Seed { get; init; } = 42;

    /// <summary>Replaces the profile's <c>labels.rul_cap</c> when set.</summary>
    public double? RulCapOverride { get; init; }

    /// <summary>Runs simulated at once; defaults to the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Roughly how many rows are simulated, checked and written together (one Parquet row group).</summary>
    public int BatchRows { get; init; } = 65_536;

    public static SeedOptions ForRows(int rows, ulong seed = 42) => new() { Rows = rows, Seed = seed };
    public static SeedOptions ForRuns(int runs, ulong seed = 42) => new() { Runs = runs, Seed = seed };

    internal void Validate()
    {
        if (Rows is null == Runs is null) throw new ArgumentException("Give either Rows or Runs.");
        if (Rows is <= 0 || Runs is <= 0) throw new ArgumentException("Rows and Runs must be positive.");
        if (Parallelism < 1) throw new ArgumentException("Parallelism must be at least 1.", nameof(Parallelism));
        if (BatchRows < 1) throw new ArgumentException("BatchRows must be at least 1.", nameof(BatchRows));
    }
}

/// <summary>What a seed generation produced (the product plan's SeedGenerationResponse, plus the checks).</summary>
public sealed record SeedGenerationResult(
    string MachineId, long Rows, int Runs, string FilePath, long SizeBytes, double Seconds,
    IReadOnlyDictionary<string, int> RunsPerFailureMode, string ManifestPath, RunCheckReport Checks);
