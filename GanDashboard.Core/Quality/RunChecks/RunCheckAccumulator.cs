using System.Globalization;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.RunChecks;

/// <summary>
/// The quality checks of run-to-failure data (design note section 4 and section 5, "checks on data with
/// noise"), accumulated batch by batch so a million-row dataset never has to be in memory: feed
/// <see cref="Add"/> tables that each hold whole runs, then call <see cref="Finish"/>. Only recorded
/// values and label columns are used, so the same checks serve seed and synthetic data: threshold
/// crossings allow 3 x noise_std, and the degradation trend is measured on values minus their
/// operating-mode baseline.
/// </summary>
public sealed class RunCheckAccumulator
{
    /// <summary>Statistics over runs backed by fewer runs than this only warn (design note section 5).</summary>
    public const int MinimumRunsForStatistics = 50;

    /// <summary>Threshold tolerance in multiples of a sensor's noise_std.</summary>
    public const double NoiseTolerance = 3;

    /// <summary>
    /// Share of runs that must pass the threshold-crossing checks. Not 1: even with a 3-sigma tolerance,
    /// about 0.13 % of noisy rows near a threshold land beyond it by chance.
    /// </summary>
    public const double CrossingShare = 0.99;

    public const double HealthyInBandShare = 0.95;
    public const double WarningBeforeFailureShare = 0.90;
    public const double MaxContextCorrelation = 0.1;
    public const double MinTrendSpearman = 0.8;

    /// <summary>Degradation phases shorter than this give no meaningful rank correlation and are left out of the trend.</summary>
    public const int MinDegradationRows = 5;

    private readonly MachinePhysics _physics;
    private readonly Dictionary<string, int> _stateRank;
    private readonly FailureModeTally[] _failureModes;
    private readonly StreamingCorrelation[] _context;
    private List<string>? _missingColumns;

    private long _rows, _nonFinite, _sensorCells, _outOfRange, _healthyRows, _healthyInBand, _cappedRows, _cappedOk;
    private int _runs, _rulOk, _timestampOk, _hiRuns, _hiOk, _stateOk, _criterionRuns, _criterionOk, _othersOk;
    private int _warningRuns, _warningOk, _unknownFailureRuns;
    private readonly Dictionary<string, List<string>> _firstProblems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _exampleRun = new(StringComparer.Ordinal);
    private int _runsOutOfRange, _runsOutOfBand, _runsBadCap;
    private readonly long[] _outOfBandBySensor;

    public RunCheckAccumulator(MachineProfile profile, double? rulCapOverride = null)
        : this(MachinePhysics.From(profile, rulCapOverride))
    {
    }

    /// <summary>
    /// Check that the criterion is crossed only at the last row. True for seed data (exact by construction); the quality
    /// report of synthetic data turns it off and compares the end of life with the seed's instead (<see cref="EndOfLifeChecks"/>).
    /// </summary>
    public bool CheckCriterionCrossing { get; init; } = true;

