using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Generation;

/// <summary>The run-aware mode's targets (issue 6), measured on one synthetic dataset against its seed.</summary>
/// <param name="RulExactShare">Share of synthetic runs whose RUL falls by exactly one interval per step to 0.</param>
/// <param name="HealthMonotoneShare">Share of runs whose health state never improves (and health index never rises).</param>
/// <param name="MaxLag1Gap">Largest per-sensor gap of pooled within-run lag-1 autocorrelation (target at most 0.1).</param>
/// <param name="CriterionTrendShare">Share of non-sudden runs whose criterion Spearman rho against time over the degradation phase is at least 0.8 (target at least 0.9).</param>
/// <param name="Overall">SDMetrics overall quality, identifiers left out (target at least 0.85 and at most 0.02 below the plain TVAE's).</param>
/// <param name="RmseRatio">TSTR over TRTR RMSE on held-out seed runs (target at most 1.2).</param>
public sealed record RunAwareTargetResult(
    double RulExactShare, double HealthMonotoneShare, double? MaxLag1Gap, IReadOnlyDictionary<string, double?> Lag1Gaps,
    double CriterionTrendShare, int TrendRuns, double? Overall, double? RmseRatio, double ExactMatchShare)
{
    public const double Lag1GapMax = 0.1, TrendSpearmanMin = 0.8, TrendShareMin = 0.9, OverallMin = 0.85, RmseRatioMax = 1.2;

    /// <summary>The full quality report behind these figures (its verdict, usefulness, memorisation and physics checks).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public QualityReport? Report { get; init; }

    /// <summary>The report's verdict (passed, failed, not_judged).</summary>
    public string? Verdict => Report?.Verdict.ToString();
    /// <summary>TSTR over TRTR PHM08 score (one cut per unseen run, d in steps, RUL capped; gated) and its 90 % interval over unseen runs.</summary>
    public double? PhmRatio => Report?.Usefulness?.NasaScoreRatio;
    public double? PhmPerRowRatio => Report?.Usefulness?.NasaScorePerRowRatio;
    public Quality.Usefulness.BootstrapInterval? RmseRatioInterval => Report?.Usefulness?.RmseRatioInterval;
    public Quality.Usefulness.BootstrapInterval? PhmRatioInterval => Report?.Usefulness?.NasaScoreRatioInterval;
    public int? UnseenRuns => Report?.Data.UnseenRuns;
    /// <summary>SDMetrics' DCROverfittingProtection on equal-sized training and unseen samples (gate at least 0.9).</summary>
    public double? DcrOverfittingProtection => Report?.Memorisation?.OverfittingProtection?.Score;
    /// <summary>The end-of-life checks against the seed and every failed hard physics or label check.</summary>
    public IReadOnlyList<RunCheck> EndOfLife =>
        (Report?.AdditionalSections.GetValueOrDefault("physics") as RunCheckReport)?.Checks
            .Where(c => c.Name.StartsWith("criterion_reached", StringComparison.Ordinal) || c.Name.StartsWith("end_of_life", StringComparison.Ordinal)).ToList() ?? [];
    public IReadOnlyList<string> FailedChecks =>
        (Report?.AdditionalSections.GetValueOrDefault("physics") as RunCheckReport)?.Checks.Where(c => c.Hard && !c.Passed).Select(c => c.Name).ToList() ?? [];
}

public static class RunAwareTargets
{
    public static RunAwareTargetResult Measure(Table seed, Table synthetic, MachineProfile profile, Table? holdout = null, bool usefulness = true)
    {
        var checks = RunChecker.Check(synthetic, profile);
        double Share(string name) => checks.Find(name)?.Value ?? 0;
        var report = QualityEvaluator.Evaluate(seed, synthetic, new QualityOptions { Profile = profile, IncludeUsefulness = usefulness }, holdout);
        var gaps = report.Temporal?.Autocorrelation.ToDictionary(a => a.Sensor, a => a.Gap, StringComparer.Ordinal) ?? new Dictionary<string, double?>();
        var (trendShare, trendRuns) = CriterionTrendShare(synthetic, MachinePhysics.From(profile));
        double monotone = Math.Min(Share("health_state_monotone"), checks.Find("health_index_monotone")?.Value ?? 1);
        return new RunAwareTargetResult(Share("rul_steps"), monotone, report.Temporal?.MaxAutocorrelationGap, gaps, trendShare, trendRuns,
            report.Overall, report.Usefulness?.RmseRatio, report.Memorisation?.ExactMatchShare ?? 0)
        {
            Report = report,
        };
    }

    /// <summary>
    /// Per run (failure modes that are not sudden), Spearman's rho of the criterion sensor minus its operating-mode
    /// baseline, signed by its direction, against time over the rows past healthy; the share of runs at 0.8 or more.
    /// </summary>
    public static (double Share, int Runs) CriterionTrendShare(Table table, MachinePhysics physics)
    {
        var trends = CriterionTrends(table, physics);
        int good = trends.Count(t => t.Rho >= RunAwareTargetResult.TrendSpearmanMin);
        return (trends.Count == 0 ? 1 : (double)good / trends.Count, trends.Count);
    }

    /// <summary>One run's criterion trend: its failure mode (profile index), Spearman's rho and the signal it was measured on.</summary>
    public sealed record CriterionTrend(int FailureMode, double Rho, double[] Signal);

    /// <summary>The criterion trend of every run that counts for <see cref="CriterionTrendShare"/>.</summary>
    public static IReadOnlyList<CriterionTrend> CriterionTrends(Table table, MachinePhysics physics)
    {
        var runs = RunIndex.Of(table) ?? throw new ArgumentException("The table has no runs.", nameof(table));
        var failure = table[SeedColumns.FailureMode].Labels!;
        var mode = table[SeedColumns.OperatingMode].Labels!;
        var state = table[SeedColumns.HealthState].Labels!;
        var ambient = physics.AmbientSensor >= 0 ? table[physics.Sensors[physics.AmbientSensor].Name].Numbers : null;
        var trends = new List<CriterionTrend>();
        foreach (var run in runs.Rows)
        {
            int f = physics.FailureModeIndex(failure[run[^1]]);
            if (f < 0 || physics.FailureModes[f].IsSudden) continue;
            var sensor = physics.Sensors[physics.FailureModes[f].CriterionSensor];
            var values = table[sensor.Name].Numbers!;
            var signal = new List<double>();
            foreach (int r in run)
            {
                if (state[r] == physics.HealthStates[0]) continue;
                int m = physics.ModeIndex(mode[r]);
                double baseline = m >= 0 ? physics.Baseline(m, sensor.Index, ambient?[r] ?? physics.AmbientReference) : sensor.Typical;
                signal.Add(sensor.Sign * (values[r] - baseline));
            }
            if (signal.Count < RunCheckAccumulator.MinDegradationRows) continue;
            var array = signal.ToArray();
            trends.Add(new CriterionTrend(f, RunStatistics.SpearmanAgainstTime(array), array));
        }
        return trends;
    }
}
