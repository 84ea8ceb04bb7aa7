using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.RunTable;

/// <summary><c>evaluate import</c>: the import targets with every unit held out once (folds over units).</summary>
public sealed class EvaluateImportCommandTests
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["evaluate import"] = EvaluateImportCommand.RunAsync,
    };

    [Fact]
    public async Task Every_unit_is_held_out_once_and_each_fold_reports_every_target()
    {
        using var folder = new TempFolder();
        var fleet = RunTables.Fleet(24);
        await TableFile.WriteAsync(fleet.Seed, folder.File("seed.parquet"));
        await File.WriteAllTextAsync(folder.File("profile.json"), ProfileJson.Serialize(fleet.Profile));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await CommandLine.RunAsync(["evaluate", "import", "--data", folder.File("seed.parquet"), "--profile", folder.File("profile.json"),
            "--folds", "3", "--epochs", "3", "--json", "--dump", folder.File("runs")], Verbs, output, error);

        code.Should().Be(0, error.ToString());
        var json = JsonDocument.Parse(output.ToString()).RootElement;
        var folds = json.GetProperty("folds").EnumerateArray().ToList();
        folds.Select(f => f.GetProperty("fold").GetInt32()).Should().Equal(1, 2, 3);
        folds.Sum(f => f.GetProperty("held_out_runs").GetInt32()).Should().Be(24, "every unit is held out exactly once");
        foreach (var fold in folds)
        {
            fold.GetProperty("rmse_ratio").GetDouble().Should().BePositive();
            fold.GetProperty("overall").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("min_trend_ks_complement").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("run_length_ks_complement").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("dcr_overfitting_protection").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("exact_copies").GetInt32().Should().Be(0);
            var bySensor = fold.GetProperty("trend_ks_by_sensor").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            bySensor.Keys.Should().BeEquivalentTo(fleet.Profile.Import!.Sensors);
            bySensor.Values.Min().Should().BeApproximately(fold.GetProperty("min_trend_ks_complement").GetDouble(), 1e-4, "the smallest is the fold's figure");
        }
        var summary = json.GetProperty("trend_ks_by_sensor").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        summary.Keys.Should().BeEquivalentTo(fleet.Profile.Import!.Sensors);
        foreach (var (sensor, spread) in summary)
            spread.GetProperty("min").GetDouble().Should().BeApproximately(
                folds.Min(f => f.GetProperty("trend_ks_by_sensor").GetProperty(sensor).GetDouble()), 1e-4, $"{sensor}'s smallest over the folds");
        Directory.GetFiles(folder.File("runs")).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["synthetic-fold1.csv", "synthetic-fold2.csv", "synthetic-fold3.csv"], "--dump makes its folder and writes each fold's runs");
        json.GetProperty("rmse_ratio").GetProperty("mean").GetDouble()
            .Should().BeApproximately(folds.Average(f => f.GetProperty("rmse_ratio").GetDouble()), 1e-4, "the summary is rounded to four decimals");
    }

    [Fact]
    public void Diagnose_measures_how_far_runs_rise_and_how_rough_they_are()
    {
        // Two runs of 20 steps: a straight rise 0..19, and a flat 5 flickering by one either way.
        var values = Enumerable.Range(0, 20).Select(i => (double)i).Concat(Enumerable.Range(0, 20).Select(i => 5.0 + (i % 2 == 0 ? 1 : -1))).ToArray();
        var table = new Table([Column.Numeric("run_id", Enumerable.Range(0, 40).Select(i => (double)(i / 20 + 1)).ToArray(), isInteger: true),
            Column.Numeric("v", values)]);
        var runs = RunIndex.Of(table)!;

        // End of life: the last 2 steps' mean less the first 10's: 18.5 - 4.5 = 14, and 0 for the flicker; mean 7, spread 7.
        EvaluateImportCommand.Rise(values, runs).Should().Be("7 (7)");
        // Mid-life: steps 10-14 (mean 12) less steps 0-4 (mean 2) = 10; the flicker's 5 + 1/5 - (5 + 1/5) = 0.
        EvaluateImportCommand.Rise(values, runs, midLife: true).Should().Be("5 (5)");
        // Each value less the mean of the 11 steps around it: a straight line is smooth but where the window is cut at its ends.
        var line = RunIndex.Of(new Table([Column.Numeric("run_id", Enumerable.Repeat(1.0, 20).ToArray(), isInteger: true)]))!;
        EvaluateImportCommand.Roughness(values[20..], line).Should().BeApproximately(1.072, 0.001, "0.91 inside, up to 1.14 where the window is cut at the ends");
        EvaluateImportCommand.Roughness(values[..20], line).Should().BeApproximately(1.173, 0.001, "0 inside; 2.5, 2, 1.5, 1, 0.5 at either end");
        // Every step of the rise changes, and every step of the flicker: 38 of 38; a held reading changes on none.
        ResidualProcess.ChangingShare(values, runs.Rows).Should().Be(1);
        ResidualProcess.ChangingShare([.. Enumerable.Repeat(2.0, 10), .. Enumerable.Repeat(3.0, 10)], line.Rows).Should().BeApproximately(1.0 / 19, 1e-12);
    }

    [Fact]
    public void The_trend_floor_is_what_sampling_noise_alone_leaves_of_a_perfect_generator()
    {
        var random = new Random(3);
        var one = Enumerable.Range(0, 50).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        double single = EvaluateImportCommand.TrendKsFloor([one], syntheticRuns: 250);
        double copies = EvaluateImportCommand.TrendKsFloor([one, one.ToArray(), one.ToArray()], syntheticRuns: 250);
        double independent = EvaluateImportCommand.TrendKsFloor(
            Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, 50).Select(_ => random.NextDouble()).ToArray()).ToList(), syntheticRuns: 250);

        // Two samples of 50 and 250 from one distribution differ by a KS distance of about 0.87 / sqrt(50 * 250 / 300) = 0.13 on average.
        single.Should().BeInRange(0.82, 0.90);
        copies.Should().BeApproximately(single, 1e-9, "runs are drawn whole, so sensors whose trends go together add no noise of their own");
        independent.Should().BeLessThan(single - 0.05, "the smallest of sixteen independent complements sits lower than one");
        EvaluateImportCommand.TrendKsFloor([one], syntheticRuns: 5000).Should().BeGreaterThan(single, "more synthetic runs leave less noise");
    }
}
