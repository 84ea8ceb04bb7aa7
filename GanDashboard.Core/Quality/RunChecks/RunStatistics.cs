namespace GanDashboard.Core.Quality.RunChecks;

/// <summary>Small statistics the run checks need, written for streaming (no whole-dataset arrays).</summary>
public static class RunStatistics
{
    /// <summary>Spearman's rho of <paramref name="values"/> against their position (time), ties averaged.</summary>
    public static double SpearmanAgainstTime(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n < 2) return double.NaN;
        var ranks = Ranks(values);
        var time = new double[n];
        for (int i = 0; i < n; i++) time[i] = i;
        return Pearson(ranks, time);
    }

    /// <summary>Pearson's r of <paramref name="values"/> against their position.</summary>
    public static double PearsonAgainstTime(ReadOnlySpan<double> values)
    {
        var time = new double[values.Length];
        for (int i = 0; i < time.Length; i++) time[i] = i;
        return Pearson(values, time);
    }

    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var c = new StreamingCorrelation();
        for (int i = 0; i < x.Length; i++) c.Add(x[i], y[i]);
        return c.Correlation;
    }

    /// <summary>Average ranks (1-based), ties sharing the mean of their positions.</summary>
    public static double[] Ranks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        var keys = values.ToArray();
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>Pearson correlation updated one pair at a time (Welford's co-moments), so it can run over any number of rows.</summary>
public sealed class StreamingCorrelation
{
    private long _n;
    private double _meanX, _meanY, _m2X, _m2Y, _coMoment;

    public long Count => _n;

    public void Add(double x, double y)
    {
        _n++;
        double dx = x - _meanX;
        _meanX += dx / _n;
        double dy = y - _meanY;
        _meanY += dy / _n;
        _m2X += dx * (x - _meanX);
        _m2Y += dy * (y - _meanY);
        _coMoment += dx * (y - _meanY);
    }

    /// <summary>NaN when fewer than two pairs or either side is constant.</summary>
    public double Correlation => _n < 2 || _m2X <= 0 || _m2Y <= 0 ? double.NaN : _coMoment / Math.Sqrt(_m2X * _m2Y);
}
