namespace GanDashboard.Core.Generation;

/// <summary>
/// An empirical distribution kept as evenly spaced quantiles and sampled by inverse CDF with linear interpolation:
/// a smooth fit of the seed's values that stores no individual run.
/// </summary>
public static class Quantiles
{
    public const int DefaultCount = 101;

    /// <summary>The 0th to 100th percentiles (in <paramref name="count"/> steps) of <paramref name="values"/>.</summary>
    public static double[] Of(IReadOnlyCollection<double> values, int count = DefaultCount)
    {
        if (values.Count == 0) throw new ArgumentException("No values to fit.", nameof(values));
        var sorted = values.Order().ToArray();
        var result = new double[count];
        for (int q = 0; q < count; q++)
        {
            double at = (double)q / (count - 1) * (sorted.Length - 1);
            int low = (int)Math.Floor(at);
            int high = Math.Min(low + 1, sorted.Length - 1);
            result[q] = sorted[low] + (sorted[high] - sorted[low]) * (at - low);
        }
        return result;
    }

    /// <summary>The value at probability <paramref name="u"/> in [0, 1).</summary>
    public static double Draw(IReadOnlyList<double> quantiles, double u)
    {
        double at = u * (quantiles.Count - 1);
        int low = Math.Min((int)Math.Floor(at), quantiles.Count - 1);
        int high = Math.Min(low + 1, quantiles.Count - 1);
        return quantiles[low] + (quantiles[high] - quantiles[low]) * (at - low);
    }

    /// <summary>
    /// A draw from the kernel-smoothed distribution of the <paramref name="sampleSize"/> values the quantiles were fitted
    /// to (the smoothed bootstrap): an empirical value plus h z, h by Silverman's rule, shrunk toward the mean so the
    /// spread stays the data's; on a log scale for positive values such as run lengths. Plain inverse-CDF draws land
    /// between two fitted values, so every synthetic run length sat next to a real run's: synthetic rows then pointed at
    /// the runs the model learnt from (one fan model: 62 % of synthetic rows closer to training runs than to unseen ones
    /// where the simulator's own fresh runs were 52 %; 59 % and 49 % with smoothed lengths, on two sets of unseen runs).
    /// </summary>
    public static double DrawSmoothed(IReadOnlyList<double> quantiles, int sampleSize, double u, double normal, bool logScale = false)
    {
        double value = Draw(quantiles, u);
        if (sampleSize < 2 || (logScale && quantiles.Any(q => !(q > 0)))) return value;
        var scale = quantiles.Select(q => logScale ? Math.Log(q) : q).ToArray();
        double mean = scale.Average();
        double std = Math.Sqrt(scale.Sum(l => (l - mean) * (l - mean)) / scale.Length);
        double iqr = (Draw(scale, 0.75) - Draw(scale, 0.25)) / 1.34;
        double spread = iqr > 0 ? Math.Min(std, iqr) : std;
        if (!(spread > 1e-12 * Math.Max(1, Math.Abs(mean)))) return value;
        double h = 0.9 * spread * Math.Pow(sampleSize, -0.2);
        double smoothed = mean + ((logScale ? Math.Log(value) : value) - mean + h * normal) / Math.Sqrt(1 + h * h / (std * std));
        return logScale ? Math.Exp(smoothed) : smoothed;
    }

    /// <summary>The standard normal quantile of <paramref name="u"/> in (0, 1) (Acklam's rational approximation: within 1e-8 in the middle, 2e-5 in the tails).</summary>
    public static double StandardNormal(double u)
    {
        u = Math.Clamp(u, 1e-15, 1 - 1e-15);
        const double Low = 0.02425;
        if (u < Low) return Tail(Math.Sqrt(-2 * Math.Log(u)));
        if (u > 1 - Low) return -Tail(Math.Sqrt(-2 * Math.Log(1 - u)));
        double q = u - 0.5, r = q * q;
        return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
            / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);

        static double Tail(double q) =>
            (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549671010405084e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
            / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
    }
}
