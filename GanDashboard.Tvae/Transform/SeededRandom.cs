namespace GanDashboard.Tvae.Transform;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, and the same stream on every runtime and machine, so a seed
/// reproduces a transform exactly. One instance per column (and block of rows) keeps parallel work deterministic.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>The stream for one purpose (fit, encode, decode), one column and one block of rows.</summary>
    public SeededRandom(int seed, int stream, ulong purpose, int block = 0)
    {
        ulong state = (ulong)(uint)seed;
        state = Finalise(state ^ purpose);
        state = Finalise(state ^ (uint)stream);
        state = Finalise(state ^ (uint)block);
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by the polar method (two values per accepted pair).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double scale = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * scale;
        _hasSpare = true;
        return u * scale;
    }

    private static ulong RotateLeft(ulong value, int shift) => System.Numerics.BitOperations.RotateLeft(value, shift);

    private static ulong SplitMix(ref ulong state) => Finalise(state += 0x9E3779B97F4A7C15UL);

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
