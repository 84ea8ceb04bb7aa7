namespace GanDashboard.Core.Quality.Fidelity;

/// <summary>
/// The single-column metrics of SDMetrics 0.29 (<c>sdmetrics/single_column/statistical</c>), with the same
/// definitions and the same treatment of nulls and degenerate inputs. NaN means "no score" (SDMetrics' NaN).
/// </summary>
public static class ColumnMetrics
{
    // SDMetrics rounds to sys.float_info.dig - 1 = 14 decimals before the KS test (numpy's round: scale,
    // round half to even, unscale) so that values differing only by float noise tie.
    private const double KsRoundingScale = 1e14;

    /// <summary>KSComplement: 1 - the two-sample Kolmogorov-Smirnov statistic, nulls dropped; NaN when a side is empty.</summary>
    public static double KsComplement(IReadOnlyList<double> real, IReadOnlyList<double> synthetic)
    {
        double[] a = SortedRounded(real), b = SortedRounded(synthetic);
        if (a.Length == 0 || b.Length == 0) return double.NaN;
        return 1 - KsStatistic(a, b);
    }

    /// <summary>The largest gap between the empirical CDFs of two sorted samples (scipy's ks_2samp statistic).</summary>
    internal static double KsStatistic(double[] a, double[] b)
    {
        int i = 0, j = 0;
        double gap = 0;
        while (i < a.Length && j < b.Length)
        {
            double x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            gap = Math.Max(gap, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return gap;
    }

    private static double[] SortedRounded(IReadOnlyList<double> values)
    {
        var kept = new List<double>(values.Count);
        foreach (double v in values)
            if (!double.IsNaN(v)) kept.Add(Math.Round(v * KsRoundingScale, MidpointRounding.ToEven) / KsRoundingScale);
        var array = kept.ToArray();
        Array.Sort(array);
        return array;
    }

    /// <summary>
    /// TVComplement: 1 - half the total variation distance between category frequencies, nulls dropped.
    /// Like SDMetrics' get_frequencies, a category seen only in the synthetic data gets a real count of 1e-6.
    /// </summary>
    public static double TvComplement(IReadOnlyList<string?> real, IReadOnlyList<string?> synthetic)
    {
        var realCounts = CountLabels(real);
        var syntheticCounts = CountLabels(synthetic);
        if (realCounts.Count == 0 || syntheticCounts.Count == 0)
            throw new IncomputableMetricException("The TVComplement metric must have 1 or more non-null values.");
        foreach (string label in syntheticCounts.Keys) realCounts.TryAdd(label, 1e-6);
        double realTotal = realCounts.Values.Sum(), syntheticTotal = syntheticCounts.Values.Sum();
        double variation = 0;
        foreach (var (label, count) in realCounts)
            variation += Math.Abs(syntheticCounts.GetValueOrDefault(label) / syntheticTotal - count / realTotal);
        return 1 - 0.5 * variation;
    }

    private static Dictionary<string, double> CountLabels(IReadOnlyList<string?> values)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string? v in values)
            if (v is not null) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts;
    }

    /// <summary>
    /// BoundaryAdherence: share of synthetic values inside the real min..max. As in SDMetrics, nulls are dropped
    /// from both sides only when the real column has nulls; otherwise a synthetic null counts as out of bounds.
    /// </summary>
    public static double BoundaryAdherence(IReadOnlyList<double> real, IReadOnlyList<double> synthetic)
    {
        bool realHasNulls = real.Any(double.IsNaN);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in real)
        {
            if (double.IsNaN(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        int inside = 0, total = 0;
        foreach (double v in synthetic)
        {
            if (double.IsNaN(v) && realHasNulls) continue;
            total++;
            if (v >= min && v <= max) inside++;
        }
        return total == 0 ? double.NaN : (double)inside / total;
    }

    /// <summary>CategoryAdherence: share of synthetic values (nulls included) that also occur in the real column.</summary>
    public static double CategoryAdherence(IReadOnlyList<string?> real, IReadOnlyList<string?> synthetic)
    {
        if (synthetic.Count == 0) return double.NaN;
        var known = new HashSet<string>(real.OfType<string>(), StringComparer.Ordinal);
        bool realHasNulls = real.Any(v => v is null);
        int adherent = synthetic.Count(v => v is null ? realHasNulls : known.Contains(v));
        return (double)adherent / synthetic.Count;
    }

    /// <summary>RangeCoverage: how much of the real min..max the synthetic min..max covers; NaN for a constant real column.</summary>
    public static double RangeCoverage(IReadOnlyList<double> real, IReadOnlyList<double> synthetic)
    {
        var (minReal, maxReal) = MinMax(real);
        var (minSynthetic, maxSynthetic) = MinMax(synthetic);
        if (minReal == maxReal) return double.NaN;
        double width = maxReal - minReal;
        double belowMin = Math.Max((minSynthetic - minReal) / width, 0);
        double aboveMax = Math.Max((maxReal - maxSynthetic) / width, 0);
        return Math.Max(1 - (belowMin + aboveMax), 0);
    }

    /// <summary>CategoryCoverage: share of the real categories (nulls dropped) that the synthetic column produces.</summary>
    public static double CategoryCoverage(IReadOnlyList<string?> real, IReadOnlyList<string?> synthetic)
    {
        var realCategories = new HashSet<string>(real.OfType<string>(), StringComparer.Ordinal);
        if (realCategories.Count == 0) throw new IncomputableMetricException("The real column has no non-null values.");
        var syntheticCategories = new HashSet<string>(synthetic.OfType<string>(), StringComparer.Ordinal);
        return (double)realCategories.Count(syntheticCategories.Contains) / realCategories.Count;
    }

    /// <summary>Min and max ignoring NaN (pandas' skipna); NaN when every value is missing.</summary>
    internal static (double Min, double Max) MinMax(IReadOnlyList<double> values)
    {
        double min = double.NaN, max = double.NaN;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(min) || v < min) min = v;
            if (double.IsNaN(max) || v > max) max = v;
        }
        return (min, max);
    }
}

/// <summary>A metric that has no value for its input (SDMetrics' IncomputableMetricError); the report shows the message.</summary>
public sealed class IncomputableMetricException(string message) : Exception(message);
