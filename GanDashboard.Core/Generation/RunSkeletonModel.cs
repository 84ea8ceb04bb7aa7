using GanDashboard.Core.Quality;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Generation;

/// <summary>
/// Distributions of whole runs fitted to seed runs: failure-mode shares, run lengths, degradation onset and
/// shape per failure mode, and the operating-mode sequence as a first-order Markov chain (its diagonal gives
/// geometric dwell times with the seed's mean, its off-diagonal the seed's next-mode shares).
/// </summary>
public sealed record RunSkeletonModel(IReadOnlyList<FailureModeFit> FailureModes, IReadOnlyList<OperatingModeFit> OperatingModes)
{
    /// <summary>Knots of each failure mode's degradation curve.</summary>
    public const int CurveKnots = 41;

    /// <summary>Fits the model to a seed table (columns run_id, step, operating_mode, load_fraction, health_index, failure_mode).</summary>
    /// <param name="failureModeIds">Every failure mode id in profile order, so modes absent from the seed still get a (zero) share.</param>
    public static RunSkeletonModel Fit(Table seed, IReadOnlyList<string> failureModeIds, IReadOnlyList<string> modeNames)
    {
        var runs = RunIndex.Of(seed) ?? throw new ArgumentException("The seed table has no run_id column.", nameof(seed));
        var failure = seed[SeedColumns.FailureMode].Labels ?? throw new ArgumentException("failure_mode must be a label column.", nameof(seed));
        var mode = seed[SeedColumns.OperatingMode].Labels ?? throw new ArgumentException("operating_mode must be a label column.", nameof(seed));
        var health = seed[SeedColumns.HealthIndex].Numbers ?? throw new ArgumentException("health_index must be numeric.", nameof(seed));
        var load = seed[SeedColumns.LoadFraction].Numbers ?? throw new ArgumentException("load_fraction must be numeric.", nameof(seed));

        var byFailure = failureModeIds.ToDictionary(id => id, _ => new List<int[]>(), StringComparer.Ordinal);
        foreach (var run in runs.Rows)
        {
            if (run.Length < 2) continue;
            if (byFailure.TryGetValue(failure[run[^1]] ?? "", out var list)) list.Add(run);
        }
        int fitted = byFailure.Values.Sum(l => l.Count);
        if (fitted == 0) throw new ArgumentException("The seed table has no runs of two or more steps with a known failure mode.", nameof(seed));
        var failureFits = failureModeIds.Select(id => FitFailureMode(id, byFailure[id], fitted, health)).ToList();
        var modeFits = FitModes(runs, mode, load, modeNames);
        return new RunSkeletonModel(failureFits, modeFits);
    }

    private static FailureModeFit FitFailureMode(string id, List<int[]> runs, int allRuns, double[] health)
    {
        if (runs.Count == 0) return new FailureModeFit(id, 0, 0, [], [], [], []);
        var lengths = new List<double>();
        var onsets = new List<double>();
        var ends = new List<double>();
        var curve = new double[CurveKnots];
        int curves = 0;
        foreach (var run in runs)
        {
            int n = run.Length;
            lengths.Add(n);
            int onset = Array.FindIndex(run, r => health[r] < 1 - 1e-12);
            if (onset < 0) onset = n - 1;
            onsets.Add((double)onset / (n - 1));
            double end = 1 - health[run[^1]];
            ends.Add(Math.Max(end, 0));
            if (end <= 0) continue;
            // D / D_end against the share of the degradation phase u = (i - onset + 1) / (n - onset), through (0, 0).
            int phase = n - onset;
            for (int k = 0; k < CurveKnots; k++)
            {
                double u = (double)k / (CurveKnots - 1);
                double position = u * phase; // 0 .. phase, where row onset + j sits at j + 1
                int j = (int)Math.Floor(position);
                double before = j == 0 ? 0 : (1 - health[run[onset + j - 1]]) / end;
                double after = j >= phase ? before : (1 - health[run[onset + j]]) / end;
                curve[k] += before + (after - before) * (position - j);
            }
            curves++;
        }
        for (int k = 0; k < CurveKnots; k++) curve[k] = curves == 0 ? (k == CurveKnots - 1 ? 1 : 0) : curve[k] / curves;
        for (int k = 1; k < CurveKnots; k++) curve[k] = Math.Max(curve[k], curve[k - 1]);
        double last = curve[^1];
        for (int k = 0; k < CurveKnots; k++) curve[k] = last > 0 ? Math.Min(curve[k] / last, 1) : (double)k / (CurveKnots - 1);
        return new FailureModeFit(id, (double)runs.Count / allRuns, runs.Count, Quantiles.Of(lengths), Quantiles.Of(onsets), curve, Quantiles.Of(ends));
    }

