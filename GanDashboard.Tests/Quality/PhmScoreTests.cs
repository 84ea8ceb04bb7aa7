using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.Usefulness;

namespace GanDashboard.Tests.Quality;

/// <summary>The PHM08 score in steps on capped RUL, and the bootstrap interval over runs, against cases worked by hand.</summary>
public class PhmScoreTests
{
    [Fact]
    public void Errors_are_counted_in_steps_on_rul_capped_at_the_cap()
    {
        // RUL in hours, 24 h per step, cap 240 h = 10 steps. Truth 480 h is capped to 240; a prediction of 600 is clipped to 240.
        var d = Phm.StepErrors(predicted: [600, 120, -50, 48], truth: [480, 240, 24, 0], rulPerStep: 24, cap: 240);
        d.Should().Equal(0, -5, -1, 2);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(125, 1)]
    [InlineData(250, 2)]
    [InlineData(1000, 8)]
    public void Errors_count_steps_up_to_a_cap_of_125_steps_and_125ths_of_the_cap_beyond(double capSteps, double unit) =>
        Phm.ErrorUnit(capSteps).Should().Be(unit);

    [Fact]
    public void Cut_sum_and_row_mean_match_the_worked_example()
    {
        // Two runs: rows 0-2 and 3-4. Errors in steps: 0, -13, 10 | 20, -26.
        double[] errors = [0, -13, 10, 20, -26];
        int[][] runs = [[0, 1, 2], [3, 4]];
        int[] cuts = [2, 0];   // row 2 (d = 10) and row 3 (d = 20)
        var score = Phm.Score(errors, runs, cuts, capSteps: 125);
        double e = Math.E;
        // Terms: 0, e - 1, e - 1, e^2 - 1, e^2 - 1.
        score.CutSum.Should().BeApproximately((e - 1) + (e * e - 1), 1e-9);
        score.RowMean.Should().BeApproximately((2 * (e - 1) + 2 * (e * e - 1)) / 5, 1e-9);
        score.Cuts.Should().Be(2);
        score.Rows.Should().Be(5);
    }

    [Fact]
    public void A_huge_late_error_does_not_overflow_and_ratios_stay_finite()
    {
        // exp(9000 / 10) overflows a double; the score is kept as a logarithm.
        double[] a = [9000, 9000], b = [8990, 8990];
        int[][] runs = [[0], [1]];
        var sa = Phm.Score(a, runs, [0, 0], 9000);
        var sb = Phm.Score(b, runs, [0, 0], 9000);
        sa.LogCutSum.Should().BeApproximately(900 + Math.Log(2), 1e-9);
        Phm.Ratio(sa.LogCutSum, sb.LogCutSum).Should().BeApproximately(Math.E, 1e-9);
        Phm.Ratio(sa.LogRowMean, sb.LogRowMean).Should().BeApproximately(Math.E, 1e-9);
    }

    [Fact]
    public void Perfect_predictions_score_zero_and_a_ratio_of_two_zeros_is_one()
    {
        var zero = Phm.Score([0, 0, 0], [[0, 1, 2]], [1], 100);
        zero.CutSum.Should().Be(0);
        zero.RowMean.Should().Be(0);
        Phm.Ratio(zero.LogRowMean, zero.LogRowMean).Should().Be(1);
    }

    [Fact]
    public void Cut_points_are_uniform_within_each_run_and_fixed_by_the_seed()
    {
        var first = Phm.CutPoints([5, 1, 300], seed: 3);
        Phm.CutPoints([5, 1, 300], seed: 3).Should().Equal(first);
        first[1].Should().Be(0);
        first[0].Should().BeInRange(0, 4);
        var many = Phm.CutPoints(Enumerable.Repeat(4, 4000).ToArray(), seed: 1);
        foreach (int k in Enumerable.Range(0, 4)) (many.Count(c => c == k) / 4000.0).Should().BeApproximately(0.25, 0.03);
    }

    [Fact]
    public void Bootstrap_interval_of_two_runs_spans_the_all_a_and_all_b_resamples()
    {
        // Run A: squared errors 4 (TSTR) vs 1 (TRTR); run B: 1 vs 1. Resamples: AA -> sqrt(8/2) = 2 (p 0.25),
        // AB -> sqrt(5/2) (p 0.5), BB -> 1 (p 0.25): the 5th percentile is 1 and the 95th is 2.
        var interval = RunBootstrap.RmseRatio([4, 1], [1, 1], seed: 11);
        interval.Low.Should().Be(1);
        interval.High.Should().Be(2);
        interval.Level.Should().Be(0.9);
        interval.Runs.Should().Be(2);
    }

    [Fact]
    public void Bootstrap_interval_collapses_when_every_run_has_the_same_ratio()
    {
        var interval = RunBootstrap.RmseRatio([4, 8, 12], [1, 2, 3], seed: 5);
        interval.Low.Should().BeApproximately(2, 1e-12);
        interval.High.Should().BeApproximately(2, 1e-12);
        var phm = RunBootstrap.LogSumRatio([Math.Log(3), Math.Log(6)], [Math.Log(1), Math.Log(2)], seed: 5);
        phm.Low.Should().BeApproximately(3, 1e-9);
        phm.High.Should().BeApproximately(3, 1e-9);
    }
}

/// <summary>Which PHM08 ratio the usefulness gate reads: the per-row mean, not the one-cut-per-run sum.</summary>
public sealed class UsefulnessGateTests
{
    private static UsefulnessResult Result(double cutSumRatio, double perRowRatio)
    {
        var scores = new RegressorScores("synthetic", "unseen", 100, 100, 10, 50, 5);
        return new(RunColumns.RulCapped, ["s1"], scores, scores, scores, 1.0, cutSumRatio, false, []) { NasaScorePerRowRatio = perRowRatio, UnseenRuns = 50 };
    }

    [Fact]
    public void A_late_prediction_that_moves_only_the_cut_sum_does_not_fail_the_gate()
    {
        var verdict = QualityEvaluator.UsefulnessVerdict(Result(cutSumRatio: 1.35, perRowRatio: 1.02), new QualityGates());
        verdict.Status.Should().Be(SectionStatus.Passed);
        verdict.Summary.Should().Contain("not gated").And.Contain("1.35");
    }

    [Fact]
    public void A_per_row_score_worse_than_the_gate_fails_it()
    {
        QualityEvaluator.UsefulnessVerdict(Result(cutSumRatio: 0.4, perRowRatio: 1.27), new QualityGates()).Status.Should().Be(SectionStatus.Failed);
    }
}
