using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tests.Seeding;

public class SeedGeneratorTests
{
    [Fact]
    public void Columns_come_in_the_documented_order_with_sensors_in_profile_order()
    {
        var profile = SeedProfiles.Gearbox();
        var table = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(2));
        table.ColumnNames.Should().Equal(
            new[] { "run_id", "step", "timestamp", "operating_hours", "operating_mode", "load_fraction" }
                .Concat(profile.Sensors!.Select(s => s.Name!))
                .Concat(["health_index", "health_state", "failure_mode", "rul", "rul_capped"]));
        table["run_id"].IsInteger.Should().BeTrue();
        table["step"].IsInteger.Should().BeTrue();
        table["timestamp"].Kind.Should().Be(ColumnKind.DateTime);
        table["health_state"].Kind.Should().Be(ColumnKind.Categorical);
    }

    [Fact]
    public void Rul_falls_by_exactly_one_interval_per_step_and_ends_at_zero()
    {
        // 6-hour steps with RUL in days: 0.25 d per step.
        var table = new SeedGenerator(SeedProfiles.Gearbox()).Generate(SeedOptions.ForRuns(8, seed: 4));
        foreach (int[] rows in RunRows.Find(table))
        {
            int n = rows.Length;
            for (int k = 0; k < n; k++)
            {
                table["rul"].Numbers![rows[k]].Should().Be((n - 1 - k) * 0.25);
                table["rul_capped"].Numbers![rows[k]].Should().Be(Math.Min((n - 1 - k) * 0.25, 30));
                table["step"].Numbers![rows[k]].Should().Be(k);
                table["operating_hours"].Numbers![rows[k]].Should().Be(k * 6);
            }
        }
    }

    [Fact]
    public void Health_state_never_improves_and_goes_from_healthy_to_critical()
    {
        var table = new SeedGenerator(SeedProfiles.Sample("pump_ksb_etanorm_002")).Generate(SeedOptions.ForRuns(20, seed: 8));
        string[] order = ["healthy", "degrading", "warning", "critical"];
        foreach (int[] rows in RunRows.Find(table))
        {
            var ranks = rows.Select(r => Array.IndexOf(order, table["health_state"].Labels![r])).ToList();
            ranks.Should().BeInAscendingOrder();
            ranks[^1].Should().Be(3);
            rows.Select(r => table["health_index"].Numbers![r]).Should().BeInDescendingOrder();
        }
    }

    [Fact]
    public void Whole_runs_are_added_until_the_requested_rows_exist()
    {
        var table = new SeedGenerator(SeedProfiles.Sample("cnc_haas_vf2_004")).Generate(SeedOptions.ForRows(3_000));
        var runs = RunRows.Find(table);
        table.RowCount.Should().BeGreaterThanOrEqualTo(3_000);
        (table.RowCount - runs[^1].Length).Should().BeLessThan(3_000, "one run fewer would not have been enough");
        table["run_id"].Numbers!.Distinct().Should().Equal(Enumerable.Range(1, runs.Count).Select(i => (double)i));
    }

    [Fact]
    public void The_same_seed_gives_the_same_data_whatever_the_parallelism_and_batch_size()
    {
        var generator = new SeedGenerator(SeedProfiles.Sample("motor_siemens_1la7_001"));
        var a = generator.Generate(new SeedOptions { Rows = 5_000, Seed = 17, Parallelism = 1, BatchRows = 700 });
        var b = generator.Generate(new SeedOptions { Rows = 5_000, Seed = 17, Parallelism = 2, BatchRows = 65_536 });
        var c = generator.Generate(new SeedOptions { Rows = 5_000, Seed = 18 });

        a.RowCount.Should().Be(b.RowCount);
        foreach (var column in a.Columns)
        {
            if (column.Numbers is not null) column.Numbers.Should().Equal(b[column.Name].Numbers!, column.Name);
            else column.Labels.Should().Equal(b[column.Name].Labels!, column.Name);
        }
        c["winding_temp_c"].Numbers!.Take(100).Should().NotEqual(a["winding_temp_c"].Numbers!.Take(100));
    }

    [Fact]
    public void A_rul_cap_override_changes_only_the_capped_label()
    {
        var generator = new SeedGenerator(SeedProfiles.Sample("pump_ksb_etanorm_002"));
        var plain = generator.Generate(SeedOptions.ForRuns(3));
        var capped = generator.Generate(SeedOptions.ForRuns(3) with { RulCapOverride = 100 });
        capped["rul"].Numbers.Should().Equal(plain["rul"].Numbers!);
        capped["rul_capped"].Numbers!.Max().Should().Be(100);
        plain["rul_capped"].Numbers!.Max().Should().Be(4000);
    }
}