    private static List<OperatingModeFit> FitModes(RunIndex runs, string?[] mode, double[] load, IReadOnlyList<string> names)
    {
        int m = names.Count;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < m; i++) index[names[i]] = i;
        var initial = new double[m];
        var transitions = new double[m, m];
        var loadSum = new double[m];
        var loadCount = new int[m];
        foreach (var run in runs.Rows)
        {
            int previous = -1;
            foreach (int r in run)
            {
                int current = mode[r] is { } name && index.TryGetValue(name, out int i) ? i : -1;
                if (current < 0) { previous = -1; continue; }
                loadSum[current] += load[r];
                loadCount[current]++;
                if (previous >= 0) transitions[previous, current]++;
                else if (r == run[0]) initial[current]++;
                previous = current;
            }
        }
        // A small pseudo-count keeps every mode reachable, so a scenario can ask for a mode the seed rarely used.
        const double prior = 0.5;
        double initialTotal = initial.Sum() + prior * m;
        var fits = new List<OperatingModeFit>(m);
        for (int i = 0; i < m; i++)
        {
            var row = new double[m];
            double total = 0;
            for (int j = 0; j < m; j++) total += row[j] = transitions[i, j] + (i == j ? 0 : prior / Math.Max(1, m - 1));
            if (total <= 0) { row[i] = 1; total = 1; }
            for (int j = 0; j < m; j++) row[j] /= total;
            fits.Add(new OperatingModeFit(names[i], loadCount[i] > 0 ? loadSum[i] / loadCount[i] : 0, (initial[i] + prior) / initialTotal, row));
        }
        return fits;
    }

    /// <summary>
    /// Run lengths per failure mode and nothing else: the skeletons of an imported table of runs, which has no health
    /// index or operating modes (its context has a chain of its own). Drawn runs have no degradation path.
    /// </summary>
    public static RunSkeletonModel ForLengths(IReadOnlyList<(string Id, IReadOnlyList<double> Lengths)> failureModes)
    {
        int all = failureModes.Sum(f => f.Lengths.Count);
        if (all == 0) throw new ArgumentException("No failed runs of two or more rows to learn run lengths from.", nameof(failureModes));
        var flat = Enumerable.Range(0, CurveKnots).Select(k => (double)k / (CurveKnots - 1)).ToArray();
        return new RunSkeletonModel(failureModes.Select(f => f.Lengths.Count == 0
            ? new FailureModeFit(f.Id, 0, 0, [], [], [], [])
            : new FailureModeFit(f.Id, (double)f.Lengths.Count / all, f.Lengths.Count, Quantiles.Of(f.Lengths.ToList()), [0, 0], flat, [0, 0])).ToList(), []);
    }

    /// <summary>Failed runs of the seed data the model was fitted on.</summary>
    public int SeedRuns => FailureModes.Sum(f => f.Runs);

    /// <summary>The failure-mode shares to draw from: the seed's, or a scenario's (unnamed modes get 0).</summary>
    public double[] FailureModeShares(IReadOnlyDictionary<string, double>? scenario)
    {
        if (scenario is null) return FailureModes.Select(f => f.Share).ToArray();
        foreach (var (id, share) in scenario)
        {
            var fit = FailureModes.FirstOrDefault(f => f.Id == id) ?? throw new ArgumentException($"Unknown failure mode '{id}'; the model knows {string.Join(", ", FailureModes.Select(f => f.Id))}.");
            if (!(share >= 0)) throw new ArgumentException($"The share of '{id}' must be zero or positive.");
            if (share > 0 && fit.Runs == 0) throw new ArgumentException($"The seed has no runs of failure mode '{id}', so the model cannot generate them.");
        }
        var shares = FailureModes.Select(f => scenario.GetValueOrDefault(f.Id)).ToArray();
        double total = shares.Sum();
        if (!(total > 0)) throw new ArgumentException("The failure-mode shares must not all be zero.");
        return shares.Select(s => s / total).ToArray();
    }

    /// <summary>
    /// The mode chain to draw from: the seed's, or one whose long-run share of steps per mode is the scenario's.
    /// Where the chain goes on leaving a mode stays the seed's (modes given no share are never entered); the dwell
    /// times are rescaled (iterative scaling, each at least one step, their spell-weighted mean kept) until the
    /// chain's stationary shares match.
    /// </summary>
    public ModeChain ModeChainFor(IReadOnlyDictionary<string, double>? scenario)
    {
        int m = OperatingModes.Count;
        var seedMatrix = OperatingModes.Select(o => o.Transitions.ToArray()).ToArray();
        if (scenario is null) return new ModeChain(OperatingModes.Select(o => o.InitialShare).ToArray(), seedMatrix);
        foreach (string name in scenario.Keys)
            if (OperatingModes.All(o => o.Name != name)) throw new ArgumentException($"Unknown operating mode '{name}'; the model knows {string.Join(", ", OperatingModes.Select(o => o.Name))}.");
        var target = OperatingModes.Select(o => scenario.GetValueOrDefault(o.Name)).ToArray();
        double total = target.Sum();
        if (!(total > 0) || target.Any(t => !(t >= 0))) throw new ArgumentException("Operating-mode shares must be zero or positive and not all zero.");
        for (int i = 0; i < m; i++) target[i] /= total;
        var active = Enumerable.Range(0, m).Where(i => target[i] > 0).ToArray();
        if (active.Length == 1)
        {
            var only = new double[m][];
            for (int i = 0; i < m; i++) { only[i] = new double[m]; only[i][active[0]] = 1; }
            return new ModeChain(target, only);
        }
        // The jump chain: where the chain goes on leaving each mode, restricted to the modes the scenario keeps.
        var jump = new double[m][];
        for (int i = 0; i < m; i++)
        {
            jump[i] = new double[m];
            double sum = 0;
            foreach (int j in active) if (j != i) sum += jump[i][j] = seedMatrix[i][j];
            foreach (int j in active) if (j != i) jump[i][j] = sum > 0 ? jump[i][j] / sum : 1.0 / (active.Length - (target[i] > 0 ? 1 : 0));
        }
        var spells = ModeChain.Stationary(jump, target);
        var dwell = OperatingModes.Select((o, i) => o.MeanDwellSteps(i)).ToArray();
        double meanDwell = active.Sum(i => spells[i] * dwell[i]) / active.Sum(i => spells[i]);
        var matrix = new double[m][];
        for (int iteration = 0; iteration < 200; iteration++)
        {
            for (int i = 0; i < m; i++)
            {
                matrix[i] = new double[m];
                double stay = target[i] > 0 ? 1 - 1 / dwell[i] : 0;
                for (int j = 0; j < m; j++) matrix[i][j] = j == i ? stay : (1 - stay) * jump[i][j];
            }
            var stationary = ModeChain.Stationary(matrix, target);
            foreach (int i in active) if (stationary[i] > 0) dwell[i] *= target[i] / stationary[i];
            double scale = meanDwell / (active.Sum(i => spells[i] * dwell[i]) / active.Sum(i => spells[i]));
            foreach (int i in active) dwell[i] = Math.Max(1, dwell[i] * scale);
        }
        return new ModeChain(target, matrix);
    }

    /// <summary>Draws one run of failure mode <paramref name="failureMode"/>.</summary>
    /// <param name="point">
    /// Where in the fitted distributions to draw the run's length and onset (<see cref="RunPoint"/>); a planner spreads the
    /// points of a mode's runs evenly (<see cref="SplitPlanner"/>). Null draws them at random.
    /// </param>
    public RunSkeleton Draw(int failureMode, ModeChain chain, Xoshiro256 random, RunPoint? point = null)
    {
        var fit = FailureModes[failureMode];
        if (fit.Runs == 0) throw new InvalidOperationException($"Failure mode '{fit.Id}' has no fitted runs.");
        var at = point ?? new RunPoint(random.NextDouble(), random.NextDouble(), random.NextDouble());
        int length = Math.Max(2, (int)Math.Round(Quantiles.DrawSmoothed(fit.LengthQuantiles, fit.Runs, at.LengthQuantile, Quantiles.StandardNormal(at.LengthKernel), logScale: true)));
        var modes = chain.Walk(length, random);
        int onset = Math.Clamp((int)Math.Round(Quantiles.Draw(fit.OnsetQuantiles, at.OnsetQuantile) * (length - 1)), 0, length - 1);
        double end = Quantiles.Draw(fit.EndDegradationQuantiles, random.NextDouble());
        var degradation = new double[length];
        int phase = length - onset;
        for (int i = onset; i < length; i++)
        {
            double u = (double)(i - onset + 1) / phase * (CurveKnots - 1);
            int k = Math.Min((int)Math.Floor(u), CurveKnots - 2);
            double shape = fit.DegradationCurve[k] + (fit.DegradationCurve[k + 1] - fit.DegradationCurve[k]) * (u - k);
            degradation[i] = Math.Max(end * shape, i > 0 ? degradation[i - 1] : 0);
        }
        return new RunSkeleton(failureMode, length, modes, degradation);
    }
}

