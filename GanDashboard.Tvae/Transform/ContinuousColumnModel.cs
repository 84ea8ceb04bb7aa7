using System.Numerics;
using System.Runtime.CompilerServices;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// Mode-specific normalisation of one continuous column (CTGAN's <c>_transform_continuous</c> over RDT's
/// <c>ClusterBasedNormalizer</c>): a value becomes <c>alpha = (x - mean_k) / (4 std_k)</c> for a component k sampled
/// from its posterior, plus the one-hot of k. Nulls are imputed with the mean for the mixture part (as RDT does) and
/// flagged in an extra two-way one-hot, [present, missing], so the model learns and regenerates them.
/// </summary>
internal sealed class ContinuousColumnModel : ColumnModel
{
    private const double StdMultiplier = 4;
    private const double ComponentProbabilityFloor = 1e-6;
    private const double MaxEncodedAlpha = 0.99;

    private readonly ContinuousColumnState _state;
    private readonly double[] _offset;
    private readonly double[] _curvature;
    private readonly double[] _keptMeans;
    private readonly double[] _keptStds;

    private ContinuousColumnModel(string name, ColumnKind sourceKind, bool isInteger, ContinuousColumnState state)
        : base(name, sourceKind, isInteger)
    {
        _state = state;
        var m = state.Mixture;
        _offset = new double[m.Components];
        _curvature = new double[m.Components];
        VariationalMixture1D.LogProbabilityTerms(
            m.WeightConcentrationA, m.WeightConcentrationB, m.Covariances, m.DegreesOfFreedom, m.MeanPrecisions, _offset, _curvature);
        _keptMeans = Array.ConvertAll(state.KeptComponents, k => m.Means[k]);
        _keptStds = Array.ConvertAll(state.KeptComponents, k => Math.Sqrt(m.Covariances[k]));
        var spans = new List<SpanInfo> { new(1, SpanActivation.Tanh), new(state.KeptComponents.Length, SpanActivation.Softmax) };
        if (state.ModelsNulls) spans.Add(new SpanInfo(2, SpanActivation.Softmax));
        Spans = spans;
    }

    public override ColumnTransformKind Kind => ColumnTransformKind.Continuous;
    public override IReadOnlyList<SpanInfo> Spans { get; }

    public static ContinuousColumnModel Fit(Column column, TransformerOptions options, SeededRandom random)
    {
        var values = column.Numbers!;
        if (values.Length == 0) throw new ArgumentException($"Column '{column.Name}' has no rows to fit.", nameof(column));
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        int present = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            sum += v;
            present++;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double fill = present > 0 ? sum / present : 0;
        if (present == 0) min = max = 0;
        var filled = present == values.Length ? values : Array.ConvertAll(values, v => double.IsFinite(v) ? v : fill);

        var mixture = VariationalMixture1D.Fit(filled, Math.Min(values.Length, options.MaxClusters), options, random);
        var kept = Enumerable.Range(0, mixture.Components).Where(k => mixture.Weights[k] > options.WeightThreshold).ToArray();
        if (kept.Length == 0) kept = [Array.IndexOf(mixture.Weights, mixture.Weights.Max())];
        var state = new ContinuousColumnState(mixture, kept, present < values.Length, fill, min, max);
        return new ContinuousColumnModel(column.Name, column.Kind, column.IsInteger, state);
    }

    public static ContinuousColumnModel FromState(ColumnState state) =>
        new(state.Name, state.SourceKind, state.IsInteger, state.Continuous!);

    public ColumnBounds ObservedRange => new(_state.ObservedMin, _state.ObservedMax);

    public override ColumnState ToState() => new(Name, SourceKind, IsInteger, _state, null);

