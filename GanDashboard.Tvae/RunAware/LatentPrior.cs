using GanDashboard.Core.Generation;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// A conditional prior for the latent vector: the mean of z given the condition, a ridge regression of the encoder's
/// posterior means of the seed rows on features of the condition. The TVAE's encoder is free to keep part of what the
/// condition tells (for instance how far a leak has grown with the degradation D) in z rather than leave it to the
/// decoder; decoding at z = 0 then loses it, and the criterion sensor's path came out as a few flat steps instead of
/// the seed's trend. Decoding at this conditional mean gives it back, and the sensors still come out of the network.
/// Features: a constant, D, the operating-mode one-hot, the standardised context sensors, and per failure mode its
/// one-hot times piecewise-linear "hat" functions of D at <see cref="Knots"/> (the latent's dependence on D differs per
/// failure mode and is not linear).
/// </summary>
/// <param name="Weights">Row-major <c>[features, embedding]</c>.</param>
public sealed record LatentPrior(double[] Knots, int EmbeddingDim, double[] Weights)
{
    /// <summary>Denser where D is small: most degradation rows (exponential laws) sit there.</summary>
    public static readonly double[] DefaultKnots = [0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1];

    /// <summary>Ridge penalty per seed row: enough to keep features no seed row has (a failure mode absent from the seed) at zero.</summary>
    private const double RidgePerRow = 1e-4;

    public static int FeatureCount(RunAwareSpec spec, int knots) =>
        2 + spec.Skeletons.OperatingModes.Count + spec.Context.Count + spec.Skeletons.FailureModes.Count * knots;

    /// <summary>Fits the prior to the encoder's means of the seed rows (transformed into <paramref name="spans"/>) under their own conditions.</summary>
    public static LatentPrior Fit(RunAwareSpec spec, TvaeCheckpoint model, IReadOnlyList<SpanInfo> spans, float[] data, float[] conditions, int rows, CancellationToken ct)
    {
        int embedding = model.Architecture.EmbeddingDim;
        var means = EncoderMeans(model, spans, data, conditions, rows, ct);
        return new LatentPrior(DefaultKnots, embedding, Regress(spec, DefaultKnots, conditions, rows, embedding, (r, e) => means[(long)r * embedding + e]));
    }

    /// <summary>
    /// Ridge regression of <paramref name="targets"/> columns on the condition features; the weights, row-major
    /// <c>[features, targetCount]</c>.
    /// </summary>
    internal static double[] Regress(RunAwareSpec spec, double[] knots, float[] conditions, int rows, int targetCount, Func<int, int, double> targets)
    {
        int p = FeatureCount(spec, knots.Length);
        var gram = new double[p * p];
        var cross = new double[p * targetCount];
        var features = new double[p];
        for (int r = 0; r < rows; r++)
        {
            Features(spec, knots, conditions.AsSpan(r * spec.ConditionDim, spec.ConditionDim), features);
            for (int i = 0; i < p; i++)
            {
                double fi = features[i];
                if (fi == 0) continue;
                for (int j = 0; j < p; j++) gram[i * p + j] += fi * features[j];
                for (int e = 0; e < targetCount; e++) cross[i * targetCount + e] += fi * targets(r, e);
            }
        }
        for (int i = 0; i < p; i++) gram[i * p + i] += RidgePerRow * rows;
        return Ridge.CholeskySolve(gram, cross, p, targetCount);
    }

    /// <summary>The regression's prediction for one condition vector, one value per target column.</summary>
    internal static void Predict(RunAwareSpec spec, double[] knots, double[] weights, ReadOnlySpan<float> condition, double[] features, Span<double> into)
    {
        Features(spec, knots, condition, features);
        int targets = into.Length;
        for (int e = 0; e < targets; e++)
        {
            double sum = 0;
            for (int i = 0; i < features.Length; i++) if (features[i] != 0) sum += features[i] * weights[i * targets + e];
            into[e] = sum;
        }
    }

    /// <summary>The prior's mean latent for each condition row, row-major <c>[rows, EmbeddingDim]</c>.</summary>
    public float[] Mean(RunAwareSpec spec, float[] conditions, int rows)
    {
        int p = FeatureCount(spec, Knots.Length), embedding = EmbeddingDim;
        var latent = new float[(long)rows * embedding];
        Parallel.For(0, rows, () => new double[p], (r, _, features) =>
        {
            Features(spec, Knots, conditions.AsSpan(r * spec.ConditionDim, spec.ConditionDim), features);
            var into = latent.AsSpan(r * embedding, embedding);
            // Feature-major: most features are zero (other failure modes' hats), and each weight row is contiguous.
            for (int i = 0; i < p; i++)
            {
                if (features[i] == 0) continue;
                float f = (float)features[i];
                var row = Weights.AsSpan(i * embedding, embedding);
                for (int e = 0; e < embedding; e++) into[e] += f * (float)row[e];
            }
            return features;
        }, _ => { });
        return latent;
    }

    /// <summary>Condition layout as <see cref="RunAwareSynthesizer"/> writes it: D, failure one-hot, mode one-hot, context.</summary>
    private static void Features(RunAwareSpec spec, double[] knots, ReadOnlySpan<float> condition, double[] into)
    {
        int failures = spec.Skeletons.FailureModes.Count, modes = spec.Skeletons.OperatingModes.Count, context = spec.Context.Count;
        double d = condition[0];
        into[0] = 1;
        into[1] = d;
        int at = 2;
        for (int m = 0; m < modes; m++) into[at + m] = condition[1 + failures + m];
        at += modes;
        for (int c = 0; c < context; c++) into[at + c] = condition[1 + failures + modes + c];
        at += context;
        for (int f = 0; f < failures; f++)
        {
            double on = condition[1 + f];
            for (int k = 0; k < knots.Length; k++) into[at + f * knots.Length + k] = on == 0 ? 0 : on * Hats.At(knots, k, d);
        }
    }

    /// <summary>
    /// The encoder's posterior means (the mu head) of the given rows, row-major <c>[rows, EmbeddingDim]</c>, through
    /// the trainer's own network code (no tensor operators: their implicit scalars could be finalised by the GC
    /// while libtorch still read them, which failed a training once).
    /// </summary>
    internal static float[] EncoderMeans(TvaeCheckpoint model, IReadOnlyList<SpanInfo> spans, float[] data, float[] conditions, int rows, CancellationToken ct)
    {
        var architecture = model.Architecture;
        int dataDim = architecture.DataDim, conditionDim = architecture.ConditionDim, embedding = architecture.EmbeddingDim;
        var result = new float[(long)rows * embedding];
        var loss = new TvaeLoss(spans);
        var all = Enumerable.Range(0, rows).ToArray();
        var seedRows = new TrainingData(data, conditions, all, dataDim, conditionDim, InputColumns.Of(data, dataDim, conditionDim, all, loss.SoftmaxSpans), loss);
        using var network = new TvaeNetwork(new ParameterLayout(architecture), model.Parameters);
        const int Chunk = 4096;
        for (int start = 0; start < rows; start += Chunk)
        {
            ct.ThrowIfCancellationRequested();
            int n = Math.Min(Chunk, rows - start);
            var ws = network.WorkspaceFor(n);
            seedRows.Gather(all.AsSpan(start, n), ws, embedding);
            network.Encode(ws);
            var means = ws.Heads.Span; // mu rows first
            for (int e = 0; e < embedding; e++)
            {
                for (int r = 0; r < n; r++) result[(start + r) * (long)embedding + e] = means[e * n + r];
            }
        }
        return result;
    }
}
