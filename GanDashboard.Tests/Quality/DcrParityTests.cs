using System.Text.Json;
using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

/// <summary>SDMetrics 0.29's DCROverfittingProtection and DCRBaselineProtection on the reference fixtures (values computed by SDMetrics).</summary>
public class DcrParityTests
{
    public static TheoryData<string> Cases => new() { "synthetic_tvae", "synthetic_near_copies" };

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(TestData.Path("sdmetrics-dcr", "expected.json"))).RootElement;

    private static Table Read(string file) => Csv.Read(TestData.Path("sdmetrics-dcr", file));

    private static string[] Columns => Expected.GetProperty("metadata").GetProperty("columns").EnumerateObject().Select(c => c.Name).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_row_distances_and_the_overfitting_score_match_sdmetrics(string name)
    {
        var expected = Expected.GetProperty("cases").GetProperty(name);
        var synthetic = Read(expected.GetProperty("synthetic").GetString()!);
        var toTraining = Dcr.Distances(synthetic, Read("train.csv"), Columns);
        var toHoldout = Dcr.Distances(synthetic, Read("holdout.csv"), Columns);

        var firstTraining = expected.GetProperty("dcr_to_training_first_20").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var firstHoldout = expected.GetProperty("dcr_to_holdout_first_20").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < 20; i++)
        {
            toTraining[i].Should().BeApproximately(firstTraining[i], 0.001, $"row {i} to training");
            toHoldout[i].Should().BeApproximately(firstHoldout[i], 0.001, $"row {i} to holdout");
        }
        Dcr.Median(toTraining).Should().BeApproximately(expected.GetProperty("dcr_to_training_median").GetDouble(), 0.001);

        var overfitting = Dcr.OverfittingProtection(toTraining, toHoldout);
        var reference = expected.GetProperty("dcr_overfitting_protection");
        overfitting.Score.Should().BeApproximately(reference.GetProperty("score").GetDouble(), 0.001);
        overfitting.CloserToTraining.Should().BeApproximately(
            reference.GetProperty("synthetic_data_percentages").GetProperty("closer_to_training").GetDouble(), 0.001);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Baseline_protection_matches_sdmetrics_median_exactly_and_its_random_baseline_within_sampling_noise(string name)
    {
        var expected = Expected.GetProperty("cases").GetProperty(name);
        var baseline = Dcr.BaselineProtection(Read("train.csv"), Read(expected.GetProperty("synthetic").GetString()!), Columns, seed: 7);
        var reference = expected.GetProperty("dcr_baseline_protection");
        var medians = reference.GetProperty("median_DCR_to_real_data");
        baseline.SyntheticMedianDcr.Should().BeApproximately(medians.GetProperty("synthetic_data").GetDouble(), 0.001);
        // Uniform random rows: only the distribution is fixed; 1000 rows put the median within a few percent.
        baseline.RandomMedianDcr.Should().BeApproximately(medians.GetProperty("random_data_baseline").GetDouble(), 0.01);
        baseline.Score!.Value.Should().BeApproximately(reference.GetProperty("score").GetDouble(), 0.02);
    }

    [Fact]
    public void A_constant_reference_column_counts_any_difference_as_one_and_missing_pairs_as_zero()
    {
        var reference = new Table([Column.Numeric("a", [5, 5]), Column.Numeric("b", [0, 10]), Column.Categorical("c", ["x", null])]);
        var data = new Table([Column.Numeric("a", [5, 6]), Column.Numeric("b", [double.NaN, 2.5]), Column.Categorical("c", [null, "x"])]);
        var distances = Dcr.Distances(data, reference, ["a", "b", "c"]);
        // Row 0: vs ref 0: 0 + 1 (NaN vs 0) + 1 = 2/3; vs ref 1: 0 + 1 + 0 (both missing) = 1/3.
        distances[0].Should().BeApproximately(1.0 / 3, 1e-12);
        // Row 1: vs ref 0: 1 + 0.25 + 0 = 1.25/3; vs ref 1: 1 + 0.75 + 1 = 2.75/3.
        distances[1].Should().BeApproximately(1.25 / 3, 1e-12);
    }
}

/// <summary>The gate's edge: "at most 55 % closer to training" passes at exactly 55 %.</summary>
public sealed class DcrGateEdgeTests
{
    [Fact]
    public void Exactly_55_percent_closer_to_training_scores_0_9_and_passes_the_gate()
    {
        var toTraining = Enumerable.Range(0, 2000).Select(i => i < 1100 ? 0.1 : 0.3).ToArray();
        var toHoldout = Enumerable.Repeat(0.2, 2000).ToArray();

        var protection = GanDashboard.Core.Quality.Memorisation.Dcr.OverfittingProtection(toTraining, toHoldout);

        protection.CloserToTraining.Should().Be(0.55);
        protection.Score.Should().BeGreaterThanOrEqualTo(new GanDashboard.Core.Quality.QualityGates().DcrOverfittingProtectionMin);
    }
}
