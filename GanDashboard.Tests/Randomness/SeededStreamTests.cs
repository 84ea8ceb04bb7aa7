using GanDashboard.Core.Seeding;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tests.Randomness;

/// <summary>
/// Each generator layer keeps the stream that stored seed data, fitted transformers and trained weights were drawn
/// with. The expected values come from a separate C program: Blackman and Vigna's reference xoshiro256** and
/// splitmix64, seeded the way each layer seeds it (seed 42 unless named), so they do not come from this code.
/// </summary>
public sealed class SeededStreamTests
{
    [Fact]
    public void Seed_data_generator_chains_SplitMix64_over_the_seed_and_draws_polar_normals()
    {
        var rng = new Xoshiro256(42);

        rng.NextUInt64().Should().Be(6667968346354703667UL);
        rng.NextUInt64().Should().Be(16249806489848801414UL);
        rng.NextDouble().Should().Be(0.62284966675921194);
        rng.NextOpenDouble().Should().Be(0.90138180961394787);
        rng.NextNormal().Should().Be(-1.1861658863750872);
        rng.NextNormal().Should().Be(0.023511709134346904);
        rng.NextNormal().Should().Be(-0.79729209210730345);
    }

    [Fact]
    public void Transformer_stream_seeds_from_its_seed_purpose_column_and_block()
    {
        var random = new SeededRandom(seed: 5, stream: 2, purpose: 0x5EED, block: 1);

        random.NextUInt64().Should().Be(3139218705874404470UL);
        random.NextUInt64().Should().Be(16506565823879312753UL);
        random.NextNormal().Should().Be(0.36615135187498632);
        random.NextNormal().Should().Be(0.092651028163420759);
    }

    [Fact]
    public void Trainer_generator_takes_twenty_words_of_the_SplitMix64_stream_scalar_first()
    {
        var random = new TvaeRandom(42);

        var state = random.State;
        state[4].Should().Be(701532786141963250UL);
        state[19].Should().Be(12708817412199463008UL);
        random.NextULong().Should().Be(1546998764402558742UL);
        random.NextULong().Should().Be(6990951692964543102UL);
    }
}
