using GanDashboard.Core.Randomness;

namespace GanDashboard.Core.Seeding;

/// <summary>
/// SplitMix64 over a master seed and a run index gives well-spread, independent 64-bit seeds,
/// so every run can be simulated on any thread and still come out the same.
/// </summary>
public static class SplitMix64
{
    public static ulong Mix(ulong z) => Randomness.SplitMix64.Mix(z);

    /// <summary>The seed of one attempt at one run; attempt > 0 only when a run had to be redrawn.</summary>
    public static ulong ForRun(ulong masterSeed, long runIndex, int attempt = 0) =>
        Mix(Mix(masterSeed ^ Mix((ulong)runIndex)) + (ulong)attempt);
}

/// <summary>
/// The seed-data generator: xoshiro256** whose four words chain SplitMix64 over the seed (each word mixes the one
/// before). That differs from the stream seeding of <see cref="Xoshiro256StarStar(ulong)"/>, and stays because every
/// stored seed data set was drawn with it.
/// </summary>
public sealed class Xoshiro256(ulong seed) : Xoshiro256StarStar(ChainedWords(seed))
{
    private static ulong[] ChainedWords(ulong seed)
    {
        var words = new ulong[StateWords];
        words[0] = SplitMix64.Mix(seed);
        for (int i = 1; i < words.Length; i++) words[i] = SplitMix64.Mix(words[i - 1]);
        return words;
    }
}
