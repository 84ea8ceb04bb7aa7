using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The element-wise work of a step in plain vectorised C# over the tensors' memory. Each libtorch call on a
/// 500 x 128 tensor costs 10-30 us (and some far more); these loops do the same in a few microseconds and fuse
/// what belongs together (bias + ReLU, mask + bias gradient). Matrices are feature-major: row j holds one
/// feature for all <c>n</c> rows of the batch, so a row is contiguous.
/// </summary>
internal static unsafe class Kernels
{
    private const int W = 8; // Vector256<float>.Count

    /// <summary>x[j, :] += bias[j], then ReLU when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBias(float* x, float* bias, int features, int n, bool relu)
    {
        var zero = Vector256<float>.Zero;
        for (int j = 0; j < features; j++)
        {
            float* row = x + (long)j * n;
            var b = Vector256.Create(bias[j]);
            int i = 0;
            for (; i <= n - W; i += W)
            {
                var v = Vector256.Load(row + i) + b;
                (relu ? Vector256.Max(v, zero) : v).Store(row + i);
            }
            for (; i < n; i++)
            {
                float v = row[i] + bias[j];
                row[i] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    /// <summary>destination[j] = sum over the batch of x[j, :] (a bias gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowSums(float* x, int features, int n, float* destination)
    {
        for (int j = 0; j < features; j++) destination[j] = Sum(x + (long)j * n, n);
    }

    /// <summary>
    /// Back through ReLU: zero the gradient where the activation was not positive, and write the bias gradient
    /// (the masked row sums) in the same pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(float* gradient, float* activation, int features, int n, float* biasGradient)
    {
        var zero = Vector256<float>.Zero;
        for (int j = 0; j < features; j++)
        {
            float* g = gradient + (long)j * n;
            float* a = activation + (long)j * n;
            var acc = zero;
            int i = 0;
            for (; i <= n - W; i += W)
            {
                var masked = Vector256.Load(g + i) & Vector256.GreaterThan(Vector256.Load(a + i), zero);
                masked.Store(g + i);
                acc += masked;
            }
            float sum = Vector256.Sum(acc);
            for (; i < n; i++)
            {
                if (a[i] <= 0f) g[i] = 0f;
                sum += g[i];
            }
            biasGradient[j] = sum;
        }
    }

    /// <summary>The same for a row-major <c>[n, features]</c> gradient and activation (the first hidden layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackwardRows(float* gradient, float* activation, int n, int features, float* biasGradient)
    {
        var zero = Vector256<float>.Zero;
        new Span<float>(biasGradient, features).Clear();
        for (int r = 0; r < n; r++)
        {
            float* g = gradient + (long)r * features;
            float* a = activation + (long)r * features;
            int j = 0;
            for (; j <= features - W; j += W)
            {
                var masked = Vector256.Load(g + j) & Vector256.GreaterThan(Vector256.Load(a + j), zero);
                masked.Store(g + j);
                (Vector256.Load(biasGradient + j) + masked).Store(biasGradient + j);
            }
            for (; j < features; j++)
            {
                if (a[j] <= 0f) g[j] = 0f;
                biasGradient[j] += g[j];
            }
        }
    }

    /// <summary>destination <c>[columns, rows]</c> = the transpose of row-major source <c>[rows, columns]</c>, in 8 x 8 tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int rows, int columns, float* destination)
    {
        int r = 0;
        for (; Avx.IsSupported && r + W <= rows; r += W)
        {
            int c = 0;
            for (; c + W <= columns; c += W) TransposeTile(source + (long)r * columns + c, columns, destination + (long)c * rows + r, rows);
            for (; c < columns; c++)
            {
                for (int k = 0; k < W; k++) destination[(long)c * rows + r + k] = source[(long)(r + k) * columns + c];
            }
        }
        for (; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) destination[(long)c * rows + r] = source[(long)r * columns + c];
        }
    }

    /// <summary>One 8 x 8 tile: unpack pairs, then quads, then swap 128-bit halves.</summary>
    private static void TransposeTile(float* source, int sourceStride, float* destination, int destinationStride)
    {
        var r0 = Vector256.Load(source); var r1 = Vector256.Load(source + sourceStride);
        var r2 = Vector256.Load(source + 2L * sourceStride); var r3 = Vector256.Load(source + 3L * sourceStride);
        var r4 = Vector256.Load(source + 4L * sourceStride); var r5 = Vector256.Load(source + 5L * sourceStride);
        var r6 = Vector256.Load(source + 6L * sourceStride); var r7 = Vector256.Load(source + 7L * sourceStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(destination);
        Avx.Permute2x128(u1, u5, 0x20).Store(destination + destinationStride);
        Avx.Permute2x128(u2, u6, 0x20).Store(destination + 2L * destinationStride);
        Avx.Permute2x128(u3, u7, 0x20).Store(destination + 3L * destinationStride);
        Avx.Permute2x128(u0, u4, 0x31).Store(destination + 4L * destinationStride);
        Avx.Permute2x128(u1, u5, 0x31).Store(destination + 5L * destinationStride);
        Avx.Permute2x128(u2, u6, 0x31).Store(destination + 6L * destinationStride);
        Avx.Permute2x128(u3, u7, 0x31).Store(destination + 7L * destinationStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(float* x, int n)
    {
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - W; i += W) acc += Vector256.Load(x + i);
        float sum = Vector256.Sum(acc);
        for (; i < n; i++) sum += x[i];
        return sum;
    }

    /// <summary>
    /// std = exp(logvar / 2), z = eps * std + mu (the reparameterisation trick). Returns the KL divergence
    /// sum -0.5 * sum(1 + logvar - mu^2 - exp(logvar)) over the batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Reparameterise(float* mu, float* logvar, float* eps, float* std, float* z, int count)
    {
        var half = Vector256.Create(0.5f);
        var one = Vector256<float>.One;
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i <= count - W; i += W)
        {
            var m = Vector256.Load(mu + i);
            var lv = Vector256.Load(logvar + i);
            var s = FastMath.Exp(half * lv);
            s.Store(std + i);
            Vector256.FusedMultiplyAdd(Vector256.Load(eps + i), s, m).Store(z + i);
            acc += one + lv - m * m - s * s;
        }
        double kl = Vector256.Sum(acc);
        for (; i < count; i++)
        {
            float s = MathF.Exp(0.5f * logvar[i]);
            std[i] = s;
            z[i] = MathF.FusedMultiplyAdd(eps[i], s, mu[i]);
            kl += 1f + logvar[i] - mu[i] * mu[i] - s * s;
        }
        return -0.5 * kl;
    }

    /// <summary>
    /// Gradient of the loss at mu and logvar: through z = eps * std + mu (dz given) plus the KL term's own
    /// gradient, mu / rows and (exp(logvar) - 1) / (2 rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReparameteriseBackward(float* dz, float* mu, float* eps, float* std, float* dmu, float* dlogvar, int count, float inverseRows)
    {
        var half = Vector256.Create(0.5f);
        var halfInv = Vector256.Create(0.5f * inverseRows);
        var inv = Vector256.Create(inverseRows);
        var one = Vector256<float>.One;
        int i = 0;
        for (; i <= count - W; i += W)
        {
            var g = Vector256.Load(dz + i);
            var s = Vector256.Load(std + i);
            Vector256.FusedMultiplyAdd(Vector256.Load(mu + i), inv, g).Store(dmu + i);
            (half * g * Vector256.Load(eps + i) * s + halfInv * (s * s - one)).Store(dlogvar + i);
        }
        for (; i < count; i++)
        {
            float s = std[i];
            dmu[i] = MathF.FusedMultiplyAdd(mu[i], inverseRows, dz[i]);
            dlogvar[i] = 0.5f * dz[i] * eps[i] * s + 0.5f * inverseRows * (s * s - 1f);
        }
    }

    /// <summary>tanh(x) = 1 - 2 / (exp(2x) + 1): exact limits at +-infinity, about 1e-7 absolute error near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var one = Vector256<float>.One;
        return one - Vector256.Create(2f) / (FastMath.Exp(x + x) + one);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhInPlace(float* x, long count)
    {
        long i = 0;
        for (; i <= count - W; i += W) Tanh(Vector256.Load(x + i)).Store(x + i);
        for (; i < count; i++) x[i] = MathF.Tanh(x[i]);
    }

    /// <summary>
    /// torch.optim.Adam (amsgrad off) over the flat buffer: the L2 term is added to the gradient, as torch does,
    /// which is not AdamW's decoupled decay.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AdamStep(float* parameters, float* gradients, float* m, float* v, int count, double learningRate, double weightDecay, long step)
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        var stepSize = Vector256.Create((float)(learningRate / correction1));
        var inverseRootCorrection2 = Vector256.Create((float)(1 / Math.Sqrt(correction2)));
        var decay = Vector256.Create((float)weightDecay);
        var b1 = Vector256.Create((float)Beta1);
        var b2 = Vector256.Create((float)Beta2);
        var c1 = Vector256.Create((float)(1 - Beta1));
        var c2 = Vector256.Create((float)(1 - Beta2));
        var eps = Vector256.Create((float)Epsilon);
        int i = 0;
        for (; i <= count - W; i += W)
        {
            var p = Vector256.Load(parameters + i);
            var g = Vector256.FusedMultiplyAdd(p, decay, Vector256.Load(gradients + i));
            var mi = b1 * Vector256.Load(m + i) + c1 * g;
            var vi = b2 * Vector256.Load(v + i) + c2 * g * g;
            mi.Store(m + i);
            vi.Store(v + i);
            (p - stepSize * mi / (Vector256.Sqrt(vi) * inverseRootCorrection2 + eps)).Store(parameters + i);
        }
        for (; i < count; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + p * (float)weightDecay;
            m[i] = (float)Beta1 * m[i] + (float)(1 - Beta1) * g;
            v[i] = (float)Beta2 * v[i] + (float)(1 - Beta2) * g * g;
            parameters[i] = p - (float)(learningRate / correction1) * m[i] / (MathF.Sqrt(v[i]) * (float)(1 / Math.Sqrt(correction2)) + (float)Epsilon);
        }
    }

    /// <summary>destination[i] += source[i] (summing the gradients of a batch's chunks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInto(float* destination, float* source, int count)
    {
        int i = 0;
        for (; i <= count - W; i += W) (Vector256.Load(destination + i) + Vector256.Load(source + i)).Store(destination + i);
        for (; i < count; i++) destination[i] += source[i];
    }

    public static void Clamp(float* x, int count, float low, float high)
    {
        for (int i = 0; i < count; i++) x[i] = Math.Clamp(x[i], low, high);
    }
}
