using System.Globalization;
using MudBlazor;

namespace GanDashboard.Web.Components.Shared;

/// <summary>
/// MudBlazor's line and bar charts place y ticks every <c>YAxisTicks</c> units (an integer, 20 by default),
/// which flattens losses and shares below a few units into one line. Values are therefore drawn multiplied by
/// a power of ten that spreads them over tens of units, with a whole tick step, and the axis labels divide
/// the factor back out. Tooltips would show the multiplied values, so they are off when a factor applies.
/// </summary>
public sealed record ChartScale(double Factor, int TickStep)
{
    public static ChartScale For(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new ChartScale(1, 1);
        double span = Math.Max(finite.Max() - finite.Min(), Math.Abs(finite.Max()));
        if (span <= 0) span = 1;
        double factor = 1;
        while (span * factor < 10) factor *= 10;
        int step = Math.Max(1, NiceStep(span * factor / 5));
        return new ChartScale(factor, step);
    }

    public double[] Apply(IEnumerable<double> values) => values.Select(v => v * Factor).ToArray();

    /// <summary>
    /// A line chart's options. MudBlazor draws a hover target for every data point when tooltips are on: a validation
    /// report's six trajectories of 100 points made 600 SVG elements, most of the page's first-render cost (Lighthouse
    /// mobile performance 57). Dense charts therefore draw lines only; their numbers are in the tables beside them.
    /// </summary>
    public LineChartOptions LineOptions(string? yTitle = null, int points = 0)
    {
        var options = Configure(new LineChartOptions { LineStrokeWidth = 2, ShowDataMarkers = false }, yTitle);
        options.ShowToolTips &= points <= MaxPointsWithTooltips;
        return options;
    }

    /// <summary>Data points (all series together) up to which a line chart keeps a tooltip per point.</summary>
    public const int MaxPointsWithTooltips = 120;

    public BarChartOptions BarOptions(string? yTitle = null) => Configure(new BarChartOptions(), yTitle);

    private T Configure<T>(T options, string? yTitle) where T : MudBlazor.Charts.DefaultAxisChartOptions
    {
        options.YAxisTicks = TickStep;
        options.MaxNumYAxisTicks = 8;
        options.YAxisTitle = yTitle;
        options.ShowToolTips = Factor == 1;
        double factor = Factor;
        options.YAxisToStringFunc = v => Label(v / factor);
        options.ChartPalette = [Layout.DashboardTheme.PrimaryBlue, Layout.DashboardTheme.AccentCyan, Layout.DashboardTheme.AccentPurple,
            Layout.DashboardTheme.WarningYellow, Layout.DashboardTheme.SuccessGreen, Layout.DashboardTheme.ErrorRed];
        return options;
    }

    /// <summary>Thousands in full ("6,000", not "6E+03"), small values with three significant digits.</summary>
    public static string Label(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    private static int NiceStep(double raw)
    {
        if (raw <= 1) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalised = raw / magnitude;
        double nice = normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10;
        return (int)(nice * magnitude);
    }
}
