namespace GanDashboard.Core.Quality.Usefulness;

/// <summary>A percentile bootstrap interval of a statistic and what it rests on.</summary>
public sealed record BootstrapInterval(double Low, double High, double Level, int Runs, int Iterations);

/// <summary>
/// Percentile bootstrap over runs: the unseen runs are drawn with replacement (as many as there are), the statistic is
/// recomputed from how often each run was drawn, and the interval is the (1 - level)/2 and (1 + level)/2 quantiles of
/// those statistics (linear interpolation between order statistics, as numpy's default). Runs, not rows, are the unit:
/// rows of one run are not independent.
/// </summary>
public static class RunBootstrap
{
    public const int DefaultIterations = 2000;

    /// <param name="statistic">The statistic from per-run draw counts (counts[k] = times run k was drawn).</param>
    public static BootstrapInterval Interval(int runs, Func<int[], double> statistic, double level = 0.9, int iterations = DefaultIterations, int seed = 0)
    {
        if (runs < 1) throw new ArgumentException("The bootstrap needs at least one run.", nameof(runs));
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), "The level must be between 0 and 1.");
        var random = new Random(seed);
        var values = new double[iterations];
        var counts = new int[runs];
        for (int b = 0; b < iterations; b++)
        {
            Array.Clear(counts);
            for (int k = 0; k < runs; k++) counts[random.Next(runs)]++;
            values[b] = statistic(counts);
        }
        Array.Sort(values);
        return new BootstrapInterval(Quantile(values, (1 - level) / 2), Quantile(values, (1 + level) / 2), level, runs, iterations);
    }

    /// <summary>Interval of sqrt(sum a / sum b) over per-run sums, e.g. the RMSE ratio from per-run squared errors of two models.</summary>
    public static BootstrapInterval RmseRatio(double[] squaresA, double[] squaresB, double level = 0.9, int iterations = DefaultIterations, int seed = 0) =>
        Interval(squaresA.Length, counts =>
        {
            double a = 0, b = 0;
            for (int k = 0; k < counts.Length; k++) { a += counts[k] * squaresA[k]; b += counts[k] * squaresB[k]; }
            return b == 0 ? (a == 0 ? 1 : double.PositiveInfinity) : Math.Sqrt(a / b);
        }, level, iterations, seed);

    /// <summary>Interval of sum a / sum b from per-run sums kept as logarithms (the PHM score's).</summary>
    public static BootstrapInterval LogSumRatio(double[] logA, double[] logB, double level = 0.9, int iterations = DefaultIterations, int seed = 0) =>
        Interval(logA.Length, counts =>
        {
            double a = double.NegativeInfinity, b = double.NegativeInfinity;
            for (int k = 0; k < counts.Length; k++)
            {
                if (counts[k] == 0) continue;
                double times = Math.Log(counts[k]);
                a = Phm.LogAdd(a, logA[k] + times);
                b = Phm.LogAdd(b, logB[k] + times);
            }
            return Phm.Ratio(a, b);
        }, level, iterations, seed);

    internal static double Quantile(double[] sorted, double p)
    {
        double at = p * (sorted.Length - 1);
        int low = (int)Math.Floor(at);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
    }
}
