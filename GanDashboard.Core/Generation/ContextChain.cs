using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Generation;

/// <summary>One state of the context chain: a value of each categorical context column and the mean of each numeric one.</summary>
public sealed record ContextState(IReadOnlyList<string?> Categories, double[] Means);

/// <summary>
/// The context columns of an imported table (operating settings, load, ambient, an operating mode) as their own
/// process, generated before the sensors and fed to the network as conditions: a first-order Markov chain over context
/// states, and around each state's means an AR(1) path per numeric column. A state is a combination of categorical
/// values and a cluster of the numeric columns; the numeric columns are clustered only when they really sit in a few
/// regimes (C-MAPSS's six flight conditions, say), otherwise one cluster and the AR(1) path carry them (a drifting
/// ambient temperature).
/// </summary>
public sealed record ContextChain(
    IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical, IReadOnlyList<ContextState> States,
    double[] Initial, double[][] Transitions, double[] Phi, double[] ResidualStd, double[] Min, double[] Max, double[] Mean, double[] Std)
{
    /// <summary>Most numeric regimes looked for.</summary>
    public const int MaxClusters = 12;

    /// <summary>Regimes are taken when they leave at most this share of the numeric columns' variance within them: distinct operating points leave almost none, while cutting a continuous spread into 12 pieces still leaves about 1 %.</summary>
    private const double RegimeWithinShare = 0.002;

    /// <summary>Rows clustered (evenly spaced over the table): the centres need no more.</summary>
    private const int ClusterRows = 20_000;

    public static ContextChain Fit(Table seed, IReadOnlyList<int[]> runs, IReadOnlyList<string> numeric, IReadOnlyList<string> categorical)
    {
        int rows = seed.RowCount, p = numeric.Count;
        var values = numeric.Select(c => seed[c].Numbers!).ToArray();
        var labels = categorical.Select(c => seed[c].Labels ?? seed[c].Numbers!.Select(v => (string?)RunKey(v)).ToArray()).ToArray();
        var mean = values.Select(v => v.Average()).ToArray();
        var std = values.Select((v, c) => Math.Sqrt(v.Average(x => (x - mean[c]) * (x - mean[c])))).ToArray();
        var min = values.Select(v => v.Min()).ToArray();
        var max = values.Select(v => v.Max()).ToArray();
        double Z(int c, int r) => std[c] > 0 ? (values[c][r] - mean[c]) / std[c] : 0;

        var centres = p == 0 ? [[]] : Cluster(rows, p, Z);
        var cluster = new int[rows];
        for (int r = 0; r < rows; r++) cluster[r] = Nearest(centres, p, c => Z(c, r));

        var stateOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var states = new List<(string?[] Categories, int Cluster)>();
        var rowState = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            var categories = labels.Select(l => l[r]).ToArray();
            string key = string.Join("\u001f", categories) + "\u001e" + cluster[r];
            if (!stateOf.TryGetValue(key, out int s))
            {
                stateOf[key] = s = states.Count;
                states.Add((categories, cluster[r]));
            }
            rowState[r] = s;
        }
        int m = states.Count;
        var sums = new double[m, p];
        var counts = new int[m];
        for (int r = 0; r < rows; r++)
        {
            counts[rowState[r]]++;
            for (int c = 0; c < p; c++) sums[rowState[r], c] += values[c][r];
        }
        var contextStates = Enumerable.Range(0, m)
            .Select(s => new ContextState(states[s].Categories, Enumerable.Range(0, p).Select(c => sums[s, c] / counts[s]).ToArray())).ToList();

        var initial = new double[m];
        var transitions = new double[m][];
        for (int s = 0; s < m; s++) transitions[s] = new double[m];
        foreach (var run in runs)
        {
            if (run.Length == 0) continue;
            initial[rowState[run[0]]]++;
            for (int i = 1; i < run.Length; i++) transitions[rowState[run[i - 1]]][rowState[run[i]]]++;
        }
        Normalise(initial);
        for (int s = 0; s < m; s++)
        {
            if (transitions[s].Sum() == 0) transitions[s][s] = 1;
            Normalise(transitions[s]);
        }

        var phi = new double[p];
        var residualStd = new double[p];
        var residual = new double[rows];
        for (int c = 0; c < p; c++)
        {
            double squares = 0;
            for (int r = 0; r < rows; r++)
            {
                residual[r] = values[c][r] - contextStates[rowState[r]].Means[c];
                squares += residual[r] * residual[r];
            }
            residualStd[c] = Math.Sqrt(squares / Math.Max(1, rows));
            double lag1 = ResidualProcess.PooledLag1(residual, runs);
            phi[c] = double.IsFinite(lag1) ? Math.Clamp(lag1, 0, 0.999) : 0;
        }
        return new ContextChain(numeric.ToList(), categorical.ToList(), contextStates, initial, transitions, phi, residualStd, min, max, mean, std);
    }

    /// <summary>One run's context: the state of every step and each numeric column's values.</summary>
    public (int[] States, double[][] Values) Simulate(int length, Xoshiro256 random)
    {
        var states = new ModeChain(Initial, Transitions).Walk(length, random);
        var values = new double[Numeric.Count][];
        for (int c = 0; c < Numeric.Count; c++)
        {
            var into = values[c] = new double[length];
            double innovation = ResidualStd[c] * Math.Sqrt(1 - Phi[c] * Phi[c]);
            double residual = ResidualStd[c] * random.NextNormal();
            for (int i = 0; i < length; i++)
            {
                if (i > 0) residual = Phi[c] * residual + innovation * random.NextNormal();
                into[i] = Math.Clamp(States[states[i]].Means[c] + residual, Min[c], Max[c]);
            }
        }
        return (states, values);
    }

    /// <summary>The state of each row of a table with the context columns: its categories, then the nearest numeric means.</summary>
    public int[] StatesOf(Table table)
    {
        var values = Numeric.Select(c => table[c].Numbers!).ToArray();
        var labels = Categorical.Select(c => table[c].Labels ?? table[c].Numbers!.Select(v => (string?)RunKey(v)).ToArray()).ToArray();
        var result = new int[table.RowCount];
        for (int r = 0; r < result.Length; r++)
        {
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int s = 0; s < States.Count; s++)
            {
                var state = States[s];
                bool same = true;
                for (int c = 0; c < labels.Length && same; c++) same = string.Equals(state.Categories[c], labels[c][r], StringComparison.Ordinal);
                double distance = same ? 0 : 1e6;
                for (int c = 0; c < values.Length; c++)
                {
                    double z = Std[c] > 0 ? (values[c][r] - state.Means[c]) / Std[c] : 0;
                    distance += z * z;
                }
                if (distance < bestDistance) { bestDistance = distance; best = s; }
            }
            result[r] = best;
        }
        return result;
    }

    /// <summary>A numeric value as a category key (round-trip text).</summary>
    public static string RunKey(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>k-means (farthest-point start, Lloyd steps) for k = 1, 2, ... until the regimes leave little variance within; one centre when they never do.</summary>
    private static double[][] Cluster(int rows, int p, Func<int, int, double> z)
    {
        int stride = Math.Max(1, rows / ClusterRows);
        var sample = Enumerable.Range(0, rows).Where(r => r % stride == 0).Select(r => Enumerable.Range(0, p).Select(c => z(c, r)).ToArray()).ToArray();
        double total = sample.Sum(x => x.Sum(v => v * v));
        if (total <= 0) return [new double[p]];
        for (int k = 2; k <= Math.Min(MaxClusters, sample.Length); k++)
        {
            var centres = new List<double[]> { new double[p] };
            // Farthest point from the centres chosen so far (the first is the overall mean, then dropped).
            while (centres.Count <= k)
            {
                var far = sample.MaxBy(x => centres.Min(c => Distance(c, x)))!;
                centres.Add((double[])far.Clone());
            }
            centres.RemoveAt(0);
            double within = 0;
            for (int iteration = 0; iteration < 50; iteration++)
            {
                var sums = centres.Select(_ => new double[p]).ToArray();
                var counts = new int[k];
                within = 0;
                foreach (var x in sample)
                {
                    int best = Nearest(centres, p, c => x[c]);
                    counts[best]++;
                    within += Distance(centres[best], x);
                    for (int c = 0; c < p; c++) sums[best][c] += x[c];
                }
                bool moved = false;
                for (int j = 0; j < k; j++)
                {
                    if (counts[j] == 0) continue;
                    for (int c = 0; c < p; c++)
                    {
                        double next = sums[j][c] / counts[j];
                        moved |= Math.Abs(next - centres[j][c]) > 1e-9;
                        centres[j][c] = next;
                    }
                }
                if (!moved) break;
            }
            if (within <= RegimeWithinShare * total) return centres.ToArray();
        }
        return [new double[p]];
    }

    private static int Nearest(IReadOnlyList<double[]> centres, int p, Func<int, double> x)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int j = 0; j < centres.Count; j++)
        {
            double distance = 0;
            for (int c = 0; c < p; c++) { double d = centres[j][c] - x(c); distance += d * d; }
            if (distance < bestDistance) { bestDistance = distance; best = j; }
        }
        return best;
    }

    private static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int c = 0; c < a.Length; c++) { double d = a[c] - b[c]; sum += d * d; }
        return sum;
    }

    private static void Normalise(double[] weights)
    {
        double total = weights.Sum();
        if (total <= 0) { weights[0] = 1; return; }
        for (int i = 0; i < weights.Length; i++) weights[i] /= total;
    }
}
