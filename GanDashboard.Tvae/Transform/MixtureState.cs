using System.Text.Json.Serialization;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// A fitted 1-D variational Gaussian mixture with a Dirichlet-process weight prior: the same parameters scikit-learn's
/// <c>BayesianGaussianMixture</c> keeps (<c>weight_concentration_</c> as two arrays, <c>mean_precision_</c>, <c>means_</c>,
/// <c>degrees_of_freedom_</c>, <c>covariances_</c>, <c>weights_</c>), all components including the pruned ones,
/// because a value's posterior over components is normalised over all of them.
/// </summary>
public sealed record MixtureState(
    double[] Weights,
    double[] Means,
    double[] Covariances,
    double[] DegreesOfFreedom,
    double[] MeanPrecisions,
    double[] WeightConcentrationA,
    double[] WeightConcentrationB,
    int Iterations,
    bool Converged,
    double LowerBound)
{
    [JsonIgnore]
    public int Components => Means.Length;
}
