namespace GanDashboard.Core.Quality.Usefulness;

/// <summary>
/// One regressor: what it was trained and tested on, its RMSE (in RUL units) and its PHM08/NASA score (d = predicted -
/// true in steps, RUL capped at the profile's cap): <see cref="NasaScore"/> summed at one cut step per unseen run,
/// <see cref="NasaScorePerRow"/> the mean over every row (see <see cref="Phm"/>). NaN where not measured.
/// </summary>
public sealed record RegressorScores(string TrainedOn, string TestedOn, int TrainRows, int TestRows, double Rmse, double NasaScore, double NasaScorePerRow)
{
    public PhmScore? Phm { get; init; }
}

/// <summary>
/// Train on synthetic, test on real (TSTR) against train on real, test on real (TRTR), both tested on the same
/// held-out real runs. <see cref="TooEasy"/>: the synthetic-trained model does far better on held-out synthetic runs
/// than on real ones, i.e. the synthetic data is simpler than reality.
/// </summary>
public sealed record UsefulnessResult(
    string Target,
    IReadOnlyList<string> Features,
    RegressorScores Tstr,
    RegressorScores Trtr,
    RegressorScores TstrOnSynthetic,
    double RmseRatio,
    /// <summary>TSTR over TRTR PHM08 score summed at one uniformly drawn cut step per unseen run (the C-MAPSS test convention); shown, not gated (one late prediction decides it).</summary>
    double NasaScoreRatio,
    bool TooEasy,
    IReadOnlyList<string> Notes)
{
    /// <summary>Unseen runs (and their rows) both regressors were tested on: what every figure here rests on.</summary>
    public int UnseenRuns { get; init; }
    public int UnseenRows { get; init; }
    /// <summary>RUL units per step, read from the unseen runs; the PHM errors are in steps.</summary>
    public double RulPerStep { get; init; } = 1;
    /// <summary>The RUL cap in steps.</summary>
    public double CapSteps { get; init; }
    /// <summary>Steps per unit of the PHM error d (<see cref="Phm.ErrorUnit"/>): 1 unless the cap is longer than 125 steps.</summary>
    public double ErrorUnitSteps { get; init; } = 1;
    /// <summary>TSTR over TRTR PHM score as a mean over every row of the unseen runs (gated; the cut-sum ratio <see cref="NasaScoreRatio"/> is shown beside it).</summary>
    public double NasaScorePerRowRatio { get; init; } = double.NaN;
    /// <summary>90 % bootstrap interval over unseen runs of <see cref="RmseRatio"/> (the gate uses the point ratio).</summary>
    public BootstrapInterval? RmseRatioInterval { get; init; }
    /// <summary>90 % bootstrap intervals over unseen runs of <see cref="NasaScoreRatio"/> (the C-MAPSS cut sum) and of the per-row ratio (gated).</summary>
    public BootstrapInterval? NasaScoreRatioInterval { get; init; }
    public BootstrapInterval? NasaScorePerRowRatioInterval { get; init; }
}
