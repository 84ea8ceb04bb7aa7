using System.Text.Json;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Quality.Temporal;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

public class QualityReportTests
{
    private static readonly QualityOptions Fast = new() { RegressorTrees = 40, DcrSampleRows = 500 };

    private static Table Fixture(string name, string side) => Csv.Read(TestData.Path("sdmetrics", $"{name}.{side}.csv"));

    [Fact]
    public void Close_synthetic_data_passes_every_gate_and_skips_what_it_cannot_measure()
    {
        var (train, unseen) = RunIndex.HoldOut(Fixture("mixed-close", "real"), 0.2, 1);
        var report = QualityEvaluator.Evaluate(train, Fixture("mixed-close", "synthetic"), Fast, unseen);

        report.Passed.Should().BeTrue(string.Join("; ", report.Sections.Select(s => $"{s.Name}: {s.Summary}")));
        report.Verdict.Should().Be(ReportVerdict.Passed);
        report.Sections.Single(s => s.Name == "memorisation").Runs.Should().Be(400, "a table without runs counts unseen rows");
        report.Sections.Select(s => s.Name).Should().Equal("fidelity", "validity", "temporal", "usefulness", "memorisation");
        report.Sections.Single(s => s.Name == "temporal").Status.Should().Be(SectionStatus.Skipped);
        report.Sections.Single(s => s.Name == "usefulness").Status.Should().Be(SectionStatus.Skipped);
        report.Overall.Should().BeApproximately(0.9688, 0.005);
    }

    [Fact]
    public void Too_few_unseen_runs_leave_usefulness_and_memorisation_not_judged_and_the_report_cannot_pass()
    {
        var real = Fixture("mixed-close", "real");
        var unseen = real.Take(Enumerable.Range(0, 20).ToArray());
        var report = QualityEvaluator.Evaluate(real, Fixture("mixed-close", "synthetic"), Fast, unseen);

        var memorisation = report.Sections.Single(s => s.Name == "memorisation");
        memorisation.Status.Should().Be(SectionStatus.NotJudged);
        memorisation.Summary.Should().Contain("not enough runs to judge").And.Contain("20 unseen rows, at least 30");
        report.Verdict.Should().Be(ReportVerdict.NotJudged);
        report.Passed.Should().BeFalse();
    }

    [Fact]
    public void A_stricter_gate_fails_the_section_it_governs()
    {
        var options = Fast with { Gates = new QualityGates { ColumnShapesMin = 0.95 } };
        var report = QualityEvaluator.Evaluate(Fixture("mixed-shifted", "real"), Fixture("mixed-shifted", "synthetic"), options);

        report.Passed.Should().BeFalse();
        report.Sections.Where(s => s.Status == SectionStatus.Failed).Select(s => s.Name).Should().Contain("fidelity");
    }

    [Fact]
    public void Copied_real_rows_are_counted_as_exact_matches_and_fail_memorisation()
    {
        var real = Fixture("mixed-close", "real");
        var synthetic = Fixture("mixed-close", "synthetic");
        var copied = Table.Concat([synthetic, real.Take([3, 10, 42])]);

        var report = QualityEvaluator.Evaluate(real, copied, Fast);

        report.Memorisation!.ExactMatches.Should().Be(3);
        report.Sections.Single(s => s.Name == "memorisation").Status.Should().Be(SectionStatus.Failed);
        MemorisationEvaluator.CountExactMatches(real, synthetic).Should().Be(0);
    }

