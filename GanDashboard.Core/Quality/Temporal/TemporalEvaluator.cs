using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.Fidelity;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.Temporal;

/// <summary>
/// Temporal fidelity of run-to-failure tables: run lengths per failure mode, each sensor's lag-1 autocorrelation
/// within runs, operating-mode dwell times and time from warning to failure, synthetic against real.
/// </summary>
public static class TemporalEvaluator
{
    /// <summary>Compares the runs of two run tables; null when either table is not a run table.</summary>
    public static TemporalResult? Evaluate(Table real, Table synthetic, MachineProfile? profile, int minimumRuns)
    {
        if (!RunColumns.IsRunTable(real) || !RunColumns.IsRunTable(synthetic)) return null;
        var realRuns = RunIndex.Of(real)!;
        var syntheticRuns = RunIndex.Of(synthetic)!;
        var notes = new List<string>();
        if (realRuns.Count < minimumRuns) notes.Add($"Only {realRuns.Count} real runs back the run statistics (fewer than {minimumRuns}).");

        var runLengths = CompareRunLengths(real, realRuns, synthetic, syntheticRuns);
        var sensors = RunColumns.Sensors(real, profile).Where(synthetic.Has).ToList();
        var autocorrelation = sensors.Select(s => new AutocorrelationComparison(
            s, Lag1(real[s], realRuns), Lag1(synthetic[s], syntheticRuns), null))
            .Select(a => a with { Gap = a.Real is { } r && a.Synthetic is { } y ? Math.Abs(r - y) : null })
            .ToList();
        var dwellTimes = CompareDwellTimes(real, realRuns, synthetic, syntheticRuns);
        var warning = CompareWarningToFailure(real, realRuns, synthetic, syntheticRuns, profile, notes);

        double? runLengthScore = FidelityEvaluator.MeanOf(runLengths.Select(r => (double?)r.Score));
        double? meanGap = FidelityEvaluator.MeanOf(autocorrelation.Select(a => a.Gap));
        double? maxGap = autocorrelation.Any(a => a.Gap is not null) ? autocorrelation.Max(a => a.Gap) : null;
        double? dwellScore = FidelityEvaluator.MeanOf(dwellTimes.Select(d => (double?)d.Score));
        double? autocorrelationScore = 1 - meanGap;
        double? score = FidelityEvaluator.MeanOf([runLengthScore, autocorrelationScore, dwellScore, warning?.Score]);
        return new TemporalResult(score, runLengthScore, autocorrelationScore, maxGap, dwellScore, warning?.Score,
            realRuns.Count, syntheticRuns.Count, runLengths, autocorrelation, dwellTimes, warning, notes);
    }

    /// <summary>The failure mode of a run: its last row's label.</summary>
    private static string FailureModeOf(Column failureMode, int[] run) => RunIndex.KeyOf(failureMode, run[^1]);

    private static List<RunLengthSimilarity> CompareRunLengths(Table real, RunIndex realRuns, Table synthetic, RunIndex syntheticRuns)
    {
        var realByMode = LengthsByMode(real, realRuns);
        var syntheticByMode = LengthsByMode(synthetic, syntheticRuns);
        return realByMode.Select(pair =>
        {
            var syntheticLengths = syntheticByMode.GetValueOrDefault(pair.Key) ?? [];
            // A failure mode the synthetic data never produces has no similar runs at all.
            double score = syntheticLengths.Count == 0 ? 0 : ColumnMetrics.KsComplement(pair.Value, syntheticLengths);
            return new RunLengthSimilarity(pair.Key, pair.Value.Count, syntheticLengths.Count, pair.Value.Average(),
                syntheticLengths.Count == 0 ? null : syntheticLengths.Average(), score);
        }).ToList();
    }

