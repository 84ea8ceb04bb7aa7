using GanDashboard.Core.Generation;
using GanDashboard.Core.Import;
using GanDashboard.Tvae.RunAware;

namespace GanDashboard.Tvae.RunTable;

/// <summary>
/// Everything run-table generation needs besides the network and the transformer, stored in the model file so that
/// generation reads nothing else: the table's column roles, the fitted run lengths per failure mode, the label values
/// runs carry, the context chain, each sensor's bounds, the latent prior and misfit regressions, and the residual process.
/// </summary>
/// <param name="RunTraits">What each real run that failed brings to a synthetic one: failure mode, length, degradation signature and label values (see <see cref="RunTrait"/>).</param>
/// <param name="PriorWeights">Ridge weights <c>[features, embedding]</c> of the latent's mean given the condition (see <see cref="LifeCondition"/>).</param>
/// <param name="MisfitWeights">Ridge weights <c>[features, sensors]</c> of what the condition explains of the real values' departure from the decoder.</param>
/// <param name="HeldOutRuns">Run ids of the imported table kept out of training to judge the model on (empty when none were).</param>
public sealed record RunTableSpec(
    int FormatVersion,
    string MachineId,
    RunTableSchema Schema,
    RunSkeletonModel Skeletons,
    IReadOnlyList<RunTrait> RunTraits,
    int SignatureDim,
    ContextChain Context,
    IReadOnlyList<NetworkSensorFit> Sensors,
    double[]? PriorWeights,
    double[]? MisfitWeights,
    ResidualProcess? Residuals,
    IReadOnlyList<string> HeldOutRuns,
    string? NotCensoredValue,
    double MedianLength)
{
    /// <summary>The recording grid of each numeric sensor and context column that has one (generated values are snapped to it).</summary>
    public IReadOnlyDictionary<string, ValueGrid> Grids { get; init; } = new Dictionary<string, ValueGrid>();

    public const int CurrentFormatVersion = 1;

    /// <summary>Life features, the run's signature, failure-mode one-hot, context-state one-hot, standardised numeric context.</summary>
    public int ConditionDim => LifeCondition.LifeFeatures + SignatureDim + Skeletons.FailureModes.Count + Context.States.Count + Context.Numeric.Count;

    /// <summary>True once the prior, misfit and residual process are fitted (a finished fit; a training checkpoint has none).</summary>
    public bool IsFinished => PriorWeights is not null && MisfitWeights is not null && Residuals is not null;
}

/// <summary>
/// One real run that failed, as synthetic runs borrow from it: its failure mode (index into the skeleton model's), its
/// length, its degradation signature (where its sensors went by the end of life, as standardised principal-component
/// scores: real fleets mix faults that move sensors different ways even when no column names them) and its label
/// values, and its noise scale. A synthetic run takes the signature of a real run of its failure mode and similar length, plus a little
/// noise (a kernel density draw), and that run's labels.
/// </summary>
public sealed record RunTrait(int FailureMode, int Length, double[] Signature, IReadOnlyList<string?> Labels)
{
    /// <summary>The run's noise scale per sensor, relative to the fleet's (set once the residual process is fitted).</summary>
    public double[]? NoiseScale { get; init; }

    /// <summary>The run's residual offsets and slopes per sensor (<see cref="GanDashboard.Core.Generation.ResidualProcess.Fit"/>); null in model files from before they were kept.</summary>
    public double[]? Line { get; init; }

    /// <summary>The run's smooth residual shape about its line per sensor (<see cref="GanDashboard.Core.Generation.ResidualProcess.Fit"/>); null in model files from before they were kept.</summary>
    public double[]? Shape { get; init; }

    /// <summary>Per sensor, the run's within-run residual step by step for the held sensors (<see cref="GanDashboard.Core.Generation.ResidualProcess.Held"/>), null for the others; null in model files from before, and when no sensor is held.</summary>
    public IReadOnlyList<float[]?>? Held { get; init; }
}

