using GanDashboard.Core.Generation;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Seeding;

/// <summary>How generated runs get their lengths: smoothed (new lengths, the data's spread) and evenly spread over a split.</summary>
public class RunLengthDrawTests
{
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963985)]
    [InlineData(0.01, -2.326347874)]
    [InlineData(0.999, 3.090232306)]
    [InlineData(0.2, -0.841621234)]
    public void The_standard_normal_quantile_is_close_to_the_exact_value(double u, double expected) =>
        Quantiles.StandardNormal(u).Should().BeApproximately(expected, 2e-5);

    [Fact]
    public void Smoothed_draws_keep_the_datas_log_mean_and_spread_but_are_new_values()
    {
        // 30 run lengths in three tight groups: plain inverse-CDF draws return the groups' values themselves most of the time.
        var lengths = Enumerable.Range(0, 30).Select(i => 1000.0 * (1 + i % 3) + i / 3).ToArray();
        var quantiles = Quantiles.Of(lengths);
        var random = new Xoshiro256(7);
        var draws = Enumerable.Range(0, 20_000).Select(_ => Quantiles.DrawSmoothed(quantiles, lengths.Length, random.NextDouble(), random.NextNormal(), logScale: true)).ToArray();
        var plain = Enumerable.Range(0, 20_000).Select(_ => Quantiles.Draw(quantiles, random.NextDouble())).ToArray();

        var logs = lengths.Select(l => Math.Log(l)).ToArray();
        var drawnLogs = draws.Select(d => Math.Log(d)).ToArray();
        drawnLogs.Average().Should().BeApproximately(logs.Average(), 0.01);
        StandardDeviation(drawnLogs).Should().BeApproximately(StandardDeviation(logs), 0.02);
        double NearReal(double[] values) => values.Count(d => lengths.Any(l => Math.Abs(d - l) <= 10)) / (double)values.Length;
        NearReal(plain).Should().BeGreaterThan(0.8);
        NearReal(draws).Should().BeLessThan(0.2, "smoothed draws are new lengths, not the real runs' own");
    }

    [Fact]
    public void A_constant_or_single_value_is_drawn_as_it_is()
    {
        Quantiles.DrawSmoothed(Quantiles.Of([5.0, 5.0, 5.0]), 3, 0.4, 1.5, logScale: true).Should().Be(5.0);
        Quantiles.DrawSmoothed(Quantiles.Of([0.2]), 1, 0.4, 1.5).Should().Be(0.2);
    }

    [Fact]
    public void Evenly_spread_points_cover_the_unit_square_without_gaps_for_any_count()
    {
        foreach (int count in new[] { 7, 50, 333 })
        {
            var points = Enumerable.Range(0, count).Select(i => SplitPlanner.EvenlySpread(new RunPoint(0.31, 0.77, 0.05), i)).ToArray();
            double Discrepancy(double[] values)
            {
                var sorted = values.Order().ToArray();
                return sorted.Select((v, i) => Math.Max(Math.Abs(v - (double)i / count), Math.Abs(v - (double)(i + 1) / count))).Max();
            }
            // Independent uniform draws have a Kolmogorov distance of about 0.87/sqrt(n) on average; these stay near 1/n.
            foreach (var coordinate in new Func<RunPoint, double>[] { p => p.LengthQuantile, p => p.LengthKernel, p => p.OnsetQuantile })
                Discrepancy(points.Select(coordinate).ToArray()).Should().BeLessThan(2.5 / count);
            points.Should().OnlyContain(p => p.LengthQuantile >= 0 && p.LengthQuantile < 1 && p.LengthKernel >= 0 && p.LengthKernel < 1 && p.OnsetQuantile >= 0 && p.OnsetQuantile < 1);
        }
    }

    [Fact]
    public void A_splits_mean_run_length_barely_moves_between_generation_seeds()
    {
        var model = CncSkeletons(runs: 100);

        var means = Enumerable.Range(1, 8).Select(s =>
            SplitPlanner.Plan(model, new SplitRequest { TrainRows = 30_000, ValRows = 0, TestRows = 0, Seed = (ulong)s })
                .Where(r => r.Skeleton.FailureMode == 0).Average(r => (double)r.Skeleton.Length)).ToArray();

        // Independent draws of this mode's ~80 runs move their mean length by about 4 steps (the lengths' spread over sqrt(80)).
        StandardDeviation(means).Should().BeLessThan(1.5);
    }

    [Fact]
    public void The_train_split_goes_past_its_rows_until_it_has_the_runs_asked_for_and_the_other_splits_do_not()
    {
        var model = CncSkeletons(runs: 40);
        model.SeedRuns.Should().Be(40);
        var request = new SplitRequest { TrainRows = 500, ValRows = 500, TestRows = 500, Seed = 3 };

        var byRows = SplitPlanner.Plan(model, request);
        var byRuns = SplitPlanner.Plan(model, request with { MinTrainRuns = model.SeedRuns });

        byRows.Count(r => r.Split == "train").Should().BeLessThan(40, "500 rows are a few CNC runs");
        byRuns.Count(r => r.Split == "train").Should().Be(40);
        byRuns.Where(r => r.Split == "train").Sum(r => r.Skeleton.Length).Should().BeGreaterThan(500);
        byRuns.Count(r => r.Split == "val").Should().Be(byRows.Count(r => r.Split == "val"));
        byRuns.Count(r => r.Split == "test").Should().Be(byRows.Count(r => r.Split == "test"));
        FluentActions.Invoking(() => SplitPlanner.Plan(model, request with { MinTrainRuns = -1 })).Should().Throw<ArgumentException>()
            .WithMessage("*minimum of runs is -1*0 or more*");
    }

    /// <summary>The run skeletons fitted on seed data of the CNC sample profile.</summary>
    private static RunSkeletonModel CncSkeletons(int runs)
    {
        var profile = ProfileParser.ParseFile(TestData.SampleProfile("cnc_haas_vf2_004")).Profile;
        var physics = MachinePhysics.From(profile);
        var seed = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(runs, 1));
        return RunSkeletonModel.Fit(seed, physics.FailureModes.Select(f => f.Id).ToArray(), physics.Modes.Select(m => m.Name).ToArray());
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
