using System.Text.Json;
using FluentAssertions;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;
using TorchSharp;

namespace GanDashboard.Tests.RunAware;

public sealed class RunAwareGeneratorTests(RunAwareModels models) : IClassFixture<RunAwareModels>
{
    private const string Pump = "pump_ksb_etanorm_002";
    private static readonly SplitRequest Small = new() { TrainRows = 3000, ValRows = 1200, TestRows = 1200, Seed = 11 };

    [Fact]
    public async Task Labels_are_exact_in_every_generated_run()
    {
        var trained = models.For(Pump);
        var folder = models.NewFolder("labels");
        await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath, Small, folder);
        foreach (string split in new[] { "train", "val", "test" })
        {
            var table = await TableFile.ReadAsync(Path.Combine(folder, split + ".parquet"));
            var checks = RunChecker.Check(table, trained.Profile);
            foreach (string check in new[] { "rul_steps", "timestamp_interval", "rul_capped", "health_state_monotone", "health_index_monotone", "finite_values" })
                checks.Find(check)!.Passed.Should().BeTrue($"{split}: {checks.Find(check)!.Detail}");
            var rul = table[SeedColumns.Rul].Numbers!;
            var state = table[SeedColumns.HealthState].Labels!;
            foreach (var run in RunRows.Find(table))
            {
                rul[run[^1]].Should().Be(0);
                state[run[^1]].Should().Be("critical", "the last step of a run is its failure");
            }
        }
    }

    [Fact]
    public async Task Splits_are_disjoint_by_run_stratified_and_within_one_run_of_the_request()
    {
        var trained = models.For(Pump);
        var folder = models.NewFolder("splits");
        var result = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath, Small, folder);
        var seen = new HashSet<double>();
        foreach (var (name, requested) in Small.Splits)
        {
            var table = await TableFile.ReadAsync(Path.Combine(folder, name + ".parquet"));
            table.ColumnNames.Should().Equal(trained.Seed.ColumnNames, "generated splits have the seed's columns");
            var runs = RunRows.Find(table);
            var ids = table[SeedColumns.RunId].Numbers!;
            foreach (var run in runs) seen.Add(ids[run[0]]).Should().BeTrue($"run {ids[run[0]]} appears in one split only");
            table.RowCount.Should().BeGreaterThanOrEqualTo(requested);
            table.RowCount.Should().BeLessThan(requested + runs.Max(r => r.Length), "whole runs are added only until the split has its rows");
            result[name].Rows.Should().Be(table.RowCount);
            result[name].Runs.Should().Be(runs.Count);
            // Stratified: per split, each failure mode's run count is within one of its share.
            var shares = trained.Model.Spec.Skeletons.FailureModeShares(null);
            var ids2 = trained.Model.Spec.Skeletons.FailureModes.Select(f => f.Id).ToList();
            for (int f = 0; f < ids2.Count; f++)
                Math.Abs(result[name].RunsPerFailureMode.GetValueOrDefault(ids2[f]) - shares[f] * runs.Count).Should().BeLessThanOrEqualTo(1.0);
        }
        var manifest = JsonDocument.Parse(File.ReadAllText(result.ManifestPath)).RootElement;
        manifest.GetProperty("model_sha256").GetString().Should().Be(trained.Model.FileSha256);
        manifest.GetProperty("splits").EnumerateArray().Select(s => s.GetProperty("rows").GetInt32()).Should().Equal(result.Splits.Select(s => s.Rows));
    }

    [Fact]
    public async Task The_same_model_and_seed_give_the_same_bytes_and_another_seed_does_not()
    {
        var trained = models.For(Pump);
        var first = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath, Small, models.NewFolder("a"));
        var second = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath, Small, models.NewFolder("b"));
        var other = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath, Small with { Seed = 12 }, models.NewFolder("c"));
        second.Splits.Select(s => s.Sha256).Should().Equal(first.Splits.Select(s => s.Sha256));
        File.ReadAllBytes(second.ManifestPath).Should().Equal(File.ReadAllBytes(first.ManifestPath));
        other.Splits.Select(s => s.Sha256).Should().NotIntersectWith(first.Splits.Select(s => s.Sha256));
    }

    [Fact]
    public async Task Generation_reads_only_the_model_file_and_copies_no_seed_row()
    {
        torch.set_num_threads(1);
        var profile = ProfileJson.Deserialize(File.ReadAllText(TestData.SampleProfile(Pump)));
        using var folder = TestData.NewTempFolder();
        string seedPath = folder.File("seed.parquet"), modelPath = folder.File("model.gdm");
        await TableFile.WriteAsync(new SeedGenerator(profile).Generate(SeedOptions.ForRuns(12, 5)), seedPath);
        var seed = await TableFile.ReadAsync(seedPath);
        var options = new RunAwareOptions { Tvae = new TvaeOptions { Epochs = 2, Seed = 1, Threads = 1 }, CalibrationRows = 1000 };
        await RunAwareModelFile.SaveAsync(RunAwareSynthesizer.Fit(seed, profile, options), modelPath);
        File.Delete(seedPath);

        var result = await RunAwareGenerator.GenerateSplitsAsync(modelPath, new SplitRequest { TrainRows = 1500, ValRows = 500, TestRows = 500, Format = "csv" }, folder.File("out"));
        var train = await TableFile.ReadAsync(Path.Combine(result.OutputFolder, "train.csv"));
        train.ColumnNames.Should().Equal(seed.ColumnNames);
        var sensors = profile.Sensors!.Select(s => s.Name!).ToArray();
        var seedRows = Enumerable.Range(0, seed.RowCount).Select(r => string.Join(',', sensors.Select(s => seed[s].Numbers![r]))).ToHashSet();
        Enumerable.Range(0, train.RowCount).Count(r => seedRows.Contains(string.Join(',', sensors.Select(s => train[s].Numbers![r])))).Should().Be(0);
    }

    [Fact]
    public async Task Failure_mode_and_operating_mode_scenarios_are_respected()
    {
        var trained = models.For(Pump);
        var ids = trained.Model.Spec.Skeletons.FailureModes.Select(f => f.Id).ToArray();
        var only = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath,
            Small with { FailureModeShares = new Dictionary<string, double> { [ids[0]] = 1 } }, models.NewFolder("only"));
        only.Splits.Should().AllSatisfy(s => s.RunsPerFailureMode.Keys.Should().Equal(ids[0]));

        var halves = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath,
            Small with { FailureModeShares = new Dictionary<string, double> { [ids[1]] = 0.5, [ids[2]] = 0.5 } }, models.NewFolder("halves"));
        halves.Splits.Should().AllSatisfy(s =>
        {
            s.RunsPerFailureMode.Keys.Should().BeEquivalentTo([ids[1], ids[2]]);
            Math.Abs(s.RunsPerFailureMode[ids[1]] - s.RunsPerFailureMode[ids[2]]).Should().BeLessThanOrEqualTo(1);
        });

        var modes = trained.Model.Spec.Skeletons.OperatingModes.Select(m => m.Name).ToArray();
        var skewed = await RunAwareGenerator.GenerateSplitsAsync(trained.ModelPath,
            Small with { TrainRows = 20_000, OperatingModeShares = new Dictionary<string, double> { [modes[0]] = 0.2, [modes[1]] = 0.8 } }, models.NewFolder("modes"));
        var train = await TableFile.ReadAsync(Path.Combine(skewed.OutputFolder, "train.parquet"));
        double share = train[SeedColumns.OperatingMode].Labels!.Count(m => m == modes[1]) / (double)train.RowCount;
        share.Should().BeApproximately(0.8, 0.05, "the chain is re-weighted so its long-run share of steps is the scenario's");
    }

    [Fact]
    public void An_unknown_failure_mode_in_a_scenario_is_refused()
    {
        var trained = models.For(Pump);
        var act = () => SplitPlanner.Plan(trained.Model.Spec.Skeletons, Small with { FailureModeShares = new Dictionary<string, double> { ["no_such_mode"] = 1 } });
        act.Should().Throw<ArgumentException>().WithMessage("*no_such_mode*");
    }
}
