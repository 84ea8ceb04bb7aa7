using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The TVAE reconstruction loss of sdv-dev/CTGAN's <c>_loss_function</c> (Xu et al., "Modeling Tabular Data
/// using Conditional GAN", NeurIPS 2019), computed with its gradient in one pass over the batch:
/// <list type="bullet">
/// <item>tanh column j: (x_j - tanh(xhat_j))^2 / (2 sigma_j^2) + log(sigma_j), summed over rows;</item>
/// <item>softmax span: cross-entropy of the span's logits against the argmax of the target one-hot, summed over rows.</item>
/// </list>
/// The caller scales the sum by loss_factor / rows and adds KL / rows. The reference reads only the first
/// column of a tanh span (they always have width 1); here every column of a tanh span is a term of its own.
/// </summary>
internal sealed unsafe class TvaeLoss
{
    private const int W = 8;
    private readonly (int Start, int Width)[] _softmaxSpans;
    private readonly int[] _tanhColumns;

    public TvaeLoss(IReadOnlyList<SpanInfo> spans)
    {
        var softmax = new List<(int, int)>();
        var tanh = new List<int>();
        int start = 0;
        foreach (var span in spans)
        {
            if (span.Dim <= 0) throw new ArgumentException("Every span needs a positive width.", nameof(spans));
            if (span.Activation == SpanActivation.Softmax) softmax.Add((start, span.Dim));
            else for (int j = 0; j < span.Dim; j++) tanh.Add(start + j);
            start += span.Dim;
        }
        _softmaxSpans = [.. softmax];
        _tanhColumns = [.. tanh];
        DataDim = start;
    }

    public int DataDim { get; }

    public IReadOnlyList<(int Start, int Width)> SoftmaxSpans => _softmaxSpans;

    /// <summary>Every column of every tanh span.</summary>
    public IReadOnlyList<int> TanhColumns => _tanhColumns;

    /// <summary>
    /// Returns the unscaled reconstruction sum and writes its gradient times <paramref name="scale"/> to the
    /// output gradient (feature-major [data_dim, n]) and to the sigma gradient (zero for softmax columns).
    /// The targets: <paramref name="tanhTargets"/> feature-major <c>[tanh columns, n]</c> in the order of
    /// <see cref="TanhColumns"/>, <paramref name="classes"/> <c>[softmax spans, n]</c>, each span's target class
    /// (the argmax of the data's span).
    /// </summary>
    public double Compute(float* output, float* tanhTargets, int* classes, float* sigma, int n, float scale, float* outputGradient, float* sigmaGradient)
    {
        double total = 0;
        for (int j = 0; j < DataDim; j++) sigmaGradient[j] = 0f;
        for (int t = 0; t < _tanhColumns.Length; t++)
        {
            int j = _tanhColumns[t];
            total += TanhColumn(output + (long)j * n, tanhTargets + (long)t * n, sigma[j], n, scale, outputGradient + (long)j * n, out sigmaGradient[j]);
        }
        for (int s = 0; s < _softmaxSpans.Length; s++)
        {
            var (start, width) = _softmaxSpans[s];
            total += SoftmaxSpan(output + (long)start * n, classes + (long)s * n, width, n, scale, outputGradient + (long)start * n);
        }
        return total;
    }