    private static Dictionary<string, List<double>> LengthsByMode(Table table, RunIndex runs)
    {
        var failureMode = table[RunColumns.FailureMode];
        var byMode = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var run in runs.Rows)
        {
            string mode = FailureModeOf(failureMode, run);
            if (!byMode.TryGetValue(mode, out var lengths)) byMode[mode] = lengths = [];
            lengths.Add(run.Length);
        }
        return byMode;
    }

    /// <summary>Pearson's r between each value and the next one of the same run, pooled over runs.</summary>
    internal static double? Lag1(Column sensor, RunIndex runs)
    {
        var values = sensor.Numbers!;
        var current = new List<double>();
        var next = new List<double>();
        foreach (var run in runs.Rows)
        {
            for (int i = 0; i + 1 < run.Length; i++)
            {
                current.Add(values[run[i]]);
                next.Add(values[run[i + 1]]);
            }
        }
        if (current.Count < 2) return null;
        double r = PairMetrics.Pearson(current, next);
        return double.IsNaN(r) ? null : r;
    }

    private static List<DwellTimeSimilarity> CompareDwellTimes(Table real, RunIndex realRuns, Table synthetic, RunIndex syntheticRuns)
    {
        var realSpells = SpellsByMode(real, realRuns);
        var syntheticSpells = SpellsByMode(synthetic, syntheticRuns);
        return realSpells.Select(pair =>
        {
            var other = syntheticSpells.GetValueOrDefault(pair.Key) ?? [];
            double score = other.Count == 0 ? 0 : ColumnMetrics.KsComplement(pair.Value, other);
            return new DwellTimeSimilarity(pair.Key, pair.Value.Count, other.Count, pair.Value.Average(), other.Count == 0 ? null : other.Average(), score);
        }).ToList();
    }

    /// <summary>Lengths of the unbroken stretches of each operating mode within runs.</summary>
    internal static Dictionary<string, List<double>> SpellsByMode(Table table, RunIndex runs)
    {
        var mode = table[RunColumns.OperatingMode];
        var spells = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var run in runs.Rows)
        {
            int start = 0;
            for (int i = 1; i <= run.Length; i++)
            {
                if (i < run.Length && RunIndex.KeyOf(mode, run[i]) == RunIndex.KeyOf(mode, run[start])) continue;
                string name = RunIndex.KeyOf(mode, run[start]);
                if (!spells.TryGetValue(name, out var list)) spells[name] = list = [];
                list.Add(i - start);
                start = i;
            }
        }
        return spells;
    }

    private static WarningToFailureSimilarity? CompareWarningToFailure(
        Table real, RunIndex realRuns, Table synthetic, RunIndex syntheticRuns, MachineProfile? profile, List<string> notes)
    {
        string source;
        Func<Table, RunIndex, List<double>> measure;
        if (profile?.FailureModes is { Count: > 0 })
        {
            source = "profile warning thresholds";
            measure = (table, runs) => WarningTimesFromThresholds(table, runs, profile);
        }
        else if (real.Has(RunColumns.HealthState) && synthetic.Has(RunColumns.HealthState))
        {
            source = "health_state";
            measure = WarningTimesFromHealthState;
        }
        else
        {
            notes.Add("Warning-to-failure times need a profile (thresholds) or a health_state column; skipped.");
            return null;
        }
        var realTimes = measure(real, realRuns);
        var syntheticTimes = measure(synthetic, syntheticRuns);
        double? score = realTimes.Count == 0 ? null : syntheticTimes.Count == 0 ? 0 : ColumnMetrics.KsComplement(realTimes, syntheticTimes);
        return new WarningToFailureSimilarity(source, realTimes.Count, syntheticTimes.Count,
            realTimes.Count == 0 ? null : realTimes.Average(), syntheticTimes.Count == 0 ? null : syntheticTimes.Average(), score);
    }

    /// <summary>
    /// Steps from the first row where the failure mode's criterion sensor is beyond its warning threshold to the
    /// run's last row. Sudden (step-law) modes and modes that fail at the warning level have no warning phase.
    /// </summary>
    private static List<double> WarningTimesFromThresholds(Table table, RunIndex runs, MachineProfile profile)
    {
        var failureMode = table[RunColumns.FailureMode];
        var times = new List<double>();
        foreach (var run in runs.Rows)
        {
            string id = FailureModeOf(failureMode, run);
            var mode = profile.FailureModes!.FirstOrDefault(m => m.Id == id || m.Name == id);
            if (mode?.Progression?.Law == "step" || mode?.FailureCriterion is not { Level: "critical" } criterion) continue;
            var sensor = profile.FindSensor(criterion.Sensor);
            if (sensor?.Warning is not { } warning || table.Find(sensor.Name!)?.Numbers is not { } values) continue;
            bool decreasing = sensor.Direction == "decreasing";
            int first = Array.FindIndex(run, row => decreasing ? values[row] <= warning : values[row] >= warning);
            if (first >= 0) times.Add(run.Length - 1 - first);
        }
        return times;
    }

    private static List<double> WarningTimesFromHealthState(Table table, RunIndex runs)
    {
        var state = table[RunColumns.HealthState];
        var times = new List<double>();
        foreach (var run in runs.Rows)
        {
            int first = Array.FindIndex(run, row => RunIndex.KeyOf(state, row) == "warning");
            if (first >= 0) times.Add(run.Length - 1 - first);
        }
        return times;
    }
}
