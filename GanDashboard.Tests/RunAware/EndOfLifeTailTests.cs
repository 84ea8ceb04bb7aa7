using GanDashboard.Core.Seeding;
using GanDashboard.Tvae.RunAware;

namespace GanDashboard.Tests.RunAware;

/// <summary>The end-of-life calibration: tail buckets, the roughening that restores the seed's step-to-step noise, the quantile map.</summary>
public sealed class EndOfLifeTailTests
{
    private const int Runs = 60, Length = 200;

    [Fact]
    public void Tail_buckets_cover_the_last_tenth_of_a_run_with_the_last_step_on_its_own()
    {
        EndOfLifeTail.BucketOf(Length - 1, Length).Should().Be(0);
        EndOfLifeTail.BucketOf(Length - 2, Length).Should().BeInRange(1, EndOfLifeTail.Buckets - 1);
        EndOfLifeTail.BucketOf(Length - 21, Length).Should().Be(-1, "20 steps from the end of 200 is outside the last 10 %");
        EndOfLifeTail.BucketOf(0, Length).Should().Be(-1);
    }

    [Fact]
    public void Roughening_gives_a_smooth_generated_tail_the_white_noise_the_seed_tail_has()
    {
        const double noise = 0.5;
        var random = new Xoshiro256(3);
        var seed = Collect(i => 0.1 * i + noise * random.NextNormal());
        var smooth = Collect(i => 0.1 * i);

        var sigma = EndOfLifeTail.Roughening(smooth, seed, 1, 1);
        sigma[0, 0].Should().BeApproximately(noise, 0.05, "white noise of spread 0.5 is what separates the two tails");
        EndOfLifeTail.Roughening(seed, smooth, 1, 1)[0, 0].Should().Be(0, "a generated tail rougher than the seed's is left as it is");

        // Roughened with that spread, the smooth tail's step-to-step variance becomes the seed's.
        var values = new double[Length];
        var roughened = new EndOfLifeTail.Collector(1, 1);
        for (int k = 0; k < Runs; k++)
        {
            for (int i = 0; i < Length; i++) values[i] = 0.1 * i;
            EndOfLifeTail.Roughen(values, 0, Length, sigma[0, 0], new Xoshiro256((ulong)k + 100));
            values.AsSpan(0, Length - 21).ToArray().Should().Equal(Enumerable.Range(0, Length - 21).Select(i => 0.1 * i), "only the tail is roughened");
            roughened.Add(0, Length, (_, i) => values[i]);
        }
        roughened.StepVariance(0, 0).Should().BeApproximately(seed.StepVariance(0, 0), 0.1 * seed.StepVariance(0, 0));
    }

    [Fact]
    public void The_map_sends_each_generated_quantile_to_the_seeds()
    {
        double[] generated = [0, 1, 2, 3, 4], seed = [10, 20, 30, 40, 50];
        EndOfLifeTail.Map(2, generated, seed).Should().Be(30);
        EndOfLifeTail.Map(2.5, generated, seed).Should().Be(35);
        EndOfLifeTail.Map(5, generated, seed).Should().Be(51, "beyond the ends values are shifted, not clipped");
    }

    private static EndOfLifeTail.Collector Collect(Func<int, double> value)
    {
        var collector = new EndOfLifeTail.Collector(1, 1);
        for (int k = 0; k < Runs; k++)
        {
            var run = Enumerable.Range(0, Length).Select(value).ToArray();
            collector.Add(0, Length, (_, i) => run[i]);
        }
        return collector;
    }
}