    public RunCheckAccumulator(MachinePhysics physics)
    {
        _physics = physics;
        _stateRank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < physics.HealthStates.Count; i++) _stateRank[physics.HealthStates[i]] = i;
        _failureModes = physics.FailureModes.Select(_ => new FailureModeTally()).ToArray();
        _context = physics.Sensors.Select(_ => new StreamingCorrelation()).ToArray();
        _outOfBandBySensor = new long[physics.Sensors.Count];
    }

    /// <summary>The columns the checks need; step, health_index and the others are checked when present.</summary>
    public IReadOnlyList<string> RequiredColumns =>
        [SeedColumns.RunId, SeedColumns.Timestamp, SeedColumns.OperatingMode, .. _physics.Sensors.Select(s => s.Name),
         SeedColumns.HealthState, SeedColumns.FailureMode, SeedColumns.Rul, SeedColumns.RulCapped];

    /// <summary>Adds a table of whole runs: a run split over two calls would be checked as two runs.</summary>
    public void Add(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _missingColumns ??= RequiredColumns.Where(c => !table.Has(c)).ToList();
        _rows += table.RowCount;
        foreach (var column in table.Columns)
        {
            if (column.Numbers is { } numbers) { foreach (double v in numbers) if (!double.IsFinite(v)) _nonFinite++; }
            else foreach (string? label in column.Labels!) if (label is null) _nonFinite++;
        }
        if (_missingColumns.Count > 0 || table.RowCount == 0) return;
        var view = new TableView(table, _physics);
        foreach (int[] rows in RunRows.Find(table)) CheckRun(view, rows);
    }

    private void CheckRun(TableView t, int[] rows)
    {
        _runs++;
        int n = rows.Length;
        int last = rows[n - 1];
        string runName = t.RunName(last);
        CheckLabels(t, rows, runName);
        CheckRangesAndBands(t, rows, runName);

        int f = _physics.FailureModeIndex(t.FailureMode[last]);
        if (f < 0)
        {
            _unknownFailureRuns++;
            Note("known_failure_modes", $"run {runName}: unknown failure mode '{t.FailureMode[last]}'", runName);
            return;
        }
        var failure = _physics.FailureModes[f];
        CheckCrossings(t, rows, failure, runName);
        for (int s = 0; s < _physics.Sensors.Count; s++)
        {
            if (!_physics.Sensors[s].IsContext) continue;
            var values = t.Sensors[s];
            foreach (int r in rows) _context[s].Add(values[r], t.Rul[r]);
        }
        _failureModes[f].Runs++;
        if (!failure.IsSudden) TallyTrend(t, rows, failure, _failureModes[f]);
    }

    private void CheckLabels(TableView t, int[] rows, string runName)
    {
        double perStep = _physics.RulPerStep, tolerance = 1e-6 * Math.Max(1, perStep);
        bool rulOk = Math.Abs(t.Rul[rows[^1]]) <= tolerance, timeOk = true, hiOk = true, stateOk = true;
        for (int k = 0; k + 1 < rows.Length; k++)
        {
            int a = rows[k], b = rows[k + 1];
            rulOk &= Math.Abs(t.Rul[a] - t.Rul[b] - perStep) <= tolerance;
            timeOk &= Math.Abs(t.Timestamp[b] - t.Timestamp[a] - _physics.IntervalSeconds) <= 1e-3;
            if (t.HealthIndex is { } hi) hiOk &= hi[b] <= hi[a] + 1e-12;
            stateOk &= t.StateRank(b) >= t.StateRank(a);
        }
        bool cappedOk = true;
        foreach (int r in rows)
        {
            stateOk &= t.StateRank(r) >= 0;
            _cappedRows++;
            if (Math.Abs(t.RulCapped[r] - Math.Min(t.Rul[r], _physics.RulCap)) <= 1e-6 * Math.Max(1, _physics.RulCap)) _cappedOk++;
            else cappedOk = false;
        }
        if (!cappedOk) { _runsBadCap++; _exampleRun.TryAdd("rul_capped", runName); }
        if (rulOk) _rulOk++; else Note("rul_steps", $"run {runName}: RUL does not fall by {perStep:g6} {_physics.RulUnit} per step to 0", runName);
        if (timeOk) _timestampOk++; else Note("timestamp_interval", $"run {runName}: timestamps are not {_physics.IntervalSeconds:g6} s apart", runName);
        if (t.HealthIndex is not null) { _hiRuns++; if (hiOk) _hiOk++; else Note("health_index_monotone", $"run {runName}: health index increases", runName); }
        if (stateOk) _stateOk++; else Note("health_state_monotone", $"run {runName}: health state improves or is unknown", runName);
    }

    private void CheckRangesAndBands(TableView t, int[] rows, string runName)
    {
        var sensors = _physics.Sensors;
        long outOfRange = _outOfRange, healthyRows = _healthyRows, inBandRows = _healthyInBand;
        foreach (int r in rows)
        {
            bool healthy = t.StateRank(r) == 0, inBand = true;
            for (int s = 0; s < sensors.Count; s++)
            {
                var sensor = sensors[s];
                double v = t.Sensors[s][r];
                _sensorCells++;
                if (!(v >= sensor.RangeMin && v <= sensor.RangeMax)) _outOfRange++;
                if (!healthy) continue;
                double slack = NoiseTolerance * sensor.NoiseStd;
                if (!(v >= sensor.NormalMin - slack && v <= sensor.NormalMax + slack)) { inBand = false; _outOfBandBySensor[s]++; }
            }
            if (!healthy) continue;
            _healthyRows++;
            if (inBand) _healthyInBand++;
        }
        if (_outOfRange > outOfRange) { _runsOutOfRange++; _exampleRun.TryAdd("within_range", runName); }
        if (_healthyRows - healthyRows > _healthyInBand - inBandRows) { _runsOutOfBand++; _exampleRun.TryAdd("healthy_within_normal_band", runName); }
    }

    private void CheckCrossings(TableView t, int[] rows, FailurePhysics failure, string runName)
    {
        var criterion = _physics.Sensors[failure.CriterionSensor];
        var values = t.Sensors[failure.CriterionSensor];
        double slack = NoiseTolerance * criterion.NoiseStd * criterion.Sign;
        int last = rows[^1];
        bool endsBeyond = criterion.IsBeyond(values[last], failure.CriterionThreshold - slack);
        bool earlier = false;
        for (int k = 0; k + 1 < rows.Length && !earlier; k++) earlier = criterion.IsBeyond(values[rows[k]], failure.CriterionThreshold + slack);
        _criterionRuns++;
        if (endsBeyond && !earlier) _criterionOk++;
        else if (CheckCriterionCrossing) Note("criterion_crosses_only_at_end", $"run {runName}: {criterion.Name} {(earlier ? "crosses its threshold before the last row" : "has not crossed its threshold at the last row")}", runName);

        bool othersOk = true;
        foreach (var sensor in _physics.Sensors)
        {
            if (sensor.Index == failure.CriterionSensor || sensor.IsContext || sensor.Critical is not { } critical) continue;
            double limit = critical + NoiseTolerance * sensor.NoiseStd * sensor.Sign;
            var other = t.Sensors[sensor.Index];
            for (int k = 0; k + 1 < rows.Length; k++)
            {
                if (!sensor.IsBeyond(other[rows[k]], limit)) continue;
                othersOk = false;
                Note("no_other_sensor_critical_first", $"run {runName}: {sensor.Name} crosses critical before {criterion.Name} fails", runName);
                break;
            }
        }
        if (othersOk) _othersOk++;

        if (failure.IsSudden || failure.CriterionLevel != "critical" || criterion.Warning is not { } warning) return;
        _warningRuns++;
        for (int k = 0; k + 1 < rows.Length; k++)
        {
            if (criterion.IsBeyond(values[rows[k]], warning)) { _warningOk++; return; }
        }
    }

    // Values minus their operating-mode baseline over the degradation phase (every row past healthy),
    // signed so that degradation is upward whatever the sensor's direction.
    private void TallyTrend(TableView t, int[] rows, FailurePhysics failure, FailureModeTally tally)
    {
        int c = failure.CriterionSensor;
        var sensor = _physics.Sensors[c];
        var signal = new List<double>();
        foreach (int r in rows)
        {
            if (t.StateRank(r) < 1) continue;
            int mode = _physics.ModeIndex(t.Mode[r]);
            double ambient = _physics.AmbientSensor >= 0 ? t.Sensors[_physics.AmbientSensor][r] : _physics.AmbientReference;
            double baseline = mode >= 0 ? _physics.Baseline(mode, c, ambient) : sensor.Typical;
            signal.Add(sensor.Sign * (t.Sensors[c][r] - baseline));
        }
        if (signal.Count < MinDegradationRows) { tally.ShortRuns++; return; }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(signal);
        double rho = RunStatistics.SpearmanAgainstTime(span);
        tally.Spearman.Add(double.IsNaN(rho) ? 0 : rho);
        if (!(rho >= MinTrendSpearman)) tally.FirstBelow ??= t.RunName(rows[^1]);
        int up = 0, down = 0;
        for (int k = 1; k < signal.Count; k++) { if (signal[k] > signal[k - 1]) up++; else if (signal[k] < signal[k - 1]) down++; }
        tally.Monotonicity.Add(Math.Abs(up - down) / (double)(signal.Count - 1));
        double pearson = RunStatistics.PearsonAgainstTime(span);
        tally.Trendability.Add(double.IsNaN(pearson) ? 0 : Math.Abs(pearson));
        tally.Starts.Add(signal[0]);
        tally.Ends.Add(signal[^1]);
    }

    // Keeps the first few offending runs of each check for its detail message.
    private void Note(string check, string problem, string? runName = null)
    {
        if (runName is not null) _exampleRun.TryAdd(check, runName);
        if (!_firstProblems.TryGetValue(check, out var list)) _firstProblems[check] = list = [];
        if (list.Count < 3) list.Add(problem);
    }

    public RunCheckReport Finish()
    {
        var checks = new List<RunCheck>();
        var missing = _missingColumns ?? RequiredColumns.ToList();
        checks.Add(new RunCheck("required_columns", missing.Count == 0, missing.Count, 0, true,
            missing.Count == 0 ? "All required columns are present." : "Missing: " + string.Join(", ", missing)));
        checks.Add(new RunCheck("finite_values", _nonFinite == 0, _nonFinite, 0, true,
            _nonFinite == 0 ? "No NaN, infinite or empty cells." : $"{_nonFinite} NaN, infinite or empty cells."));
        if (missing.Count > 0 || _runs == 0) return new RunCheckReport(_rows, _runs, checks);

        checks.Add(RunShare("rul_steps", _rulOk, _runs, 1, true, $"RUL falls by exactly {_physics.RulPerStep:g6} {_physics.RulUnit} per step and ends at 0"));
        checks.Add(RunShare("timestamp_interval", _timestampOk, _runs, 1, true, $"timestamps increase by exactly {_physics.IntervalSeconds:g6} s"));
        checks.Add(Share("rul_capped", _cappedOk, _cappedRows, 1, true, $"rul_capped = min(rul, {_physics.RulCap:g6})") with { Runs = _runs, FailingRuns = _runsBadCap });
        if (_hiRuns > 0) checks.Add(RunShare("health_index_monotone", _hiOk, _hiRuns, 1, true, "the health index never increases"));
        checks.Add(RunShare("health_state_monotone", _stateOk, _runs, 1, true, "the health state never improves"));
        checks.Add(Share("within_range", _sensorCells - _outOfRange, _sensorCells, 1, true, "within the sensor's physical range", "sensor values") with { Runs = _runs, FailingRuns = _runsOutOfRange });
        checks.Add(HealthyBand() with { Runs = _runs, FailingRuns = _runsOutOfBand });
        if (CheckCriterionCrossing)
            checks.Add(RunShare("criterion_crosses_only_at_end", _criterionOk, _criterionRuns, CrossingShare, true,
                $"the failure criterion is crossed at the last row and not before (tolerance {NoiseTolerance} x noise_std)"));
        checks.Add(RunShare("no_other_sensor_critical_first", _othersOk, _criterionRuns, CrossingShare, true,
            "no other sensor crosses critical before the failure"));
        if (_warningRuns > 0)
            checks.Add(Statistic(RunShare("warning_before_failure", _warningOk, _warningRuns, WarningBeforeFailureShare, true,
                "the criterion sensor passes its warning threshold before failure (runs that do not fail suddenly)"), _warningRuns));
        if (_unknownFailureRuns > 0)
            checks.Add(new RunCheck("known_failure_modes", false, _unknownFailureRuns, 0, true, $"{_unknownFailureRuns} runs name a failure mode the profile does not have."));
        checks.Add(ContextCorrelation());
        checks.AddRange(Trends());
        checks.Add(new RunCheck("runs_backing_statistics", _runs >= MinimumRunsForStatistics, _runs, MinimumRunsForStatistics, false,
            _runs >= MinimumRunsForStatistics ? $"{_runs} runs back the run statistics."
                : $"Only {_runs} runs: statistics over runs (trend, warning share, context correlation) are indicative only; generate at least {MinimumRunsForStatistics}."));
        var withExamples = checks.Select(c => _firstProblems.TryGetValue(c.Name, out var examples)
            ? c with { Detail = c.Detail + " For example: " + string.Join("; ", examples) + "." }
            : c).Select(c => _exampleRun.TryGetValue(c.Name, out var run) ? c with { ExampleRunId = run } : c).ToList();
        return new RunCheckReport(_rows, _runs, withExamples);
    }

    private RunCheck HealthyBand()
    {
        if (_healthyRows == 0) return new RunCheck("healthy_within_normal_band", true, double.NaN, HealthyInBandShare, true, "No healthy rows to check.");
        int worst = Array.IndexOf(_outOfBandBySensor, _outOfBandBySensor.Max());
        string detail = $"{_healthyInBand} of {_healthyRows} healthy rows have every sensor within its normal band +/- {NoiseTolerance} x noise_std" +
            (_outOfBandBySensor[worst] > 0 ? $"; most often outside: {_physics.Sensors[worst].Name} ({_outOfBandBySensor[worst]} rows)." : ".");
        double share = (double)_healthyInBand / _healthyRows;
        return new RunCheck("healthy_within_normal_band", share >= HealthyInBandShare, share, HealthyInBandShare, true, detail);
    }

    private RunCheck ContextCorrelation()
    {
        var context = _physics.Sensors.Where(s => s.IsContext).ToList();
        if (context.Count == 0) return new RunCheck("context_sensors_independent_of_rul", true, 0, MaxContextCorrelation, false, "The profile has no context sensors.");
        var correlations = context.Select(s => (s.Name, R: _context[s.Index].Correlation)).ToList();
        double worst = correlations.Max(c => double.IsNaN(c.R) ? 0 : Math.Abs(c.R));
        string detail = "Pearson r with RUL over all rows (streamed): " +
            string.Join(", ", correlations.Select(c => $"{c.Name} {c.R.ToString("0.000", CultureInfo.InvariantCulture)}"));
        return Statistic(new RunCheck("context_sensors_independent_of_rul", worst < MaxContextCorrelation, worst, MaxContextCorrelation, true, detail), _runs);
    }

    private IEnumerable<RunCheck> Trends()
    {
        for (int f = 0; f < _failureModes.Length; f++)
        {
            var failure = _physics.FailureModes[f];
            var tally = _failureModes[f];
            if (tally.Runs == 0) continue;
            string sensor = _physics.Sensors[failure.CriterionSensor].Name;
            if (failure.IsSudden)
            {
                yield return new RunCheck($"degradation_trend:{failure.Id}", true, double.NaN, MinTrendSpearman, false,
                    $"Skipped: {failure.Id} fails suddenly (step law), so it has no degradation phase.");
                continue;
            }
            int used = tally.Spearman.Count;
            if (used == 0)
            {
                yield return new RunCheck($"degradation_trend:{failure.Id}", false, double.NaN, MinTrendSpearman, false,
                    $"None of the {tally.Runs} runs has {MinDegradationRows} or more degradation rows.");
                continue;
            }
            double mean = tally.Spearman.Average();
            yield return Statistic(new RunCheck($"degradation_trend:{failure.Id}", mean >= MinTrendSpearman, mean, MinTrendSpearman, true,
                $"Mean Spearman rho of {sensor} (minus its mode baseline, signed by direction) against time over the degradation phase of {used} runs " +
                $"(median {RunStatistics.Median(tally.Spearman):0.000}, lowest {tally.Spearman.Min():0.000}; {tally.ShortRuns} runs too short)."), used)
                with { Runs = used, FailingRuns = tally.Spearman.Count(r => r < MinTrendSpearman), ExampleRunId = tally.FirstBelow };
            yield return Reported($"monotonicity:{failure.Id}", tally.Monotonicity.Average(),
                "Coble & Hines monotonicity: mean over runs of |#up - #down| / (n - 1) of the degradation signal.");
            yield return Reported($"trendability:{failure.Id}", tally.Trendability.Average(),
                "Mean over runs of |Pearson r| between the degradation signal and time.");
            yield return Reported($"prognosability:{failure.Id}", Prognosability(tally),
                "Coble & Hines prognosability: exp(-std(failure values) / mean |failure value - start value|).");
        }
    }

    private static double Prognosability(FailureModeTally tally)
    {
        int n = tally.Ends.Count;
        double mean = tally.Ends.Average();
        double std = n > 1 ? Math.Sqrt(tally.Ends.Sum(e => (e - mean) * (e - mean)) / (n - 1)) : 0;
        double travel = tally.Ends.Zip(tally.Starts, (e, s) => Math.Abs(e - s)).Average();
        return travel > 0 ? Math.Exp(-std / travel) : 0;
    }

    private static RunCheck Reported(string name, double value, string detail) => new(name, true, value, null, false, detail);

    // A statistic over runs flags the dataset only when enough runs back it; otherwise it warns.
    private static RunCheck Statistic(RunCheck check, int runs) => runs >= MinimumRunsForStatistics
        ? check
        : check with { Hard = false, Detail = check.Detail + $" Backed by only {runs} runs (< {MinimumRunsForStatistics}): a warning, not a failure." };

    private static RunCheck RunShare(string name, long ok, long total, double threshold, bool hard, string what) =>
        Share(name, ok, total, threshold, hard, what, "runs") with { Runs = (int)total, FailingRuns = (int)(total - ok) };

    private static RunCheck Share(string name, long ok, long total, double threshold, bool hard, string what, string unit = "rows")
    {
        double share = total == 0 ? 1 : (double)ok / total;
        return new RunCheck(name, share >= threshold - 1e-12, share, threshold, hard, $"{ok} of {total} {unit}: {what}.");
    }

    private sealed class FailureModeTally
    {
        public int Runs;
        public int ShortRuns;
        public string? FirstBelow;
        public readonly List<double> Spearman = [];
        public readonly List<double> Monotonicity = [];
        public readonly List<double> Trendability = [];
        public readonly List<double> Starts = [];
        public readonly List<double> Ends = [];
    }

    /// <summary>The columns of one added table, fetched once.</summary>
    private sealed class TableView
    {
        private readonly Dictionary<string, int> _ranks;
        private readonly Column _runId;

        public TableView(Table table, MachinePhysics physics)
        {
            _runId = table[SeedColumns.RunId];
            Timestamp = table[SeedColumns.Timestamp].Numbers ?? throw new InvalidDataException("timestamp must be a date/time or number column.");
            Rul = Numbers(table, SeedColumns.Rul);
            RulCapped = Numbers(table, SeedColumns.RulCapped);
            HealthIndex = table.Find(SeedColumns.HealthIndex)?.Numbers;
            State = table[SeedColumns.HealthState].Labels ?? throw new InvalidDataException("health_state must be a label column.");
            Mode = table[SeedColumns.OperatingMode].Labels ?? table[SeedColumns.OperatingMode].Numbers!.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
            FailureMode = table[SeedColumns.FailureMode].Labels ?? throw new InvalidDataException("failure_mode must be a label column.");
            Sensors = physics.Sensors.Select(s => Numbers(table, s.Name)).ToArray();
            _ranks = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < physics.HealthStates.Count; i++) _ranks[physics.HealthStates[i]] = i;
        }

        public double[] Timestamp { get; }
        public double[] Rul { get; }
        public double[] RulCapped { get; }
        public double[]? HealthIndex { get; }
        public string?[] State { get; }
        public string?[] Mode { get; }
        public string?[] FailureMode { get; }
        public double[][] Sensors { get; }

        public int StateRank(int row) => State[row] is { } s && _ranks.TryGetValue(s, out int rank) ? rank : -1;

        public string RunName(int row) => _runId.Numbers is { } ids ? ids[row].ToString(CultureInfo.InvariantCulture) : _runId.Labels![row] ?? "(none)";

        private static double[] Numbers(Table table, string name) =>
            table[name].Numbers ?? throw new InvalidDataException($"Column '{name}' must be numeric.");
    }
}