/// <summary>
/// Where a row is in its life, as the network and the regressions see it. Real runs have no health index: what they
/// have is the steps left to failure r and the run's length L. The condition holds h = min(r, cap) / cap (the capped
/// remaining life, the label's own scale), e = exp(-3 r / cap) (steep near failure, where sensors move fastest), the
/// life fraction f = i / (L - 1) (slow drift long before the cap) and l = ln(L / median L): how long the unit lasts goes
/// with what it is like (a unit that starts worn fails sooner), and without it the fleet's levels by life position
/// would turn into trends within each synthetic run. The regressions add f², and per failure mode
/// piecewise-linear hats of h, since sensors bend differently for different faults.
/// </summary>
public static class LifeCondition
{
    public const int LifeFeatures = 4;

    /// <summary>Denser near failure, where the paths bend.</summary>
    public static readonly double[] Knots = [0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1];

    /// <summary>Writes one row's condition.</summary>
    public static void Write(RunTableSpec spec, Span<float> into, int step, int length, ReadOnlySpan<double> signature, int failureMode, int state, Func<int, double> numericContext)
    {
        into.Clear();
        double cap = spec.Schema.RulCap;
        double remaining = length - 1 - step;
        into[0] = (float)(Math.Min(remaining, cap) / cap);
        into[1] = (float)Math.Exp(-3 * remaining / cap);
        into[2] = length > 1 ? (float)((double)step / (length - 1)) : 1f;
        into[3] = (float)Math.Log(length / spec.MedianLength);
        int at = LifeFeatures;
        for (int j = 0; j < spec.SignatureDim; j++) into[at + j] = (float)signature[j];
        at += spec.SignatureDim;
        if (failureMode >= 0) into[at + failureMode] = 1f;
        at += spec.Skeletons.FailureModes.Count;
        if (state >= 0) into[at + state] = 1f;
        at += spec.Context.States.Count;
        for (int c = 0; c < spec.Context.Numeric.Count; c++)
        {
            double std = spec.Context.Std[c];
            into[at + c] = (float)(std > 0 ? (numericContext(c) - spec.Context.Mean[c]) / std : 0);
        }
    }

    public static int FeatureCount(RunTableSpec spec) =>
        7 + 3 * spec.SignatureDim + spec.Skeletons.FailureModes.Count * Knots.Length + spec.Context.States.Count + spec.Context.Numeric.Count;

    /// <summary>
    /// The regressions' features of one condition: 1, h, e, f, f², l, l f; per signature score g: g, g(1 - h) and g e (how far
    /// this run's sensors go grows toward failure); hats of h per failure mode; the context as given.
    /// </summary>
    public static void Features(RunTableSpec spec, ReadOnlySpan<float> condition, Span<double> into)
    {
        int failures = spec.Skeletons.FailureModes.Count, signatures = spec.SignatureDim;
        double h = condition[0], e = condition[1], f = condition[2];
        into[0] = 1;
        into[1] = h;
        into[2] = e;
        into[3] = f;
        into[4] = f * f;
        into[5] = condition[3];
        into[6] = condition[3] * f;
        int at = 7;
        for (int j = 0; j < signatures; j++)
        {
            double g = condition[LifeFeatures + j];
            into[at + 3 * j] = g;
            into[at + 3 * j + 1] = g * (1 - h);
            into[at + 3 * j + 2] = g * e;
        }
        at += 3 * signatures;
        int first = LifeFeatures + signatures;
        for (int m = 0; m < failures; m++)
        {
            double on = condition[first + m];
            for (int k = 0; k < Knots.Length; k++) into[at + m * Knots.Length + k] = on == 0 ? 0 : on * Hats.At(Knots, k, h);
        }
        at += failures * Knots.Length;
        int rest = spec.Context.States.Count + spec.Context.Numeric.Count;
        for (int c = 0; c < rest; c++) into[at + c] = condition[first + failures + c];
    }
}