    /// <summary>
    /// The same over managed buffers with the targets as data, feature-major <c>[data_dim, n]</c> (tests and
    /// callers without pointers): tanh values, and softmax spans whose argmax is the class.
    /// </summary>
    public double Compute(ReadOnlySpan<float> output, ReadOnlySpan<float> target, ReadOnlySpan<float> sigma, int n, float scale, Span<float> outputGradient, Span<float> sigmaGradient)
    {
        long cells = (long)DataDim * n;
        if (output.Length < cells || target.Length < cells || outputGradient.Length < cells || sigma.Length < DataDim || sigmaGradient.Length < DataDim)
            throw new ArgumentException($"Buffers must hold [{DataDim}, {n}] values and {DataDim} sigmas.");
        var tanhTargets = new float[_tanhColumns.Length * n];
        var classes = new int[_softmaxSpans.Length * n];
        for (int t = 0; t < _tanhColumns.Length; t++) target.Slice(_tanhColumns[t] * n, n).CopyTo(tanhTargets.AsSpan(t * n, n));
        for (int s = 0; s < _softmaxSpans.Length; s++)
        {
            var (start, width) = _softmaxSpans[s];
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                for (int k = 1; k < width; k++)
                {
                    if (target[(start + k) * n + i] > target[(start + best) * n + i]) best = k;
                }
                classes[s * n + i] = best;
            }
        }
        fixed (float* o = output, t = tanhTargets, s = sigma, g = outputGradient, sg = sigmaGradient)
        fixed (int* c = classes)
        {
            return Compute(o, t, c, s, n, scale, g, sg);
        }
    }

    /// <summary>The loss alone (validation): the same pass, gradients written to a scratch buffer.</summary>
    public double Evaluate(float* output, float* tanhTargets, int* classes, float* sigma, int n, float* scratch, float* sigmaScratch) =>
        Compute(output, tanhTargets, classes, sigma, n, 0f, scratch, sigmaScratch);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TanhColumn(float* o, float* x, float sigma, int n, float scale, float* d, out float sigmaGradient)
    {
        float inverseVariance = 1f / (sigma * sigma);
        var factor = Vector256.Create(-scale * inverseVariance);
        var one = Vector256<float>.One;
        var squares = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - W; i += W)
        {
            var t = Kernels.Tanh(Vector256.Load(o + i));
            var e = Vector256.Load(x + i) - t;
            squares += e * e;
            (factor * e * (one - t * t)).Store(d + i);
        }
        double sumSquares = Vector256.Sum(squares);
        for (; i < n; i++)
        {
            float t = MathF.Tanh(o[i]);
            float e = x[i] - t;
            sumSquares += e * e;
            d[i] = -scale * inverseVariance * e * (1f - t * t);
        }
        // d/dsigma of sum(e^2 / (2 sigma^2)) + n log(sigma) = n / sigma - sum(e^2) / sigma^3.
        sigmaGradient = (float)(scale * (n / (double)sigma - sumSquares / ((double)sigma * sigma * sigma)));
        return sumSquares * inverseVariance / 2 + n * Math.Log(sigma);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SoftmaxSpan(float* o, int* classes, int width, int n, float scale, float* d)
    {
        var scaleVector = Vector256.Create(scale);
        var one = Vector256<float>.One;
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - W; i += W)
        {
            var target = Vector256.Load(classes + i);
            var max = Vector256.Load(o + i);
            for (int k = 1; k < width; k++) max = Vector256.Max(max, Vector256.Load(o + (long)k * n + i));
            var sum = Vector256<float>.Zero;
            var picked = Vector256<float>.Zero;
            for (int k = 0; k < width; k++)
            {
                var logit = Vector256.Load(o + (long)k * n + i);
                var e = FastMath.Exp(logit - max);
                e.Store(d + (long)k * n + i);
                sum += e;
                picked += logit & Vector256.Equals(target, Vector256.Create(k)).AsSingle();
            }
            acc += max + FastMath.Log(sum) - picked;
            var inverseSum = Vector256<float>.One / sum;
            for (int k = 0; k < width; k++)
            {
                long at = (long)k * n + i;
                var hit = one & Vector256.Equals(target, Vector256.Create(k)).AsSingle();
                (scaleVector * (Vector256.Load(d + at) * inverseSum - hit)).Store(d + at);
            }
        }
        double total = Vector256.Sum(acc);
        for (; i < n; i++)
        {
            float max = o[i];
            for (int k = 1; k < width; k++) max = MathF.Max(max, o[(long)k * n + i]);
            float sum = 0f;
            for (int k = 0; k < width; k++)
            {
                long at = (long)k * n + i;
                float e = MathF.Exp(o[at] - max);
                d[at] = e;
                sum += e;
            }
            total += max + MathF.Log(sum) - o[(long)classes[i] * n + i];
            for (int k = 0; k < width; k++)
            {
                long at = (long)k * n + i;
                d[at] = scale * (d[at] / sum - (k == classes[i] ? 1f : 0f));
            }
        }
        return total;
    }
}
