namespace GanDashboard.Core.Quality.RunChecks;

/// <summary>
/// One quality check of run-to-failure data. A failed <see cref="Hard"/> check flags the dataset; a soft
/// one is shown as a warning (e.g. a statistic backed by fewer than 50 runs). <see cref="Threshold"/>
/// is null for figures that are only reported (monotonicity, trendability, prognosability).
/// </summary>
public sealed record RunCheck(string Name, bool Passed, double Value, double? Threshold, bool Hard, string Detail)
{
    /// <summary>Runs the check looked at, and how many of them fail it (null where the check is not per run).</summary>
    public int? Runs { get; init; }
    public int? FailingRuns { get; init; }
    /// <summary>The first run that fails it, to look at.</summary>
    public string? ExampleRunId { get; init; }
}

/// <summary>All checks of one dataset; <see cref="Passed"/> when no hard check failed.</summary>
public sealed record RunCheckReport(long Rows, int Runs, IReadOnlyList<RunCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed || !c.Hard);

    public IEnumerable<RunCheck> Failures => Checks.Where(c => !c.Passed);

    public RunCheck? Find(string name) => Checks.FirstOrDefault(c => c.Name == name);
}
