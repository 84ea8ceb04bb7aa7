namespace GanDashboard.Core.Generation;

/// <summary>
/// The resolution a real column was recorded at: its values sit on a grid origin + k x step (an instrument that
/// reports 1.30, 1.31, 1.32, or whole counts). Generated values are snapped to it, so a sensor that real runs show as a
/// few levels does not come out as a continuum (which changes its distribution, its ties and its rank trends).
/// </summary>
/// <param name="Decimals">Decimal places of the grid, so snapped values print as the real ones do (1.31, not 1.3100000000000001).</param>
public sealed record ValueGrid(double Origin, double Step, int Decimals)
{
    /// <summary>More distinct values than this are treated as continuous (a grid that fine changes nothing).</summary>
    private const int MaxLevels = 100_000;

    /// <summary>The grid the values sit on, or null when they are continuous (or constant).</summary>
    public static ValueGrid? Detect(IReadOnlyList<double> values)
    {
        var distinct = values.Where(double.IsFinite).Distinct().Order().ToArray();
        if (distinct.Length < 2 || distinct.Length > MaxLevels) return null;
        double range = distinct[^1] - distinct[0];
        double step = double.PositiveInfinity;
        for (int i = 1; i < distinct.Length; i++) step = Math.Min(step, distinct[i] - distinct[i - 1]);
        if (!(step > range * 1e-7)) return null;
        int decimals = DecimalsOf(step);
        if (decimals < 0) return null;
        step = Math.Round(step, decimals);
        double origin = distinct[0];
        foreach (double v in distinct)
        {
            double k = (v - origin) / step;
            if (Math.Abs(k - Math.Round(k)) > 1e-3) return null;
        }
        int originDecimals = DecimalsOf(origin);
        return new ValueGrid(origin, step, Math.Max(decimals, Math.Max(originDecimals, 0)));
    }

    public double Snap(double value) => Math.Round(Origin + Math.Round((value - Origin) / Step) * Step, Decimals);

    /// <summary>The fewest decimal places (up to 12) that write the number exactly enough; -1 when none do.</summary>
    private static int DecimalsOf(double value)
    {
        for (int d = 0; d <= 12; d++)
        {
            double scaled = value * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, Math.Abs(scaled))) return d;
        }
        return -1;
    }
}
