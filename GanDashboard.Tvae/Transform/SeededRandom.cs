using GanDashboard.Core.Randomness;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// The transformer's generator: xoshiro256** seeded from one seed, purpose (fit, encode, decode), column and block of
/// rows, so a seed reproduces a transform exactly and one instance per column (and block) keeps parallel work deterministic.
/// </summary>
internal sealed class SeededRandom(int seed, int stream, ulong purpose, int block = 0)
    : Xoshiro256StarStar(StreamSeed(seed, stream, purpose, block))
{
    private static ulong StreamSeed(int seed, int stream, ulong purpose, int block)
    {
        ulong state = (ulong)(uint)seed;
        state = SplitMix64.Finalise(state ^ purpose);
        state = SplitMix64.Finalise(state ^ (uint)stream);
        return SplitMix64.Finalise(state ^ (uint)block);
    }
}
