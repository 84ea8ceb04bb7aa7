namespace GanDashboard.Tvae.Transform;

/// <summary>
/// A 1-D sample stored as its sorted distinct values and how often each occurs. Every sum the k-means and the
/// variational mixture take over rows is the same sum over distinct values weighted by their counts, so this is
/// exact, and sensor columns rounded to a few decimals have far fewer distinct values than rows.
/// </summary>
internal sealed class WeightedSample
{
    private WeightedSample(double[] values, double[] counts)
    {
        Values = values;
        Counts = counts;
        foreach (double c in counts) Total += c;
    }

    /// <summary>Distinct values in ascending order.</summary>
    public double[] Values { get; }

    /// <summary>How many rows hold each value.</summary>
    public double[] Counts { get; }

    /// <summary>Number of rows.</summary>
    public double Total { get; }

    public int Length => Values.Length;

    /// <summary>The finite values of <paramref name="rows"/>, each shifted by <paramref name="shift"/> (subtracted).</summary>
    public static WeightedSample From(ReadOnlySpan<double> rows, double shift)
    {
        var sorted = rows.ToArray();
        for (int i = 0; i < sorted.Length; i++) sorted[i] -= shift;
        Array.Sort(sorted);
        var values = new List<double>();
        var counts = new List<double>();
        foreach (double v in sorted)
        {
            if (values.Count > 0 && values[^1] == v) counts[^1] += 1;
            else
            {
                values.Add(v);
                counts.Add(1);
            }
        }
        return new WeightedSample([.. values], [.. counts]);
    }

    public double Mean()
    {
        double sum = 0;
        for (int i = 0; i < Values.Length; i++) sum += Counts[i] * Values[i];
        return sum / Total;
    }

    /// <summary>Variance about <paramref name="mean"/> with <paramref name="ddof"/> degrees of freedom removed (numpy's convention).</summary>
    public double Variance(double mean, int ddof)
    {
        if (Total - ddof <= 0) return 0;
        double sum = 0;
        for (int i = 0; i < Values.Length; i++)
        {
            double d = Values[i] - mean;
            sum += Counts[i] * d * d;
        }
        return sum / (Total - ddof);
    }
}
