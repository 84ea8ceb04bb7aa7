namespace GanDashboard.Core.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna): a small, fast generator with a 2^256 period that gives the same stream on every
/// runtime and machine. The product's one scalar implementation: the seed-data, transformer and trainer generators
/// are thin layers that seed it their own way. Normal deviates use Marsaglia's polar method.
/// </summary>
public class Xoshiro256StarStar
{
    public const int StateWords = 4;

    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Seeds the four words from the SplitMix64 stream that starts at <paramref name="seed"/>, as the authors recommend.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
    }

    /// <summary>Starts from four given words: a saved <see cref="CopyStateTo"/>, or a layer's own seeding (not all zero).</summary>
    public Xoshiro256StarStar(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateWords) throw new ArgumentException($"xoshiro256** has {StateWords} state words.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
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

    /// <summary>A standard normal deviate (the polar method accepts pairs: every second call returns the spare).</summary>
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

    /// <summary>
    /// The four words, for a checkpoint that resumes the same stream. Refused while a spare normal is pending,
    /// because the words alone would lose it.
    /// </summary>
    public void CopyStateTo(Span<ulong> destination)
    {
        if (_hasSpare) throw new InvalidOperationException("A spare normal deviate is pending; the four state words alone would not resume this stream.");
        (destination[0], destination[1], destination[2], destination[3]) = (_s0, _s1, _s2, _s3);
    }
}
