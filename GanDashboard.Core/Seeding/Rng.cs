namespace GanDashboard.Core.Seeding;

/// <summary>
/// SplitMix64: turns a master seed and a run index into well-spread, independent 64-bit seeds,
/// so every run can be simulated on any thread and still come out the same.
/// </summary>
public static class SplitMix64
{
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of one attempt at one run; attempt > 0 only when a run had to be redrawn.</summary>
    public static ulong ForRun(ulong masterSeed, long runIndex, int attempt = 0) =>
        Mix(Mix(masterSeed ^ Mix((ulong)runIndex)) + (ulong)attempt);
}

/// <summary>
/// xoshiro256** (Blackman and Vigna): a small, fast generator with a 2^256 period, seeded through
/// SplitMix64 as its authors recommend. Normal deviates use Marsaglia's polar method.
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Xoshiro256(ulong seed)
    {
        _s0 = SplitMix64.Mix(seed);
        _s1 = SplitMix64.Mix(_s0);
        _s2 = SplitMix64.Mix(_s1);
        _s3 = SplitMix64.Mix(_s2);
    }

    public ulong NextUInt64()
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
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): safe to take the logarithm of.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A standard normal deviate.</summary>
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
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpare = true;
        return u * factor;
    }
}