/// <summary>An operating-mode Markov chain: first-step shares and the transition matrix (rows sum to 1).</summary>
public sealed record ModeChain(double[] Initial, double[][] Transitions)
{
    public int[] Walk(int length, Xoshiro256 random)
    {
        var modes = new int[length];
        if (Initial.Length == 0) return modes; // a table without operating modes (an imported one): every step in "mode 0"
        modes[0] = Pick(Initial, random.NextDouble());
        for (int i = 1; i < length; i++) modes[i] = Pick(Transitions[modes[i - 1]], random.NextDouble());
        return modes;
    }

    /// <summary>The long-run share of steps per mode (power iteration from <paramref name="start"/>).</summary>
    public static double[] Stationary(double[][] matrix, double[] start)
    {
        int m = matrix.Length;
        var p = start.ToArray();
        for (int iteration = 0; iteration < 500; iteration++)
        {
            var next = new double[m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) next[j] += p[i] * matrix[i][j];
            p = next;
        }
        return p;
    }

    private static int Pick(double[] weights, double u)
    {
        double total = 0;
        foreach (double w in weights) total += w;
        double target = u * total;
        for (int i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0) return i;
        }
        for (int i = weights.Length - 1; i >= 0; i--) if (weights[i] > 0) return i;
        return 0;
    }
}
