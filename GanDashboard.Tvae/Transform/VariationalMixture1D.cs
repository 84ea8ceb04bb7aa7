using System.Numerics;
using System.Runtime.CompilerServices;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// Variational inference for a 1-D Gaussian mixture with a Dirichlet-process (stick-breaking) weight prior, as
/// scikit-learn's <c>BayesianGaussianMixture(covariance_type='full', init_params='kmeans', n_init=1)</c> does it
/// (Bishop 2006, section 10.2; Blei and Jordan 2006). Priors are scikit-learn's defaults: mean prior = data mean,
/// mean precision prior = 1, degrees of freedom prior = 1 (the number of features), covariance prior = the data
/// variance (ddof 1). Each iteration is an E-step, an M-step and the lower bound, in closed form over plain arrays.
/// </summary>
internal static class VariationalMixture1D
{
    private const double Epsilon = 2.220446049250313e-16; // numpy's float64 eps: scikit-learn adds 10 eps to every nk
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);
    private static readonly double LogTwo = Math.Log(2);

    public static MixtureState Fit(ReadOnlySpan<double> rows, int components, TransformerOptions options, SeededRandom random)
    {
        // Centring is exact for this model (the mean prior is the data mean) and keeps the sums well conditioned.
        double center = 0;
        foreach (double v in rows) center += v;
        center /= rows.Length;
        var sample = WeightedSample.From(rows, center);
        var fit = new Fitter(sample, components, options);
        fit.Initialise(KMeans1D.Fit(sample, components, options.KMeansMaxIterations, random));
        double lowerBound = double.NegativeInfinity;
        bool converged = false;
        int iteration = 0;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            double previous = lowerBound;
            double sumRLogR = fit.ExpectationStep();
            fit.MaximisationStep();
            lowerBound = fit.LowerBound(sumRLogR);
            if (Math.Abs(lowerBound - previous) < options.Tolerance)
            {
                converged = true;
                break;
            }
        }
        return fit.ToState(center, iteration, converged, lowerBound);
    }

    /// <summary>The per-component constants of the E-step's log probabilities: log p_k(x) = Offset_k - Curvature_k (x - Mean_k)^2.</summary>
    internal static void LogProbabilityTerms(
        ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> covariances, ReadOnlySpan<double> dof,
        ReadOnlySpan<double> meanPrecisions, Span<double> offset, Span<double> curvature)
    {
        double stickRemainder = 0; // sum over earlier sticks of E[log(1 - v_j)]
        for (int k = 0; k < a.Length; k++)
        {
            double digammaSum = SpecialFunctions.Digamma(a[k] + b[k]);
            double logWeight = SpecialFunctions.Digamma(a[k]) - digammaSum + stickRemainder;
            stickRemainder += SpecialFunctions.Digamma(b[k]) - digammaSum;
            // Gaussian with the normalised covariance, minus 0.5 log(dof) because scikit-learn divides the
            // Wishart scale by the degrees of freedom, plus the expected log precision and mean uncertainty.
            double logLambda = LogTwo + SpecialFunctions.Digamma(0.5 * dof[k]);
            offset[k] = logWeight - 0.5 * (LogTwoPi + Math.Log(covariances[k]) + Math.Log(dof[k]))
                + 0.5 * (logLambda - 1 / meanPrecisions[k]);
            curvature[k] = 0.5 / covariances[k];
        }
    }

    /// <summary>Posterior component weights from the stick-breaking Beta parameters (scikit-learn's <c>weights_</c>).</summary>
    internal static double[] Weights(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var weights = new double[a.Length];
        double remaining = 1, total = 0;
        for (int k = 0; k < a.Length; k++)
        {
            weights[k] = a[k] / (a[k] + b[k]) * remaining;
            remaining *= b[k] / (a[k] + b[k]);
            total += weights[k];
        }
        for (int k = 0; k < a.Length; k++) weights[k] /= total;
        return weights;
    }

    /// <summary>
    /// The iteration state. Responsibilities are stored component-major over the distinct values, padded with
    /// zero-count values to a whole number of SIMD vectors, so every pass runs on <see cref="Vector{T}"/> lanes.
    /// </summary>
    private sealed class Fitter
    {
        private readonly int _k;
        private readonly int _m; // padded number of distinct values
        private readonly double[] _x, _w;
        private readonly TransformerOptions _options;
        private readonly double _covariancePrior;
        private readonly double[] _responsibilities; // [component, distinct value]
        private readonly double[] _nk, _xk, _sk;
        private readonly double[] _a, _b, _meanPrecision, _means, _dof, _covariances;
        private readonly double[] _offset, _curvature;

        public Fitter(WeightedSample sample, int components, TransformerOptions options)
        {
            int lanes = Vector<double>.Count;
            _k = components;
            _m = (sample.Length + lanes - 1) / lanes * lanes;
            _x = new double[_m];
            _w = new double[_m];
            sample.Values.CopyTo(_x, 0);
            sample.Counts.CopyTo(_w, 0);
            _options = options;
            _covariancePrior = sample.Variance(sample.Mean(), ddof: 1);
            _responsibilities = new double[components * _m];
            _nk = new double[components];
            _xk = new double[components];
            _sk = new double[components];
            _a = new double[components];
            _b = new double[components];
            _meanPrecision = new double[components];
            _means = new double[components];
            _dof = new double[components];
            _covariances = new double[components];
            _offset = new double[components];
            _curvature = new double[components];
        }

        /// <summary>Hard k-means labels as responsibilities, then a first M-step (scikit-learn's <c>_initialize</c>).</summary>
        public void Initialise(int[] labels)
        {
            Array.Clear(_responsibilities);
            for (int i = 0; i < labels.Length; i++) _responsibilities[labels[i] * _m + i] = 1;
            MaximisationStep();
        }

        /// <summary>Responsibilities under the current parameters; returns the count-weighted sum of r log r.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
        public double ExpectationStep()
        {
            LogProbabilityTerms(_a, _b, _covariances, _dof, _meanPrecision, _offset, _curvature);
            int k = _k, lanes = Vector<double>.Count;
            Span<Vector<double>> means = stackalloc Vector<double>[k];
            Span<Vector<double>> offsets = stackalloc Vector<double>[k];
            Span<Vector<double>> curvatures = stackalloc Vector<double>[k];
            Span<Vector<double>> logProb = stackalloc Vector<double>[k];
            for (int c = 0; c < k; c++)
            {
                means[c] = new Vector<double>(_means[c]);
                offsets[c] = new Vector<double>(_offset[c]);
                curvatures[c] = new Vector<double>(_curvature[c]);
            }
            var total = Vector<double>.Zero;
            for (int i = 0; i < _m; i += lanes)
            {
                var x = new Vector<double>(_x, i);
                var max = new Vector<double>(double.NegativeInfinity);
                for (int c = 0; c < k; c++)
                {
                    var d = x - means[c];
                    var lp = offsets[c] - curvatures[c] * d * d;
                    logProb[c] = lp;
                    max = Vector.Max(max, lp);
                }
                var sum = Vector<double>.Zero;
                for (int c = 0; c < k; c++)
                {
                    var e = Vector.Exp(logProb[c] - max);
                    e.CopyTo(_responsibilities, c * _m + i);
                    sum += e;
                }
                var inverse = Vector<double>.One / sum;
                var logNorm = max + Vector.Log(sum);
                var rowSum = Vector<double>.Zero;
                for (int c = 0; c < k; c++)
                {
                    var r = new Vector<double>(_responsibilities, c * _m + i) * inverse;
                    r.CopyTo(_responsibilities, c * _m + i);
                    rowSum += r * (logProb[c] - logNorm);
                }
                total += new Vector<double>(_w, i) * rowSum;
            }
            return Vector.Sum(total);
        }

        /// <summary>Closed-form updates of the weight, mean and precision posteriors from the responsibilities.</summary>
        public void MaximisationStep()
        {
            EstimateGaussianParameters();
            double meanPrior = 0; // the data mean, after centring
            double tail = 0;
            for (int c = _k - 1; c >= 0; c--)
            {
                _a[c] = 1 + _nk[c];
                _b[c] = _options.WeightConcentrationPrior + tail;
                tail += _nk[c];
            }
            for (int c = 0; c < _k; c++)
            {
                _meanPrecision[c] = 1 + _nk[c];
                _means[c] = (meanPrior + _nk[c] * _xk[c]) / _meanPrecision[c];
                _dof[c] = 1 + _nk[c];
                double diff = _xk[c] - meanPrior;
                _covariances[c] = (_covariancePrior + _nk[c] * _sk[c] + _nk[c] / _meanPrecision[c] * diff * diff) / _dof[c];
            }
        }

        /// <summary>nk, the weighted means xk and variances sk (plus reg_covar) of the responsibilities.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
        private void EstimateGaussianParameters()
        {
            int lanes = Vector<double>.Count;
            for (int c = 0; c < _k; c++)
            {
                var responsibilities = _responsibilities.AsSpan(c * _m, _m);
                var weight = Vector<double>.Zero;
                var weighted = Vector<double>.Zero;
                for (int i = 0; i < _m; i += lanes)
                {
                    var wr = new Vector<double>(_w, i) * new Vector<double>(responsibilities[i..]);
                    weight += wr;
                    weighted += wr * new Vector<double>(_x, i);
                }
                _nk[c] = Vector.Sum(weight) + 10 * Epsilon;
                _xk[c] = Vector.Sum(weighted) / _nk[c];
                var mean = new Vector<double>(_xk[c]);
                var squares = Vector<double>.Zero;
                for (int i = 0; i < _m; i += lanes)
                {
                    var d = new Vector<double>(_x, i) - mean;
                    squares += new Vector<double>(_w, i) * new Vector<double>(responsibilities[i..]) * d * d;
                }
                _sk[c] = Vector.Sum(squares) / _nk[c] + _options.RegCovar;
            }
        }

        /// <summary>scikit-learn's lower bound (constant terms dropped), from the E-step's sum of r log r.</summary>
        public double LowerBound(double sumRLogR)
        {
            double logWishart = 0, logNormWeight = 0, logMeanPrecision = 0;
            for (int c = 0; c < _k; c++)
            {
                double logDetPrecisionCholesky = -0.5 * Math.Log(_covariances[c]) - 0.5 * Math.Log(_dof[c]);
                logWishart -= _dof[c] * logDetPrecisionCholesky + _dof[c] * 0.5 * LogTwo + SpecialFunctions.LogGamma(0.5 * _dof[c]);
                logNormWeight -= SpecialFunctions.LogBeta(_a[c], _b[c]);
                logMeanPrecision += Math.Log(_meanPrecision[c]);
            }
            return -sumRLogR - logWishart - logNormWeight - 0.5 * logMeanPrecision;
        }

        public MixtureState ToState(double center, int iterations, bool converged, double lowerBound)
        {
            var means = new double[_k];
            for (int c = 0; c < _k; c++) means[c] = _means[c] + center;
            return new MixtureState(
                Weights(_a, _b), means, (double[])_covariances.Clone(), (double[])_dof.Clone(), (double[])_meanPrecision.Clone(),
                (double[])_a.Clone(), (double[])_b.Clone(), iterations, converged, lowerBound);
        }
    }
}
