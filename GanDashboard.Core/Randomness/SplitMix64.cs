namespace GanDashboard.Core.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood; Vigna's splitmix64.c): the mixer every generator here seeds from, because it
/// spreads any 64-bit value (even 0) over all bits.
/// </summary>
public static class SplitMix64
{
    /// <summary>The golden-ratio increment of the SplitMix64 stream.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The output function alone (no increment).</summary>
    public static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>One step from <paramref name="z"/>: the first output of the stream that starts there.</summary>
    public static ulong Mix(ulong z) => Finalise(z + Gamma);

    /// <summary>The next output of the stream whose state is <paramref name="state"/> (advanced in place).</summary>
    public static ulong Next(ref ulong state) => Finalise(state += Gamma);
}
