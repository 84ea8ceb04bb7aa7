namespace GanDashboard.Web.Dashboard;

// What the dashboard pages show, read from the store by DashboardQueries and DatasetExplorer.

/// <summary>The headline numbers of the overview.</summary>
public sealed record OverviewCounts(int Machines, int Models, int Datasets, int RunningTasks, int PendingTasks);

/// <summary>One epoch of a training curve.</summary>
public sealed record EpochPoint(int Epoch, double Loss, double? ValidationLoss);

/// <summary>A trained model with its per-epoch curve.</summary>
public sealed record ModelRunView(
    Guid ModelId, string MachineId, string Mode, int Epochs, double? FinalLoss, double? FinalValidationLoss,
    double TrainingTimeSeconds, DateTime TrainedAt, IReadOnlyList<EpochPoint> History);

/// <summary>A stored data file (seed data or one synthetic split).</summary>
public sealed record DatasetView(
    Guid DatasetId, string MachineId, string Split, Guid? GenerationId, int Samples, int Runs, long SizeBytes,
    DateTime GeneratedAt, double? QualityScore, bool? ValidationPassed)
{
    public string Label => $"{MachineId} · {Split} · {GeneratedAt:yyyy-MM-dd HH:mm} · {Samples:N0} rows";
}

/// <summary>A validation report's headline, without its details.</summary>
public sealed record ReportSummary(Guid ReportId, string MachineId, Guid? GenerationId, double Overall, bool Passed, DateTime CreatedAt);

/// <summary>One page of a dataset, every value already formatted for display.</summary>
public sealed record DatasetPage(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, int TotalRows);

/// <summary>Summary statistics of one column (numbers for numeric columns, the commonest label otherwise).</summary>
public sealed record ColumnStatistics(
    string Column, string Kind, int Missing, double? Mean, double? Std, double? Min, double? Max, int Distinct, string? TopLabel);

/// <summary>Two distributions of one column over the same bins (shares that sum to 1 per side).</summary>
public sealed record DistributionComparison(string Column, IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Compared);

/// <summary>A sensor's values over the steps of a few runs of one dataset.</summary>
public sealed record RunTrajectories(string Sensor, IReadOnlyList<string> Runs, IReadOnlyList<IReadOnlyList<double>> Values);

/// <summary>How many runs have a remaining useful life that never increases from step to step.</summary>
public sealed record RulMonotonicity(int Runs, int MonotoneRuns)
{
    public double Share => Runs == 0 ? 0 : (double)MonotoneRuns / Runs;
}
