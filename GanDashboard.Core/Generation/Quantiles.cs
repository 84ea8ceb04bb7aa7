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
}
