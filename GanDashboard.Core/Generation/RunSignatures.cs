namespace GanDashboard.Core.Generation;

/// <summary>
/// Where each real run's sensors went over its life, reduced to a few numbers: per sensor the standardised change from
/// the start of the run (its first 30 %) to its end (its last rows before failure), then the leading principal
/// components of those change vectors over runs, as unit-variance scores. A fleet that mixes faults (one wears the fan,
/// another the compressor) shows up as clusters of signatures even when no column names the fault, and a generator fed
/// the signature can give each synthetic unit one fault's direction instead of the average of all.
/// </summary>
public static class RunSignatures
{
    /// <summary>Most signature components kept.</summary>
    public const int MaxComponents = 3;

    /// <summary>Components are added until they explain this share of the change vectors' variance.</summary>
    private const double ExplainedShare = 0.8;

    /// <param name="sensors">Per sensor, the value of every row.</param>
    /// <param name="runs">The rows of each run, in order (runs that ended in failure).</param>
    /// <param name="endRows">Rows at the end of each run averaged as its end of life.</param>
    /// <returns>One signature per run, each of the same length (0 when the runs do not change in any consistent way).</returns>
    public static double[][] Fit(IReadOnlyList<double[]> sensors, IReadOnlyList<int[]> runs, int endRows)
    {
        int p = sensors.Count, n = runs.Count;
        if (n < 3 || p == 0) return runs.Select(_ => Array.Empty<double>()).ToArray();
        var changes = new double[n][];
        for (int s = 0; s < p; s++)
        {
            var values = sensors[s];
            double mean = 0, squares = 0;
            long count = 0;
            foreach (var run in runs) foreach (int r in run) { mean += values[r]; count++; }
            mean /= count;
            foreach (var run in runs) foreach (int r in run) squares += (values[r] - mean) * (values[r] - mean);
            double std = Math.Sqrt(squares / count);
            for (int k = 0; k < n; k++)
            {
                changes[k] ??= new double[p];
                var run = runs[k];
                int start = Math.Max(1, (int)Math.Ceiling(0.3 * run.Length)), end = Math.Clamp(endRows, 1, run.Length);
                double first = 0, last = 0;
                for (int i = 0; i < start; i++) first += values[run[i]];
                for (int i = run.Length - end; i < run.Length; i++) last += values[run[i]];
                changes[k][s] = std > 0 ? (last / end - first / start) / std : 0;
            }
        }
        var centre = Enumerable.Range(0, p).Select(s => changes.Average(c => c[s])).ToArray();
        var covariance = new double[p * p];
        foreach (var c in changes)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) covariance[i * p + j] += (c[i] - centre[i]) * (c[j] - centre[j]) / (n - 1);
        var (values2, vectors) = SymmetricEigen.Of(covariance, p);
        double total = values2.Where(v => v > 0).Sum();
        if (!(total > 1e-12)) return runs.Select(_ => Array.Empty<double>()).ToArray();
        int m = 0;
        double explained = 0;
        while (m < Math.Min(MaxComponents, p) && explained < ExplainedShare * total && values2[m] > 1e-12) explained += values2[m++];
        var result = new double[n][];
        for (int k = 0; k < n; k++)
        {
            result[k] = new double[m];
            for (int j = 0; j < m; j++)
            {
                double score = 0;
                for (int s = 0; s < p; s++) score += (changes[k][s] - centre[s]) * vectors[s * p + j];
                result[k][j] = score / Math.Sqrt(values2[j]);
            }
        }
        return result;
    }
}