    [Fact]
    public void The_report_serialises_to_snake_case_json_with_scores_and_one_object_per_section()
    {
        var report = QualityEvaluator.Evaluate(Fixture("edge-cases", "real"), Fixture("edge-cases", "synthetic"), Fast)
            .WithSection(new SectionVerdict("physics", SectionStatus.Passed, 1, "every check passes", "12 of 12 checks pass"), new { checks = 12 });

        var json = JsonDocument.Parse(QualityJson.Serialize(report)).RootElement;

        json.GetProperty("overall").GetDouble().Should().BeApproximately(0.9085, 0.005);
        json.GetProperty("column_shapes").GetDouble().Should().BeApproximately(0.8809, 0.005);
        json.GetProperty("column_pair_trends").GetDouble().Should().BeApproximately(0.9360, 0.005);
        json.GetProperty("fidelity").GetProperty("columns")[1].GetProperty("column").GetString().Should().Be("with_nulls");
        var pair = json.GetProperty("fidelity").GetProperty("pairs")[0];
        pair.GetProperty("column1").GetString().Should().Be("const");
        pair.GetProperty("error").GetString().Should().StartWith("ConstantInputError");
        json.GetProperty("diagnostic").GetProperty("columns").GetArrayLength().Should().Be(6);
        json.GetProperty("memorisation").GetProperty("exact_match_share").GetDouble().Should().Be(0);
        json.GetProperty("temporal").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("sections")[5].GetProperty("status").GetString().Should().Be("passed");
        json.GetProperty("additional_sections").GetProperty("physics").GetProperty("checks").GetInt32().Should().Be(12);
    }

    [Fact]
    public void Holding_out_real_data_never_splits_a_run()
    {
        var table = BenchRunTables.Generate(3000, seed: 3, perturbation: 0);
        var (train, holdout) = RunIndex.HoldOut(table, 0.2, seed: 42);

        var trainRuns = train["run_id"].Numbers!.ToHashSet();
        var holdoutRuns = holdout["run_id"].Numbers!.ToHashSet();
        trainRuns.Overlaps(holdoutRuns).Should().BeFalse();
        (train.RowCount + holdout.RowCount).Should().Be(table.RowCount);
        holdoutRuns.Count.Should().Be((int)Math.Round((trainRuns.Count + holdoutRuns.Count) * 0.2));
    }
}

public class TemporalAndUsefulnessTests
{
    private static readonly QualityOptions Fast = new() { RegressorTrees = 40, DcrSampleRows = 300, MinimumRuns = 5 };

    [Fact]
    public void Runs_drawn_from_the_same_process_score_high_on_temporal_fidelity()
    {
        var real = BenchRunTables.Generate(4000, seed: 1, perturbation: 0);
        var synthetic = BenchRunTables.Generate(4000, seed: 2, perturbation: 0);

        var temporal = TemporalEvaluator.Evaluate(real, synthetic, profile: null, minimumRuns: 5)!;

        temporal.RunLengths.Select(r => r.FailureMode).Should().BeEquivalentTo(["bearing_wear", "overheating", "seal_leak"]);
        temporal.Score.Should().BeGreaterThan(0.75);
        temporal.MaxAutocorrelationGap.Should().BeLessThan(0.1);
        temporal.WarningToFailure!.WarningFrom.Should().Be("health_state");
        temporal.DwellTimes.Should().HaveCount(3);
    }

