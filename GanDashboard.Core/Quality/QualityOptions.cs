using GanDashboard.Core.Profiles;

namespace GanDashboard.Core.Quality;

/// <summary>Pass/fail thresholds of each report section. Defaults from the project's quality notes.</summary>
public sealed record QualityGates
{
    /// <summary>SDMetrics overall score (mean of Column Shapes and Column Pair Trends).</summary>
    public double OverallMin { get; init; } = 0.85;
    public double ColumnShapesMin { get; init; } = 0.85;
    public double ColumnPairTrendsMin { get; init; } = 0.85;
    /// <summary>Mean BoundaryAdherence/CategoryAdherence against the real data (SDMetrics Data Validity).</summary>
    public double DataValidityMin { get; init; } = 0.95;
    /// <summary>Mean of the temporal sub-scores (run lengths, autocorrelation, dwell times, warning-to-failure).</summary>
    public double TemporalScoreMin { get; init; } = 0.8;
    /// <summary>Largest per-sensor lag-1 autocorrelation gap allowed (the run-aware TVAE's 0.1 target).</summary>
    public double AutocorrelationGapMax { get; init; } = 0.1;
    /// <summary>TSTR RMSE over TRTR RMSE: within 20 % of the train-on-real baseline.</summary>
    public double RmseRatioMax { get; init; } = 1.2;
    /// <summary>TSTR NASA score over TRTR NASA score: within 20 % as well.</summary>
    public double NasaScoreRatioMax { get; init; } = 1.2;
    /// <summary>Share of synthetic rows that copy a real row: none allowed.</summary>
    public double ExactMatchShareMax { get; init; } = 0;
    /// <summary>
    /// SDMetrics' DCROverfittingProtection, min(2 x (1 - share of synthetic rows closer to training than to unseen rows), 1),
    /// on equal-sized samples: 0.9 allows at most 55 % closer to training.
    /// </summary>
    public double DcrOverfittingProtectionMin { get; init; } = 0.9;
}

/// <summary>What the quality report measures and how.</summary>
public sealed record QualityOptions
{
    /// <summary>Columns that identify rows rather than describe them; left out of fidelity and memorisation.</summary>
    public IReadOnlyList<string> IdentifierColumns { get; init; } = ["run_id", "step", "timestamp"];

    /// <summary>
    /// Columns that count time within a run (as <c>step</c> does, in other units): left out of the memorisation distances
    /// only. With them, a synthetic row's operating hours and remaining life together named its run's length, so a
    /// generator that learnt the seed's run lengths looked like one that copies rows (one motor model: 0.82 with them,
    /// the identifiers alone deciding much of it), while the values a row records are what privacy is about.
    /// </summary>
    public IReadOnlyList<string> TimeIndexColumns { get; init; } = ["operating_hours"];

    /// <summary>Numeric columns to score as categories (SDMetrics sdtype categorical).</summary>
    public IReadOnlyList<string> DiscreteColumns { get; init; } = [];

    /// <summary>The machine profile: sensors, observability and warning thresholds for the temporal and usefulness sections.</summary>
    public MachineProfile? Profile { get; init; }

    public QualityGates Gates { get; init; } = new();

    /// <summary>Train the TSTR/TRTR regressors (the slowest section).</summary>
    public bool IncludeUsefulness { get; init; } = true;

    /// <summary>Usefulness and memorisation are judged only on at least this many unseen runs (rows, for a table without runs).</summary>
    public int MinimumUnseenRuns { get; init; } = 30;

    /// <summary>Share of real runs held out when no table of unseen runs is given (the figures are then shown, not judged).</summary>
    public double HoldoutFraction { get; init; } = 0.2;

    /// <summary>Seed of every random choice (holdout runs, samples, regressor), so a report is reproducible.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Synthetic rows sampled for distance-to-closest-record (brute force; the real sides are taken whole, see MemorisationEvaluator).</summary>
    public int DcrSampleRows { get; init; } = 2000;

    /// <summary>FastTree settings of the usefulness regressor.</summary>
    public int RegressorTrees { get; init; } = 100;
    public int RegressorLeaves { get; init; } = 20;

    /// <summary>The TSTR model is "too easy" when its RMSE on held-out synthetic runs is below this share of its RMSE on real runs.</summary>
    public double TooEasyRatio { get; init; } = 0.5;

    /// <summary>Statistics backed by fewer runs than this get a warning.</summary>
    public int MinimumRuns { get; init; } = 50;
}
