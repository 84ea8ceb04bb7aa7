namespace GanDashboard.Core.Quality.Usefulness;

/// <summary>
/// The PHM08 / C-MAPSS asymmetric score of one regressor on unseen runs, on the scale it was defined for: errors
/// d = predicted - true in <em>steps</em> (rows of the run, whatever unit the RUL column is in; in units of cap / 125
/// steps when the cap is longer, see <see cref="Phm.ErrorUnit"/>), on RUL capped at the profile's cap converted to steps
/// (predictions are clipped to [0, cap] as well). <see cref="CutSum"/> is the C-MAPSS
/// test convention: each unseen run cut at one uniformly drawn step (fixed by the seed) and the terms summed over the
/// runs; <see cref="RowMean"/> averages the term over every row. Sums are kept as logarithms, so no figure overflows
/// (<see cref="LogCutSum"/>, <see cref="LogRowMean"/>; ratios are taken between logarithms).
/// </summary>
public sealed record PhmScore(double CutSum, double LogCutSum, int Cuts, double RowMean, double LogRowMean, int Rows, double CapSteps);

public static class Phm
{
    /// <summary>The RUL cap, in steps, that PHM08's constants (13 and 10) were set for: C-MAPSS caps its cycles at 125-130.</summary>
    public const double ReferenceCapSteps = 125;

    /// <summary>
    /// The steps one unit of d counts: 1 up to a cap of <see cref="ReferenceCapSteps"/> steps, else cap / 125. With hourly
    /// rows and a 1,000-step cap, d in steps reaches hundreds, exp(d/10) reaches 10^28 and the mean per row was the few
    /// latest predictions of either regressor: one gearbox model's per-row ratio was 0.14, 32 and 7,678 on three unseen
    /// sets with an RMSE ratio of 1.02 on all three. In units of cap / 125 a late error costs what the same share of the
    /// cap costs on C-MAPSS.
    /// </summary>
    public static double ErrorUnit(double capSteps) => double.IsFinite(capSteps) && capSteps > ReferenceCapSteps ? capSteps / ReferenceCapSteps : 1;

    /// <summary>exp(-d/13) - 1 when early (d &lt; 0), exp(d/10) - 1 when late: a late prediction costs more.</summary>
    public static double Term(double d) => d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1;

    /// <summary>log(<see cref="Term"/>(d)); negative infinity at d = 0. Exact for any d, however large.</summary>
    public static double LogTerm(double d)
    {
        double x = d < 0 ? -d / 13 : d / 10;
        if (x == 0) return double.NegativeInfinity;
        // log(e^x - 1) = x + log(1 - e^-x) for large x; log(expm1(x)) for small.
        return x > 1 ? x + Math.Log(-double.ExpM1(-x)) : Math.Log(double.ExpM1(x));
    }

    /// <summary>log(e^a + e^b).</summary>
    public static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }

    /// <summary>Each row's error in steps, after capping both sides at <paramref name="cap"/> (in RUL units) and clipping predictions at 0.</summary>
    public static double[] StepErrors(IReadOnlyList<double> predicted, IReadOnlyList<double> truth, double rulPerStep, double cap)
    {
        if (!(rulPerStep > 0)) throw new ArgumentException("RUL must fall by a positive amount per step.", nameof(rulPerStep));
        var d = new double[predicted.Count];
        for (int i = 0; i < d.Length; i++)
            d[i] = (Math.Clamp(predicted[i], 0, cap) - Math.Min(truth[i], cap)) / rulPerStep;
        return d;
    }

    /// <summary>One uniformly drawn step per run (an index into the run's rows), fixed by the seed and the run order.</summary>
    public static int[] CutPoints(IReadOnlyList<int> runLengths, int seed)
    {
        var random = new Random(seed);
        return runLengths.Select(n => random.Next(n)).ToArray();
    }

    /// <param name="errors">Error in steps of every scored row.</param>
    /// <param name="runs">The scored rows (indices into <paramref name="errors"/>) of each unseen run, in step order.</param>
    /// <param name="cuts">For each run, the index of its cut step within the run (<see cref="CutPoints"/>).</param>
    public static PhmScore Score(double[] errors, IReadOnlyList<int[]> runs, IReadOnlyList<int> cuts, double capSteps)
    {
        double logRows = double.NegativeInfinity, logCuts = double.NegativeInfinity;
        foreach (double d in errors) logRows = LogAdd(logRows, LogTerm(d));
        for (int k = 0; k < runs.Count; k++) logCuts = LogAdd(logCuts, LogTerm(errors[runs[k][cuts[k]]]));
        double logMean = errors.Length == 0 ? double.NegativeInfinity : logRows - Math.Log(errors.Length);
        return new PhmScore(Math.Exp(logCuts), logCuts, runs.Count, Math.Exp(logMean), logMean, errors.Length, capSteps);
    }

    /// <summary>a / b from their logarithms: 1 when both are 0, infinity when only b is.</summary>
    public static double Ratio(double logA, double logB) =>
        double.IsNegativeInfinity(logB) ? (double.IsNegativeInfinity(logA) ? 1 : double.PositiveInfinity) : Math.Exp(logA - logB);
}
