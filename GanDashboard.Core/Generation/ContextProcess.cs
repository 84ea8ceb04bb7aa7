using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Generation;

/// <summary>
/// A context sensor (profile direction <c>none</c>, e.g. ambient temperature or a set speed) as an exogenous AR(1)
/// process around its operating-mode mean: x_t = mean(mode_t) + r_t, r_t = phi r_(t-1) + innovation. Fitted to the
/// seed runs (phi is the pooled within-run lag-1 correlation of the residuals), so the process reproduces the seed's
/// autocorrelation whether the profile gives the sensor <c>dynamics</c> or only white noise.
/// </summary>
public sealed record ContextSensorFit(string Name, double[] ModeMeans, double Phi, double ResidualStd, double Min, double Max, double Mean, double Std)
{
    public static ContextSensorFit Fit(Table seed, string sensor, IReadOnlyList<string> modeNames, double min, double max)
    {
        var runs = RunIndex.Of(seed) ?? throw new ArgumentException("The seed table has no run_id column.", nameof(seed));
        var values = seed[sensor].Numbers ?? throw new ArgumentException($"Sensor '{sensor}' must be numeric.", nameof(sensor));
        var modes = ModeIndices(seed, modeNames);
        int m = modeNames.Count;
        var sum = new double[m];
        var count = new int[m];
        double total = 0;
        for (int r = 0; r < values.Length; r++)
        {
            total += values[r];
            if (modes[r] >= 0) { sum[modes[r]] += values[r]; count[modes[r]]++; }
        }
        double mean = total / values.Length;
        var modeMeans = Enumerable.Range(0, m).Select(i => count[i] > 0 ? sum[i] / count[i] : mean).ToArray();
        double Residual(int r) => values[r] - (modes[r] >= 0 ? modeMeans[modes[r]] : mean);

        double squares = 0, spread = 0;
        for (int r = 0; r < values.Length; r++)
        {
            squares += Residual(r) * Residual(r);
            spread += (values[r] - mean) * (values[r] - mean);
        }
        double residualStd = Math.Sqrt(squares / values.Length);
        var current = new List<double>();
        var next = new List<double>();
        foreach (var run in runs.Rows)
        {
            for (int i = 0; i + 1 < run.Length; i++)
            {
                current.Add(Residual(run[i]));
                next.Add(Residual(run[i + 1]));
            }
        }
        double phi = current.Count > 2 ? RunStatistics.Pearson(current.ToArray(), next.ToArray()) : 0;
        phi = double.IsFinite(phi) ? Math.Clamp(phi, 0, 0.999) : 0;
        return new ContextSensorFit(sensor, modeMeans, phi, residualStd, min, max, mean, Math.Sqrt(spread / values.Length));
    }

    /// <summary>One run's values for the given mode sequence, starting from the stationary spread.</summary>
    public double[] Simulate(int[] modes, Xoshiro256 random)
    {
        var values = new double[modes.Length];
        double innovation = ResidualStd * Math.Sqrt(1 - Phi * Phi);
        double residual = ResidualStd * random.NextNormal();
        for (int i = 0; i < modes.Length; i++)
        {
            if (i > 0) residual = Phi * residual + innovation * random.NextNormal();
            values[i] = Math.Clamp(ModeMeans[modes[i]] + residual, Min, Max);
        }
        return values;
    }

    /// <summary>Each row's operating mode as an index into <paramref name="modeNames"/>, -1 when unknown.</summary>
    public static int[] ModeIndices(Table seed, IReadOnlyList<string> modeNames)
    {
        var labels = seed[SeedColumns.OperatingMode].Labels ?? throw new ArgumentException("operating_mode must be a label column.", nameof(seed));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < modeNames.Count; i++) index[modeNames[i]] = i;
        return labels.Select(l => l is not null && index.TryGetValue(l, out int i) ? i : -1).ToArray();
    }
}
