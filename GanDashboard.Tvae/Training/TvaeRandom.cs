using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GanDashboard.Core.Randomness;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// xoshiro256** (the shared scalar <see cref="Xoshiro256StarStar"/> for shuffles, four more in vector lanes for normals)
/// with a vectorised Box-Muller normal sampler. Our own generator instead of libtorch's because
/// its state is four numbers we can checkpoint (resume gives the same run) and because libtorch draws normals at
/// about 6.5 ns each, which alone would cost seconds over a 300-epoch fit.
/// </summary>
public sealed class TvaeRandom
{
    private const int StateWords = 20;
    private readonly Xoshiro256StarStar _scalar;
    private Vector256<ulong> _v0, _v1, _v2, _v3;

    /// <summary>Takes the words from the SplitMix64 stream of <paramref name="seed"/>, scalar words first, as the xoshiro authors recommend.</summary>
    public TvaeRandom(ulong seed) : this(StreamWords(seed))
    {
    }

    private TvaeRandom(ReadOnlySpan<ulong> w)
    {
        _scalar = new Xoshiro256StarStar(w[..Xoshiro256StarStar.StateWords]);
        _v0 = Vector256.Create(w[4], w[5], w[6], w[7]);
        _v1 = Vector256.Create(w[8], w[9], w[10], w[11]);
        _v2 = Vector256.Create(w[12], w[13], w[14], w[15]);
        _v3 = Vector256.Create(w[16], w[17], w[18], w[19]);
    }

    private static ulong[] StreamWords(ulong seed)
    {
        var words = new ulong[StateWords];
        for (int i = 0; i < StateWords; i++) words[i] = SplitMix64.Next(ref seed);
        return words;
    }

    /// <summary>An independent stream for one purpose (weight init, data split, validation noise of an epoch).</summary>
    public static TvaeRandom ForStream(long seed, ulong stream, ulong index = 0)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ stream * 0xD1B54A32D192ED03UL ^ index * 0x8CB92BA72F3D8DD7UL);
        return new TvaeRandom(SplitMix64.Next(ref x));
    }

    public static TvaeRandom FromState(IReadOnlyList<ulong> state) =>
        state.Count == StateWords ? new TvaeRandom(state.ToArray()) : throw new ArgumentException($"A random state has {StateWords} words.", nameof(state));

    public ulong[] State
    {
        get
        {
            var words = new ulong[StateWords];
            _scalar.CopyStateTo(words);
            _v0.CopyTo(words, 4);
            _v1.CopyTo(words, 8);
            _v2.CopyTo(words, 12);
            _v3.CopyTo(words, 16);
            return words;
        }
    }

    public ulong NextULong() => _scalar.NextUInt64();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _scalar.NextDouble();

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillNormal(Span<float> destination)
    {
        var scale = Vector256.Create(1f / (1 << 24));
        var low24 = Vector256.Create(0xFFFFFFUL);
        var minusTwo = Vector256.Create(-2f);
        int i = 0;
        while (i < destination.Length)
        {
            var a = NextVector();
            var b = NextVector();
            var u1 = (Vector256.ConvertToSingle(Vector256.Narrow(a >>> 40, b >>> 40).AsInt32()) + Vector256<float>.One) * scale;
            var u2 = Vector256.ConvertToSingle(Vector256.Narrow((a >>> 16) & low24, (b >>> 16) & low24).AsInt32()) * scale;
            var radius = Vector256.Sqrt(minusTwo * FastMath.Log(u1));
            var (sin, cos) = FastMath.SinCosOfTurns(u2);
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

    /// <summary>Four xoshiro256** generators side by side (AVX2 has no 64-bit multiply, so x5 and x9 are shifts and adds).</summary>
    private Vector256<ulong> NextVector()
    {
        var times5 = (_v1 << 2) + _v1;
        var rotated = (times5 << 7) | (times5 >>> 57);
        var result = (rotated << 3) + rotated;
        var t = _v1 << 17;
        _v2 ^= _v0;
        _v3 ^= _v1;
        _v1 ^= _v2;
        _v0 ^= _v3;
        _v2 ^= t;
        _v3 = (_v3 << 45) | (_v3 >>> 19);
        return result;
    }
}
