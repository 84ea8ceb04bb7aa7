namespace GanDashboard.Core.Generation;

/// <summary>
/// A synthetic run before it has sensor values: its failure mode, length, operating mode at every step and its
/// degradation D (health index = 1 - D) at every step.
/// </summary>
public sealed record RunSkeleton(int FailureMode, int Length, int[] Modes, double[] Degradation);

/// <summary>
/// Where a run sits in its failure mode's fitted distributions, each coordinate in [0, 1): the quantile of its length,
/// the kernel offset that smooths the length (<see cref="Quantiles.DrawSmoothed"/>), and the quantile of its onset.
/// </summary>
public sealed record RunPoint(double LengthQuantile, double LengthKernel, double OnsetQuantile);

/// <summary>One failure mode's fitted run statistics (all quantile arrays, see <see cref="Quantiles"/>).</summary>
/// <param name="LengthQuantiles">Run lengths in steps.</param>
/// <param name="OnsetQuantiles">First degrading step divided by (length - 1).</param>
/// <param name="DegradationCurve">Mean D / D(last step) at evenly spaced fractions of the degradation phase (0 to 1), made non-decreasing.</param>
/// <param name="EndDegradationQuantiles">D at the last step.</param>
public sealed record FailureModeFit(
    string Id, double Share, int Runs, double[] LengthQuantiles, double[] OnsetQuantiles, double[] DegradationCurve, double[] EndDegradationQuantiles);

/// <summary>One operating mode: its load fraction, share of first steps and its row of the step-to-step transition matrix.</summary>
public sealed record OperatingModeFit(string Name, double LoadFraction, double InitialShare, double[] Transitions)
{
    /// <summary>Mean steps spent in the mode once entered (geometric dwell of the fitted chain).</summary>
    public double MeanDwellSteps(int index) => 1 / Math.Max(1e-9, 1 - Transitions[index]);
}
