using GanDashboard.Core.Randomness;

namespace GanDashboard.Tests.Randomness;

public sealed class Xoshiro256StarStarTests
{
    /// <summary>
    /// The values of Blackman and Vigna's reference C code (xoshiro256starstar.c seeded by splitmix64.c from 42),
    /// compiled and run outside this code base.
    /// </summary>
    [Fact]
    public void Seeded_from_the_SplitMix64_stream_it_gives_the_reference_implementations_values()
    {
        var random = new Xoshiro256StarStar(42);

        var first = Enumerable.Range(0, 5).Select(_ => random.NextUInt64()).ToArray();
        for (int i = 5; i < 999; i++) random.NextUInt64();

        first.Should().Equal(1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL, 17057574109182124193UL, 18295552978065317476UL);
        random.NextUInt64().Should().Be(10224724267483498856UL, "the 1000th output");
    }

    [Fact]
    public void A_generator_started_from_a_copied_state_continues_the_same_stream()
    {
        var original = new Xoshiro256StarStar(7);
        for (int i = 0; i < 10; i++) original.NextUInt64();
        var state = new ulong[Xoshiro256StarStar.StateWords];
        original.CopyStateTo(state);

        var restored = new Xoshiro256StarStar(state);

        Enumerable.Range(0, 8).Select(_ => restored.NextUInt64()).Should().Equal(Enumerable.Range(0, 8).Select(_ => original.NextUInt64()));
    }

    [Fact]
    public void Copying_the_state_is_refused_while_a_spare_normal_is_pending()
    {
        var random = new Xoshiro256StarStar(7);
        random.NextNormal();

        var copy = () => random.CopyStateTo(new ulong[Xoshiro256StarStar.StateWords]);

        copy.Should().Throw<InvalidOperationException>();
        random.NextNormal();
        copy.Should().NotThrow();
    }

    [Fact]
    public void Uniform_draws_stay_in_their_intervals_and_normals_have_standard_moments()
    {
        var random = new Xoshiro256StarStar(11);
        var normals = Enumerable.Range(0, 100_000).Select(_ => random.NextNormal()).ToArray();
        var open = Enumerable.Range(0, 10_000).Select(_ => random.NextOpenDouble()).ToArray();
        var uniform = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble()).ToArray();

        normals.Average().Should().BeApproximately(0, 0.015);
        normals.Select(x => x * x).Average().Should().BeApproximately(1, 0.015);
        open.Should().OnlyContain(u => u > 0 && u < 1);
        uniform.Should().OnlyContain(u => u >= 0 && u < 1);
        uniform.Average().Should().BeApproximately(0.5, 0.01);
    }
}
