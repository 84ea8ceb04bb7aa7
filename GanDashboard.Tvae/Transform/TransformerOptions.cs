namespace GanDashboard.Tvae.Transform;

/// <summary>
/// Settings of the mode-specific normalisation. The defaults are the reference's: CTGAN's
/// <c>DataTransformer(max_clusters=10, weight_threshold=0.005)</c> over scikit-learn's
/// <c>BayesianGaussianMixture(weight_concentration_prior_type='dirichlet_process', weight_concentration_prior=0.001)</c>
/// with its own defaults (100 iterations, tolerance 1e-3, reg_covar 1e-6, k-means initialisation).
/// </summary>
public sealed record TransformerOptions
{
    /// <summary>Components of each continuous column's mixture before the weight threshold prunes them.</summary>
    public int MaxClusters { get; init; } = 10;

    /// <summary>Components whose mixture weight is not above this are dropped from the output.</summary>
    public double WeightThreshold { get; init; } = 0.005;

    /// <summary>Variational iterations; the reference nearly always stops here rather than converging.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stops early when the lower bound changes by less than this (scikit-learn's <c>tol</c>).</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Dirichlet-process concentration: small values switch unneeded components off.</summary>
    public double WeightConcentrationPrior { get; init; } = 0.001;

    /// <summary>Added to every component variance so a column of ties still has a positive variance.</summary>
    public double RegCovar { get; init; } = 1e-6;

    /// <summary>Lloyd iterations of the k-means initialisation (scikit-learn's KMeans default).</summary>
    public int KMeansMaxIterations { get; init; } = 300;

    /// <summary>Columns fitted and transformed at once; 0 or less means one per core.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;

    internal void Validate()
    {
        if (MaxClusters < 1) throw new ArgumentOutOfRangeException(nameof(MaxClusters), MaxClusters, "At least one cluster is needed.");
        if (WeightThreshold is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(WeightThreshold), WeightThreshold, "Must be in [0, 1).");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
        if (WeightConcentrationPrior <= 0) throw new ArgumentOutOfRangeException(nameof(WeightConcentrationPrior), WeightConcentrationPrior, "Must be positive.");
        if (RegCovar < 0) throw new ArgumentOutOfRangeException(nameof(RegCovar), RegCovar, "Must not be negative.");
    }
}
