using System.Runtime.Intrinsics;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// xoshiro256** with a vectorised Box-Muller normal sampler. Our own generator instead of libtorch's because
/// its state is four numbers we can checkpoint (resume gives the same run) and because libtorch draws normals at
/// about 6.5 ns each, which alone would cost seconds over a 300-epoch fit.
/// </summary>
public sealed class TvaeRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public TvaeRandom(ulong seed)
    {
        // SplitMix64 spreads any seed (even 0) over the four words, as the xoshiro authors recommend.
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private TvaeRandom(ReadOnlySpan<ulong> state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    /// <summary>An independent stream for one purpose (weight init, data split, validation noise of an epoch).</summary>
    public static TvaeRandom ForStream(long seed, ulong stream, ulong index = 0)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ stream * 0xD1B54A32D192ED03UL ^ index * 0x8CB92BA72F3D8DD7UL);
        return new TvaeRandom(SplitMix(ref x));
    }

    public static TvaeRandom FromState(IReadOnlyList<ulong> state) =>
        state.Count == 4 ? new TvaeRandom(state.ToArray()) : throw new ArgumentException("A random state has four words.", nameof(state));

    public ulong[] State => [_s0, _s1, _s2, _s3];

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        UInt128 m = (UInt128)NextULong() * range;
        if ((ulong)m < range)
        {
            ulong threshold = (0UL - range) % range;
            while ((ulong)m < threshold) m = (UInt128)NextULong() * range;
        }
        return (int)(ulong)(m >> 64);
    }

    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Fills with standard normal draws by Box-Muller, eight pairs at a time. Each 64-bit draw gives two 24-bit
    /// uniforms; the radius uniform lies in (0, 1], so draws stop at about 5.8 standard deviations (probability
    /// below 1e-8 of being truncated), which a VAE's noise does not notice.
    /// </summary>
    public void FillNormal(Span<float> destination)
    {
        const float Scale = 1f / (1 << 24);
        Span<float> u1 = stackalloc float[8];
        Span<float> u2 = stackalloc float[8];
        var minusTwo = Vector256.Create(-2f);
        int i = 0;
        while (i < destination.Length)
        {
            for (int k = 0; k < 8; k++)
            {
                ulong bits = NextULong();
                u1[k] = ((bits >> 40) + 1) * Scale;
                u2[k] = ((bits >> 16) & 0xFFFFFF) * Scale;
            }
            var radius = Vector256.Sqrt(minusTwo * FastMath.Log(Vector256.Create<float>(u1)));
            var (sin, cos) = FastMath.SinCosOfTurns(Vector256.Create<float>(u2));
            var first = radius * cos;
            var second = radius * sin;
            int left = destination.Length - i;
            if (left >= 16)
            {
                first.CopyTo(destination[i..]);
                second.CopyTo(destination[(i + 8)..]);
                i += 16;
            }
            else
            {
                for (int k = 0; k < 8 && i < destination.Length; k++) destination[i++] = first[k];
                for (int k = 0; k < 8 && i < destination.Length; k++) destination[i++] = second[k];
            }
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
