namespace GanDashboard.Core.Quality.Fidelity;

/// <summary>
/// The column-pair metrics of SDMetrics 0.29 (<c>sdmetrics/column_pairs/statistical</c>) and the QualityReport's
/// discretisation of continuous columns, reproduced with the same numerical conventions.
/// </summary>
public static class PairMetrics
{
    /// <summary>The QualityReport bins each continuous column into numpy's default 10 equal-width bins.</summary>
    public const int BinCount = 10;

    /// <summary>
    /// Pearson's r on the rows where both values are present (scipy's pearsonr): NaN when either side has no
    /// spread; an exception when fewer than two rows remain.
    /// </summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var xs = new List<double>(x.Count);
        var ys = new List<double>(x.Count);
        for (int i = 0; i < x.Count; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            xs.Add(x[i]);
            ys.Add(y[i]);
        }
        if (xs.Count < 2) throw new ArgumentException("x and y must have length at least 2.");
        double meanX = xs.Average(), meanY = ys.Average();
        double sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            double dx = xs[i] - meanX, dy = ys[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy)), -1, 1);
    }

    /// <summary>CorrelationSimilarity's score: 1 - |r_real - r_synthetic| / 2.</summary>
    public static double CorrelationSimilarity(double realCorrelation, double syntheticCorrelation) =>
        1 - Math.Abs(realCorrelation - syntheticCorrelation) / 2;

    /// <summary>
    /// numpy.histogram_bin_edges(values[~isnan], bins=10): equal-width edges over the values' own min..max
    /// (widened by 0.5 each way for a constant column, 0..1 for an empty one), built like numpy.linspace.
    /// </summary>
    public static double[] HistogramBinEdges(IReadOnlyList<double> values)
    {
        var (first, last) = ColumnMetrics.MinMax(values);
        if (double.IsNaN(first)) (first, last) = (0, 1);
        if (first == last) (first, last) = (first - 0.5, last + 0.5);
        var edges = new double[BinCount + 1];
        double step = (last - first) / BinCount;
        for (int i = 0; i < BinCount; i++) edges[i] = i * step + first;
        edges[BinCount] = last;
        return edges;
    }

    /// <summary>
    /// numpy.digitize(values, edges): the number of edges at or below each value, so the maximum lands in
    /// bin 11 and so does a null (numpy sorts NaN after every number).
    /// </summary>
    public static int[] Digitize(IReadOnlyList<double> values, double[] edges)
    {
        var bins = new int[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (double.IsNaN(v)) { bins[i] = edges.Length; continue; }
            int lo = 0, hi = edges.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (edges[mid] <= v) lo = mid + 1; else hi = mid;
            }
            bins[i] = lo;
        }
        return bins;
    }

    /// <summary>
    /// ContingencySimilarity's score on two coded columns (one code per category, nulls a category of their own):
    /// 1 - half the total variation distance between the real and synthetic joint frequencies.
    /// </summary>
    public static double ContingencySimilarity(CodedPair real, CodedPair synthetic)
    {
        var realShares = real.JointCounts();
        var syntheticShares = synthetic.JointCounts();
        double variation = 0;
        foreach (var (key, count) in realShares)
            variation += Math.Abs((double)count / real.Length - (double)syntheticShares.GetValueOrDefault(key) / synthetic.Length);
        foreach (var (key, count) in syntheticShares)
            if (!realShares.ContainsKey(key)) variation += (double)count / synthetic.Length;
        return 1 - variation / 2;
    }

    /// <summary>
    /// Cramér's V of the real contingency table (scipy.stats.contingency.association, method cramer, no
    /// continuity correction); NaN when the table has fewer than two rows or two columns, as SDMetrics returns.
    /// </summary>
    public static double CramersV(CodedPair pair)
    {
        var joint = pair.JointCounts();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        foreach (var ((a, b), count) in joint)
        {
            rows[a] = rows.GetValueOrDefault(a) + count;
            columns[b] = columns.GetValueOrDefault(b) + count;
        }
        if (pair.Length == 0 || rows.Count < 2 || columns.Count < 2) return double.NaN;
        double n = pair.Length, chi2 = 0;
        foreach (var (a, rowTotal) in rows)
        {
            foreach (var (b, columnTotal) in columns)
            {
                double expected = rowTotal * (double)columnTotal / n;
                double observed = joint.GetValueOrDefault((a, b));
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
        }
        return Math.Sqrt(chi2 / n / Math.Min(rows.Count - 1, columns.Count - 1));
    }
}

/// <summary>Two columns of one table as integer category codes, row by row.</summary>
public sealed record CodedPair(int[] First, int[] Second)
{
    public int Length => First.Length;

    public Dictionary<(int, int), long> JointCounts()
    {
        var counts = new Dictionary<(int, int), long>();
        for (int i = 0; i < First.Length; i++)
        {
            var key = (First[i], Second[i]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