    [Fact]
    public void Shuffling_rows_destroys_within_run_autocorrelation_and_the_gap_shows_it()
    {
        var real = BenchRunTables.Generate(3000, seed: 1, perturbation: 0);
        var shuffle = new Random(7);
        var order = Enumerable.Range(0, real.RowCount).OrderBy(_ => shuffle.Next()).ToArray();
        var shuffledSensors = real.Take(order);
        var synthetic = new Table(real.Columns.Select(c => c.Name is "ambient_temp_c" ? shuffledSensors[c.Name] : c));

        var temporal = TemporalEvaluator.Evaluate(real, synthetic, null, 5)!;

        var ambient = temporal.Autocorrelation.Single(a => a.Sensor == "ambient_temp_c");
        ambient.Real.Should().BeGreaterThan(0.5, "the ambient temperature is a slow random walk");
        ambient.Gap.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Dwell_spells_are_the_lengths_of_unbroken_operating_mode_stretches_within_runs()
    {
        var table = new Table([
            Column.Numeric("run_id", [1, 1, 1, 1, 2, 2], isInteger: true),
            Column.Numeric("step", [0, 1, 2, 3, 1, 0], isInteger: true),
            Column.Categorical("operating_mode", ["a", "a", "b", "a", "b", "a"]),
        ]);

        var spells = TemporalEvaluator.SpellsByMode(table, RunIndex.Of(table)!);

        spells["a"].Should().Equal(2, 1, 1);
        spells["b"].Should().Equal(1, 1);
    }

    [Fact]
    public void A_regressor_trained_on_faithful_synthetic_runs_predicts_real_rul_about_as_well_as_one_trained_on_real_runs()
    {
        var real = BenchRunTables.Generate(4000, seed: 1, perturbation: 0);
        var synthetic = BenchRunTables.Generate(4000, seed: 2, perturbation: 0);

        var report = QualityEvaluator.Evaluate(real, synthetic, Fast);

        var u = report.Usefulness!;
        u.Features.Should().Contain(["vibration_mm_s", "load_fraction", "operating_mode=heavy"]);
        u.Features.Should().NotContain(f => f.StartsWith("rul") || f == "step" || f == "health_index" || f == "operating_hours");
        double spread = StandardDeviation(real["rul_capped"].Numbers!);
        u.Trtr.Rmse.Should().BeLessThan(0.8 * spread, "the degradation signal predicts RUL");
        u.RmseRatio.Should().BeLessThan(1.3);
    }

    [Fact]
    public void A_rul_cap_longer_than_125_steps_counts_phm_errors_in_125ths_of_the_cap()
    {
        var real = BenchRunTables.Generate(4000, seed: 1, perturbation: 0);
        var synthetic = BenchRunTables.Generate(4000, seed: 2, perturbation: 0);
        var unseen = BenchRunTables.Generate(4000, seed: 3, perturbation: 0);
        // The same runs, capped (in the profile) at their own 125 steps and at 1,000: no label or prediction moves past
        // 125, so only the unit of d differs.
        Core.Quality.Usefulness.UsefulnessResult With(double cap) => Core.Quality.Usefulness.UsefulnessEvaluator.Evaluate(real, unseen, synthetic,
            new Core.Profiles.MachineProfile { Labels = new Core.Profiles.LabelSpec { RulCap = cap } }, Fast).Result!;

        var steps = With(125);
        var eighths = With(1000);

        steps.ErrorUnitSteps.Should().Be(1);
        eighths.ErrorUnitSteps.Should().Be(8);
        eighths.Tstr.NasaScorePerRow.Should().BeLessThan(steps.Tstr.NasaScorePerRow / 2, "errors an eighth as large cost far less");
        QualityEvaluator.UsefulnessVerdict(eighths, new QualityGates()).Summary.Should().Contain("d in units of 8 steps");
    }

    [Fact]
    public void Synthetic_runs_whose_labels_carry_no_signal_fail_usefulness()
    {
        var real = BenchRunTables.Generate(4000, seed: 1, perturbation: 0);
        var synthetic = BenchRunTables.Generate(4000, seed: 2, perturbation: 0);
        var shuffle = new Random(7);
        var labels = synthetic["rul_capped"].Numbers!.OrderBy(_ => shuffle.Next()).ToArray();
        var noSignal = new Table(synthetic.Columns.Select(c => c.Name == "rul_capped" ? Column.Numeric("rul_capped", labels, isInteger: true) : c));

        var unseen = BenchRunTables.Generate(10_000, seed: 3, perturbation: 0);
        var report = QualityEvaluator.Evaluate(real, noSignal, Fast, unseen);

        report.Usefulness!.RmseRatio.Should().BeGreaterThan(1.2);
        report.Usefulness.RmseRatioInterval!.Low.Should().BeGreaterThan(1, "every resample of unseen runs shows the loss");
        report.Sections.Single(s => s.Name == "usefulness").Status.Should().Be(SectionStatus.Failed);
    }

    [Fact]
    public void The_nasa_score_punishes_late_predictions_more_than_early_ones()
    {
        Core.Quality.Usefulness.UsefulnessEvaluator.NasaScore(10).Should().BeApproximately(Math.E - 1, 1e-12);
        Core.Quality.Usefulness.UsefulnessEvaluator.NasaScore(-13).Should().BeApproximately(Math.E - 1, 1e-12);
        Core.Quality.Usefulness.UsefulnessEvaluator.NasaScore(5).Should().BeGreaterThan(Core.Quality.Usefulness.UsefulnessEvaluator.NasaScore(-5));
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