    /// <summary>
    /// Rows go through in blocks of SIMD width: the posterior over all components (scikit-learn's predict_proba)
    /// is computed for the block at once, then each row samples among the kept components with a small floor on
    /// every probability, as the reference does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
    public override void Transform(Column column, Span<float> output, int stride, int offset, SeededRandom random)
    {
        int width = Dimensions, lanes = Vector<double>.Count, all = _offset.Length;
        var values = column.Numbers!;
        var kept = _state.KeptComponents;
        var means = _state.Mixture.Means;
        Span<double> block = stackalloc double[lanes];
        Span<double> probabilities = stackalloc double[all * lanes]; // [component, lane]
        Span<Vector<double>> logProb = stackalloc Vector<double>[all];
        Span<double> cumulative = stackalloc double[kept.Length];
        for (int start = 0; start < values.Length; start += lanes)
        {
            int count = Math.Min(lanes, values.Length - start);
            for (int lane = 0; lane < lanes; lane++)
            {
                double v = lane < count ? values[start + lane] : _state.NullFillValue;
                block[lane] = double.IsFinite(v) ? v : _state.NullFillValue;
            }
            var x = new Vector<double>(block);
            var max = new Vector<double>(double.NegativeInfinity);
            for (int k = 0; k < all; k++)
            {
                var d = x - new Vector<double>(means[k]);
                logProb[k] = new Vector<double>(_offset[k]) - new Vector<double>(_curvature[k]) * d * d;
                max = Vector.Max(max, logProb[k]);
            }
            var norm = Vector<double>.Zero;
            for (int k = 0; k < all; k++) norm += logProb[k] = Vector.Exp(logProb[k] - max);
            var inverse = Vector<double>.One / norm;
            for (int k = 0; k < all; k++) (logProb[k] * inverse).CopyTo(probabilities.Slice(k * lanes, lanes));

            for (int lane = 0; lane < count; lane++)
            {
                int row = start + lane;
                double total = 0;
                for (int j = 0; j < kept.Length; j++) cumulative[j] = total += probabilities[kept[j] * lanes + lane] + ComponentProbabilityFloor;
                double u = random.NextDouble() * total;
                int chosen = 0;
                while (chosen < kept.Length - 1 && cumulative[chosen] <= u) chosen++;

                double alpha = (block[lane] - _keptMeans[chosen]) / (StdMultiplier * _keptStds[chosen]);
                var cells = output.Slice(row * stride + offset, width);
                cells[0] = (float)Math.Clamp(alpha, -MaxEncodedAlpha, MaxEncodedAlpha);
                cells[1 + chosen] = 1;
                if (_state.ModelsNulls) cells[1 + kept.Length + (double.IsFinite(values[row]) ? 0 : 1)] = 1;
            }
        }
    }

    public override ColumnDecoder StartInverse(int rows, double sigma, ColumnBounds? clip) => new Decoder(this, new double[rows], sigma, clip);

    private sealed class Decoder(ContinuousColumnModel model, double[] values, double sigma, ColumnBounds? clip) : ColumnDecoder
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
        public override void Decode(ReadOnlySpan<float> data, int firstRow, int rowCount, int stride, int offset, SeededRandom random)
        {
            int width = model.Dimensions;
            int components = model._keptMeans.Length;
            bool modelsNulls = model._state.ModelsNulls, isInteger = model.IsInteger;
            for (int row = firstRow; row < firstRow + rowCount; row++)
            {
                var cells = data.Slice(row * stride + offset, width);
                if (modelsNulls && cells[1 + components + 1] > cells[1 + components])
                {
                    values[row] = double.NaN;
                    continue;
                }
                double alpha = cells[0];
                if (sigma > 0) alpha += sigma * random.NextNormal();
                alpha = Math.Clamp(alpha, -1, 1);
                int k = ArgMax(cells.Slice(1, components));
                double value = alpha * StdMultiplier * model._keptStds[k] + model._keptMeans[k];
                if (clip is not null) value = Math.Clamp(value, clip.Min, clip.Max);
                if (isInteger) value = RoundWithin(value, clip);
                values[row] = value;
            }
        }

        public override Column Finish() => model.SourceKind == ColumnKind.DateTime
            ? Column.DateTime(model.Name, values)
            : Column.Numeric(model.Name, values, model.IsInteger);
    }

    private static double RoundWithin(double value, ColumnBounds? clip)
    {
        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        if (clip is null) return rounded;
        if (rounded < clip.Min) return Math.Ceiling(clip.Min);
        if (rounded > clip.Max) return Math.Floor(clip.Max);
        return rounded;
    }
}
