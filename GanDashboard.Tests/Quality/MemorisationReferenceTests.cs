using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tests.Quality;

/// <summary>
/// The training and unseen sides of DCR overfitting protection are taken whole (trimmed to the same row count), and both
/// sides' distances are normalised by one range, the real rows': with each side's own range (SDMetrics' way), which
/// extreme rows a side happened to hold decided the verdict.
/// </summary>
public sealed class MemorisationReferenceTests
{
    private static readonly string[] Columns = ["a", "b", "c", "mode"];

    /// <summary>Runs of 40 rows whose values have rare large spikes (as sensors near failure have).</summary>
    private static Table Fleet(int runs, int seed)
    {
        var random = new Random(seed);
        int rows = runs * 40;
        var runId = new double[rows];
        var mode = new string?[rows];
        var values = Columns[..3].Select(_ => new double[rows]).ToArray();
        for (int r = 0; r < rows; r++)
        {
            runId[r] = r / 40 + 1;
            mode[r] = random.NextDouble() < 0.6 ? "high" : "low";
            foreach (var column in values)
                column[r] = Normal(random) + (random.NextDouble() < 0.01 ? 8 * random.NextDouble() : 0);
        }
        return new Table([Column.Numeric("run_id", runId, isInteger: true), .. Columns[..3].Select((c, i) => Column.Numeric(c, values[i])),
            Column.Categorical("mode", mode)]);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Both_reference_sides_are_whole_and_equal_sized()
    {
        var result = MemorisationEvaluator.Evaluate(Fleet(60, 1), Fleet(50, 2), Fleet(20, 3), Columns, sampleRows: 300, seed: 7);

        result.DcrReferenceSample.Should().Be(50 * 40, "50 training runs are matched to the 50 unseen runs, every row kept");
        result.DcrSyntheticSample.Should().Be(300);
        result.TrainingRuns.Should().Be(50);
        result.UnseenRuns.Should().Be(50);
    }

    [Fact]
    public void A_generator_that_never_saw_the_training_rows_is_judged_as_such_on_every_draw()
    {
        // Training, unseen and "synthetic" rows come from one law: no memorisation, so about half the synthetic rows are
        // closer to each side. With 300-row samples of the references the share ranged far from a half between draws.
        for (int seed = 0; seed < 6; seed++)
        {
            var result = MemorisationEvaluator.Evaluate(Fleet(50, 10 + seed), Fleet(50, 20 + seed), Fleet(25, 30 + seed), Columns,
                sampleRows: 1000, seed: seed);

            result.OverfittingProtection!.CloserToTraining.Should().BeInRange(0.42, 0.58, $"draw {seed}");
        }
    }

    [Fact]
    public void One_extreme_training_run_does_not_make_the_synthetic_rows_look_closer_to_training()
    {
        // The same law on every side, but one training row far out on column a: with each side divided by its own range
        // (SDMetrics' calculate_dcr), every distance to training shrinks on that column and the share leans to training.
        var train = Fleet(50, 41);
        train["a"].Numbers![17] = 60;
        var (unseen, synthetic) = (Fleet(50, 42), Fleet(25, 43));
        var perSide = Dcr.OverfittingProtection(Dcr.Distances(synthetic.Select(Columns), train.Select(Columns), Columns),
            Dcr.Distances(synthetic.Select(Columns), unseen.Select(Columns), Columns));
        perSide.CloserToTraining.Should().BeGreaterThan(0.6, "this is the lean the shared ruler removes");

        var result = MemorisationEvaluator.Evaluate(train, unseen, synthetic, Columns, sampleRows: 1000, seed: 5);

        result.OverfittingProtection!.CloserToTraining.Should().BeInRange(0.42, 0.58);
    }
}
