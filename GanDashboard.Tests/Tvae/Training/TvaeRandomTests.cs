using GanDashboard.Tvae.Training;

namespace GanDashboard.Tests.Tvae.Training;

public sealed class TvaeRandomTests
{
    [Fact]
    public void Normal_draws_have_the_standard_normal_moments_and_quantiles()
    {
        var draws = new float[200_003]; // not a multiple of 16: the tail path runs too
        new TvaeRandom(17).FillNormal(draws);

        double mean = draws.Average(d => (double)d);
        double variance = draws.Average(d => (d - mean) * (d - mean));
        mean.Should().BeApproximately(0, 0.01);
        variance.Should().BeApproximately(1, 0.01);
        (draws.Count(d => d < 1f) / (double)draws.Length).Should().BeApproximately(0.8413, 0.004);
        (draws.Count(d => d < -2f) / (double)draws.Length).Should().BeApproximately(0.0228, 0.002);
        draws.Should().OnlyContain(d => float.IsFinite(d));
    }

    [Fact]
    public void A_generator_restored_from_its_state_continues_the_same_stream()
    {
        var original = new TvaeRandom(3);
        original.FillNormal(new float[40]);
        original.NextULong();
        var restored = TvaeRandom.FromState(original.State);

        var expected = new float[64];
        var actual = new float[64];
        original.FillNormal(expected);
        restored.FillNormal(actual);

        actual.Should().Equal(expected);
        restored.NextULong().Should().Be(original.NextULong());
    }
}
