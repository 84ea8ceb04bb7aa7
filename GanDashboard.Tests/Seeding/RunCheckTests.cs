using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tests.Seeding;

public class RunCheckTests
{
    public static TheoryData<string, int> SamplesAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (string id in SeedProfiles.SampleIds)
            foreach (int seed in new[] { 1, 2, 3 }) data.Add(id, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(SamplesAndSeeds))]
    public void Seed_data_of_every_sample_profile_passes_every_hard_check(string machineId, int seed)
    {
        var profile = SeedProfiles.Sample(machineId);
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(60, (ulong)seed));
        var report = RunChecker.Check(table, profile);

        report.Runs.Should().Be(60);
        report.Checks.Where(c => c.Hard && !c.Passed).Should().BeEmpty();
        report.Passed.Should().BeTrue();
        // Trends backed by few runs only warn, but they must still hold where runs exist.
        report.Checks.Where(c => c.Name.StartsWith("degradation_trend:", StringComparison.Ordinal) && !double.IsNaN(c.Value))
            .Should().OnlyContain(c => c.Value >= 0.8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Seed_data_of_a_machine_type_no_sample_covers_passes_every_hard_check(int seed)
    {
        var profile = SeedProfiles.Gearbox();
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(60, (ulong)seed));
        var report = RunChecker.Check(table, profile);

        report.Checks.Where(c => c.Hard && !c.Passed).Should().BeEmpty();
        report.Checks.Select(c => c.Name).Should().Contain(["degradation_trend:gear_tooth_crack", "degradation_trend:bearing_spall", "degradation_trend:oil_pump_wear"]);
        report.Checks.Where(c => c.Name.StartsWith("degradation_trend:", StringComparison.Ordinal)).Should().OnlyContain(c => c.Value >= 0.8);
        table["failure_mode"].Labels!.Distinct().Should().HaveCount(3);
    }

    [Fact]
    public void Checks_find_runs_whose_rows_are_shuffled_like_synthetic_output()
    {
        var profile = SeedProfiles.Sample("cnc_haas_vf2_004");
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(30));
        var shuffled = table.Take(Enumerable.Range(0, table.RowCount).OrderBy(i => (i * 7919) % 1009).ToArray());
        var report = RunChecker.Check(shuffled, profile);
        report.Runs.Should().Be(30);
        report.Checks.Where(c => c.Hard && !c.Passed).Should().BeEmpty();
    }

    [Fact]
    public void Labels_that_break_the_rules_fail_their_checks()
    {
        var profile = SeedProfiles.Sample("cnc_haas_vf2_004");
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(10));
        table["rul"].Numbers![3] += 0.5;
        table["timestamp"].Numbers![5] += 1;
        int critical = Array.IndexOf(table["health_state"].Labels!, "critical");
        table["health_state"].Labels![critical] = "healthy";
        table["spindle_power_kw"].Numbers![7] = 99;

        var report = RunChecker.Check(table, profile);
        report.Passed.Should().BeFalse();
        report.Find("rul_steps")!.Passed.Should().BeFalse();
        report.Find("rul_capped")!.Passed.Should().BeFalse("rul_capped no longer equals min(rul, cap) on the changed row");
        report.Find("timestamp_interval")!.Passed.Should().BeFalse();
        report.Find("health_state_monotone")!.Passed.Should().BeFalse();
        report.Find("within_range")!.Passed.Should().BeFalse();
        report.Find("rul_steps")!.Detail.Should().Contain("run 1");
    }

    [Fact]
    public void A_criterion_that_crosses_early_or_a_missing_column_is_caught()
    {
        var profile = SeedProfiles.Sample("pump_ksb_etanorm_002");
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(5));
        var firstRun = RunRows.Find(table)[0];
        string failure = table["failure_mode"].Labels![firstRun[0]]!;
        var physics = MachinePhysics.From(profile);
        var criterion = physics.Sensors[physics.FailureModes[physics.FailureModeIndex(failure)].CriterionSensor];
        table[criterion.Name].Numbers![firstRun[0]] = criterion.Critical!.Value + criterion.Sign * 10 * Math.Max(criterion.NoiseStd, 1);

        RunChecker.Check(table, profile).Find("criterion_crosses_only_at_end")!.Value.Should().BeApproximately(0.8, 1e-12);

        var missing = RunChecker.Check(table.Without(["rul"]), profile);
        missing.Passed.Should().BeFalse();
        missing.Find("required_columns")!.Detail.Should().Contain("rul");
    }

    [Fact]
    public void Statistics_over_fewer_than_fifty_runs_only_warn()
    {
        var profile = SeedProfiles.Sample("motor_siemens_1la7_001");
        var report = RunChecker.Check(new SeedGenerator(profile).Generate(SeedOptions.ForRuns(6)), profile);
        var backing = report.Find("runs_backing_statistics")!;
        backing.Passed.Should().BeFalse();
        backing.Hard.Should().BeFalse();
        report.Checks.Where(c => c.Name.StartsWith("degradation_trend:", StringComparison.Ordinal)).Should().OnlyContain(c => !c.Hard);
        report.Find("context_sensors_independent_of_rul")!.Hard.Should().BeFalse();
    }

    [Fact]
    public void A_context_sensor_that_follows_rul_fails_the_independence_check()
    {
        var profile = SeedProfiles.Gearbox();
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(60));
        var rul = table["rul"].Numbers!;
        var speed = table["input_speed_rpm"].Numbers!;
        for (int r = 0; r < rul.Length; r++) speed[r] = 1000 + Math.Min(rul[r], 400);
        var check = RunChecker.Check(table, profile).Find("context_sensors_independent_of_rul")!;
        check.Passed.Should().BeFalse();
        check.Hard.Should().BeTrue();
    }

    [Fact]
    public void Streaming_batches_gives_the_same_report_as_one_table()
    {
        var profile = SeedProfiles.Sample("cnc_haas_vf2_004");
        var generator = new SeedGenerator(profile);
        var options = new SeedOptions { Runs = 40, BatchRows = 500 };
        var accumulator = new RunCheckAccumulator(profile);
        int batches = 0;
        foreach (var batch in generator.GenerateBatches(options)) { accumulator.Add(batch.Table); batches++; }
        var streamed = accumulator.Finish();
        var whole = RunChecker.Check(generator.Generate(options), profile);

        batches.Should().BeGreaterThan(1);
        streamed.Checks.Select(c => (c.Name, c.Passed, Math.Round(c.Value, 9)))
            .Should().Equal(whole.Checks.Select(c => (c.Name, c.Passed, Math.Round(c.Value, 9))));
    }
}
