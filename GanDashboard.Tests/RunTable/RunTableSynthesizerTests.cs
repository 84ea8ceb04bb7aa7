using FluentAssertions;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Import;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.RunTable;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Tests.RunTable;

/// <summary>One small fit shared by the tests (a few seconds): 40 units, 40 epochs.</summary>
public sealed class FleetModel : IDisposable
{
    public FleetModel()
    {
        Data = RunTables.Fleet(40, censored: 4);
        Model = RunTableSynthesizer.Fit(Data.Seed, Data.Profile, new RunTableOptions { Tvae = new TvaeOptions { Epochs = 40, Seed = 5, Threads = 1 } });
        Generated = Model.GenerateRuns(SplitPlanner.Plan(Model.Skeletons, new SplitRequest { TrainRows = 6000, ValRows = 0, TestRows = 0, Seed = 9 }), 9);
        Folder = Directory.CreateTempSubdirectory("gd-runtable-").FullName;
    }

    internal RunTables.Imported Data { get; }
    public RunTableSynthesizer Model { get; }
    public Table Generated { get; }
    public string Folder { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class RunTableSynthesizerTests(FleetModel fleet) : IClassFixture<FleetModel>
{
    [Fact]
    public void Generated_runs_have_the_imported_columns_under_their_own_names_with_new_ids()
    {
        var table = fleet.Generated;
        table.ColumnNames.Should().Equal("run_id", "step", "Cycle", "Setting", "Temperature", "Pressure", "Level", "Model", "Site", "Fault", "Stopped", "rul", "rul_capped");
        table.Has("Unit").Should().BeFalse("the original run id column is left out: run_id numbers the synthetic units");
        table["Model"].Numbers!.Should().OnlyContain(v => v == 7, "a constant column comes back with its constant");
        table["Stopped"].Labels!.Should().OnlyContain(v => v == "no", "generated runs all end in failure");
        table["Site"].Labels!.Distinct().Should().BeEquivalentTo(["north", "south"]);
    }

    [Fact]
    public void Labels_are_exact_and_the_order_column_counts_like_the_real_one()
    {
        var table = fleet.Generated;
        var rul = table["rul"].Numbers!;
        var capped = table["rul_capped"].Numbers!;
        var cycle = table["Cycle"].Numbers!;
        var step = table["step"].Numbers!;
        var fault = table["Fault"].Labels!;
        foreach (var run in RunIndex.Of(table)!.Rows)
        {
            for (int i = 0; i < run.Length; i++)
            {
                rul[run[i]].Should().Be(run.Length - 1 - i);
                capped[run[i]].Should().Be(Math.Min(run.Length - 1 - i, 60));
                cycle[run[i]].Should().Be(i + 1);
                step[run[i]].Should().Be(i);
            }
            run.Select(r => fault[r]).Distinct().Should().ContainSingle("a run has one failure mode");
        }
    }

    [Fact]
    public void Each_fault_keeps_its_own_direction_and_units_differ_from_their_first_row()
    {
        var table = fleet.Generated;
        var pressure = table["Pressure"].Numbers!;
        var fault = table["Fault"].Labels!;
        var runs = RunIndex.Of(table)!.Rows;
        double Change(int[] run) => run.TakeLast(5).Average(r => pressure[r]) - run.Take(20).Average(r => pressure[r]);
        runs.Where(r => fault[r[0]] == "fan").Select(Change).Average().Should().BeGreaterThan(1.5, "fan units' pressure rises by 3 toward failure");
        runs.Where(r => fault[r[0]] == "compressor").Select(Change).Average().Should().BeLessThan(-1.5, "compressor units' pressure falls by 3");

        var temperature = table["Temperature"].Numbers!;
        var starts = runs.Select(r => r.Take(10).Average(i => temperature[i])).ToList();
        double spread = Math.Sqrt(starts.Average(s => (s - starts.Average()) * (s - starts.Average())));
        spread.Should().BeGreaterThan(0.4, "real units start 0.5 apart (plus regimes); one average unit would start alike");
    }

    [Fact]
    public void A_quantised_sensor_comes_out_on_its_recording_grid()
    {
        fleet.Model.Spec.Grids.Should().ContainKey("Level");
        fleet.Generated["Level"].Numbers!.Should().OnlyContain(v => Math.Abs(v * 100 - Math.Round(v * 100)) < 1e-9);
        fleet.Model.Spec.Grids.Should().NotContainKey("Temperature");
    }

    [Fact]
    public void A_sensor_that_holds_its_reading_most_steps_resamples_its_units_own_departures()
    {
        var sensors = fleet.Model.Spec.Sensors.Select(s => s.Name).ToList();
        var held = fleet.Model.Spec.Residuals!.Held!;
        sensors.Where((_, s) => held[s]).Should().Equal(["Level"], "Level holds 1.30 at most steps; Temperature and Pressure change at every step");
        fleet.Model.Spec.RunTraits.Should().AllSatisfy(t => t.Held![sensors.IndexOf("Level")].Should().HaveCount(t.Length));
        var realRuns = RunIndex.Of(fleet.Data.Seed)!.Rows;
        var synRuns = RunIndex.Of(fleet.Generated)!.Rows;
        double real = ResidualProcess.ChangingShare(fleet.Data.Seed["Level"].Numbers!, realRuns);
        ResidualProcess.ChangingShare(fleet.Generated["Level"].Numbers!, synRuns).Should().BeApproximately(real, 0.05, "how often the reading moves is the real units'");
    }

    [Fact]
    public void Lag1_autocorrelation_and_run_lengths_follow_the_real_runs()
    {
        var real = fleet.Data.Seed;
        var realRuns = RunIndex.Of(real)!.Rows;
        var synRuns = RunIndex.Of(fleet.Generated)!.Rows;
        foreach (string sensor in new[] { "Temperature", "Pressure" })
        {
            double gap = Math.Abs(ResidualProcess.PooledLag1(real[sensor].Numbers!, realRuns) - ResidualProcess.PooledLag1(fleet.Generated[sensor].Numbers!, synRuns));
            gap.Should().BeLessThan(0.1, sensor);
        }
        var lengths = synRuns.Select(r => (double)r.Length).ToList();
        lengths.Min().Should().BeGreaterThanOrEqualTo(70);
        lengths.Max().Should().BeLessThanOrEqualTo(170);
    }

    [Fact]
    public void No_real_row_is_copied()
    {
        string[] sensors = ["Temperature", "Pressure", "Level"];
        string Row(Table t, int r) => string.Join(",", sensors.Select(s => t[s].Numbers![r].ToString("R")));
        var real = Enumerable.Range(0, fleet.Data.Seed.RowCount).Select(r => Row(fleet.Data.Seed, r)).ToHashSet();
        Enumerable.Range(0, fleet.Generated.RowCount).Count(r => real.Contains(Row(fleet.Generated, r))).Should().Be(0);
    }

    [Fact]
    public async Task The_model_file_alone_generates_the_same_bytes()
    {
        string path = Path.Combine(fleet.Folder, "fleet.gdm");
        await RunTableModelFile.SaveAsync(fleet.Model, path);
        var loaded = await RunModelFile.LoadAsync(path);
        loaded.Should().BeOfType<RunTableSynthesizer>();
        var request = new SplitRequest { TrainRows = 800, ValRows = 300, TestRows = 300, Seed = 4 };
        var first = await RunAwareGenerator.GenerateSplitsAsync(fleet.Model, request, Path.Combine(fleet.Folder, "a"));
        var second = await RunAwareGenerator.GenerateSplitsAsync(loaded, request, Path.Combine(fleet.Folder, "b"));
        second.Splits.Select(s => s.Sha256).Should().Equal(first.Splits.Select(s => s.Sha256));
        second.Splits.Select(s => s.Runs).Should().OnlyContain(r => r > 0);
    }

    [Fact]
    public void A_censored_run_trains_no_label_but_its_rows_still_shape_the_columns()
    {
        fleet.Model.Spec.RunTraits.Should().HaveCount(36, "the 4 censored units have no remaining life to learn from");
        fleet.Model.Spec.Sensors.Single(s => s.Name == "Temperature").Min.Should().Be(fleet.Data.Seed["Temperature"].Numbers!.Min());
    }

    [Fact]
    public void A_checkpoint_refuses_to_generate_and_a_resume_needs_the_same_table()
    {
        RunTableSynthesizer? checkpoint = null;
        var data = RunTables.Fleet(12, seed: 8);
        var model = RunTableSynthesizer.Fit(data.Seed, data.Profile, new RunTableOptions { Tvae = new TvaeOptions { Epochs = 2, Seed = 1, Threads = 1, CheckpointEvery = 1 } },
            onCheckpoint: m => checkpoint ??= m);
        checkpoint.Should().NotBeNull();
        var plan = SplitPlanner.Plan(model.Skeletons, new SplitRequest { TrainRows = 100, ValRows = 0, TestRows = 0 });
        checkpoint!.Invoking(c => c.GenerateRuns(plan, 1)).Should().Throw<InvalidOperationException>().WithMessage("*checkpoint*resume*");
        var other = RunTables.Fleet(12, seed: 9);
        model.Invoking(m => m.Continue(other.Seed, 3)).Should().Throw<ArgumentException>().WithMessage("*not the seed table*");
        model.Continue(data.Seed, 3).Model.EpochsDone.Should().Be(3);
    }

    [Fact]
    public void A_column_without_a_role_or_a_text_sensor_is_refused_with_the_fix()
    {
        var data = RunTables.Fleet(6);
        var unmapped = data.Profile with { Import = data.Profile.Import! with { Context = [] } };
        FluentActions.Invoking(() => RunTableSchema.From(unmapped, data.Seed)).Should().Throw<ArgumentException>().WithMessage("*Setting*no role*");
        var text = data.Profile with { Import = data.Profile.Import! with { Sensors = ["Temperature", "Site"], Labels = ["Fault"] } };
        FluentActions.Invoking(() => RunTableSchema.From(text, data.Seed)).Should().Throw<ArgumentException>().WithMessage("*'Site' holds text*");
    }
}
