using System.Globalization;
using FluentAssertions;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using Xunit;

namespace GanDashboard.Tests.Import;

public sealed class TableImporterTests
{
    private static async Task<(ImportResult Result, Table Seed)> Import(string path, ImportOptions? options = null, string seedName = "seed.parquet")
    {
        string seed = Path.Combine(Path.GetDirectoryName(path)!, seedName);
        var result = await TableImporter.ImportAsync(path, options ?? new ImportOptions(), seed);
        return (result, await TableFile.ReadAsync(seed));
    }

    private static async Task<ImportException> Refused(string path, ImportOptions? options = null)
    {
        string seed = Path.Combine(Path.GetDirectoryName(path)!, "refused.parquet");
        var act = () => TableImporter.ImportAsync(path, options ?? new ImportOptions(), seed);
        var error = (await act.Should().ThrowAsync<ImportException>()).Which;
        File.Exists(seed).Should().BeFalse("nothing is stored when an import is refused");
        return error;
    }

    [Fact]
    public async Task Detects_runs_order_roles_and_writes_the_seed_table_with_labels()
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("pump fleet.csv"), ImportFixtures.Rows(), ImportFixtures.Header);
        var (result, seed) = await Import(path);

        var m = result.Mapping;
        m.RunIdColumn.Should().Be("Pump No");
        m.OrderColumn.Should().Be("hours");
        m.OrderKind.Should().Be("counter");
        m.Sensors.Should().Equal("Bearing Temp (°C)", "FlowRate", "noise");
        m.Context.Should().Equal("op_mode");
        m.Labels.Should().Equal("fault_type");
        m.FailureModeColumn.Should().Be("fault_type");
        m.Constants.Keys.Should().Equal("voltage");

        seed.ColumnNames.Should().Equal(["run_id", "step", .. ImportFixtures.Header, "rul", "rul_capped"]);
        seed.RowCount.Should().Be(Enumerable.Range(0, 6).Sum(r => 12 + 3 * r));
        var runId = seed["run_id"].Numbers!;
        var step = seed["step"].Numbers!;
        var rul = seed["rul"].Numbers!;
        runId[0].Should().Be(1);
        step[0].Should().Be(0);
        rul[0].Should().Be(11);
        rul[11].Should().Be(0, "the run's last row has RUL 0");
        runId[12].Should().Be(2);
        double cap = result.Preview.RulCap;
        cap.Should().Be(Math.Round(0.6 * 19.5), "60 % of the median run length (12, 15, ..., 27), rounded");
        seed["rul_capped"].Numbers!.Zip(rul).Should().OnlyContain(p => p.First == Math.Min(p.Second, cap));

        var profile = result.Profile;
        profile.MachineId.Should().Be("imported_pump_fleet");
        profile.MachineType.Should().Be("imported");
        profile.Sensors!.Select(s => s.Name).Should().Equal("bearing_temp_c", "flow_rate", "noise");
        profile.Sensors![0].DisplayName.Should().Be("Bearing Temp (°C)");
        profile.Sensors![0].Column.Should().Be("Bearing Temp (°C)");
        profile.Sensors![0].Range!.Min.Should().BeGreaterThanOrEqualTo(40);
        profile.FailureModes!.Select(f => f.Name).Should().BeEquivalentTo(["bearing wear", "seal leak"]);
        profile.Labels!.RulUnit.Should().Be("cycles");
        profile.Import!.Columns.Should().Equal(ImportFixtures.Header);
        EveryColumnHasOneRole(profile.Import!, seed);
        ProfileValidator.ValidateImported(profile).IsValid.Should().BeTrue();
    }

    private static void EveryColumnHasOneRole(ImportSpec spec, Table seed)
    {
        var roles = new List<string>();
        if (spec.RunIdColumn is { } r) roles.Add(r);
        if (spec.OrderColumn is { } o) roles.Add(o);
        if (spec.CensoredColumn is { } c) roles.Add(c);
        roles.AddRange(spec.Sensors!);
        roles.AddRange(spec.Context!);
        roles.AddRange(spec.Labels!);
        roles.AddRange(spec.Dropped!);
        roles.AddRange(spec.Constants!.Keys);
        roles.AddRange(ImportedColumns.Added);
        roles.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(seed.ColumnNames);
    }

    [Theory]
    [InlineData(";", "\r\n")]
    [InlineData("\t", "\n")]
    [InlineData("|", "\r\n")]
    public async Task Reads_other_separators_and_line_ends(string separator, string newline)
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("runs.txt"), ImportFixtures.Rows(runs: 3), ImportFixtures.Header, separator, newline);
        var (result, seed) = await Import(path);
        result.Mapping.RunIdColumn.Should().Be("Pump No");
        result.Mapping.Sensors.Should().HaveCount(3);
        seed["FlowRate"].Numbers![0].Should().BeInRange(1.4, 2.7);
        seed["fault_type"].Labels![0].Should().Be("bearing wear", "quotes and trailing CR are not part of values");
    }

    [Fact]
    public async Task Whitespace_aligned_files_without_a_header_get_numbered_columns()
    {
        using var folder = TestData.NewTempFolder();
        var rows = ImportFixtures.Rows(runs: 4).Select(r => new[] { r[0][2..], r[1], r[2], r[3], r[4] });
        string path = ImportFixtures.Write(folder.File("train_FD001.txt"), rows.Select(r => r.Select(v => v + "  ").ToArray()), null, " ");
        var (result, seed) = await Import(path);
        result.Mapping.RunIdColumn.Should().Be("column_1");
        result.Mapping.OrderColumn.Should().Be("column_2");
        result.Mapping.Sensors.Should().Equal("column_3", "column_4", "column_5");
        seed.ColumnNames.Should().StartWith(["run_id", "step", "column_1"]);
        result.Preview.Layout.Should().Contain("whitespace").And.Contain("no header");
    }

    [Fact]
    public async Task Timestamps_order_rows_and_give_the_sampling_interval()
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("historian_export.csv"), ImportFixtures.Rows(runs: 3, timestamps: true), ["asset", "timestamp", "temp", "flow", "noise", "volts", "mode", "failure"]);
        var (result, seed) = await Import(path);
        result.Mapping.OrderColumn.Should().Be("timestamp");
        result.Mapping.OrderKind.Should().Be("timestamp");
        result.Profile.Sampling!.IntervalS.Should().Be(600);
        result.Profile.Import!.OrderStep.Should().Be(600);
        result.Profile.Labels!.RulUnit.Should().Be("steps");
        seed["timestamp"].Kind.Should().Be(ColumnKind.DateTime);
    }

    [Fact]
    public async Task Runs_spread_through_the_file_and_unsorted_rows_are_regrouped_and_sorted()
    {
        using var folder = TestData.NewTempFolder();
        var rows = ImportFixtures.Rows(runs: 4);
        var shuffled = rows.OrderBy(_ => Random.Shared.Next()).ToList();
        string path = ImportFixtures.Write(folder.File("shuffled.csv"), shuffled, ["unit", "cycle", "t1", "t2", "t3", "v", "mode", "fault"]);
        var (result, seed) = await Import(path);
        result.Preview.Runs.Should().Be(4);
        var runs = seed["run_id"].Numbers!;
        var cycles = seed["cycle"].Numbers!;
        for (int i = 1; i < seed.RowCount; i++)
        {
            runs[i].Should().BeGreaterThanOrEqualTo(runs[i - 1], "rows are grouped by run");
            if (runs[i] == runs[i - 1]) cycles[i].Should().Be(cycles[i - 1] + 1, "rows are sorted by the order column within a run");
        }
        seed["unit"].Labels![0].Should().Be(shuffled[0][0], "runs are numbered by first appearance");
    }

    [Fact]
    public async Task Censored_runs_have_no_rul_and_do_not_set_the_cap()
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("with_suspensions.csv"), ImportFixtures.Rows(runs: 3, censoredColumn: true), [.. ImportFixtures.Header, "censored"]);
        var (result, seed) = await Import(path, new ImportOptions { RulCap = 10 });
        result.Mapping.CensoredColumn.Should().Be("censored");
        result.Preview.CensoredRuns.Should().Be(1);
        var last = Enumerable.Range(0, seed.RowCount).Where(i => seed["run_id"].Numbers![i] == 3).ToList();
        last.Should().OnlyContain(i => double.IsNaN(seed["rul"].Numbers![i]) && double.IsNaN(seed["rul_capped"].Numbers![i]));
        seed["rul_capped"].Numbers![0].Should().Be(10);
    }

    [Fact]
    public async Task A_counter_beside_the_time_column_is_proposed_for_dropping_not_taken_for_a_sensor()
    {
        using var folder = TestData.NewTempFolder();
        // A historian export with a cycle counter beside its timestamp: the counter restarts with every run.
        var counted = new List<string[]>();
        int count = 0;
        string? unit = null;
        foreach (var row in ImportFixtures.Rows(runs: 3, timestamps: true))
        {
            count = row[0] == unit ? count + 1 : 1;
            unit = row[0];
            counted.Add([.. row, count.ToString(CultureInfo.InvariantCulture)]);
        }
        string path = ImportFixtures.Write(folder.File("historian_export.csv"), counted, ["asset", "timestamp", "temp", "flow", "noise", "volts", "mode", "failure", "cycle_count"]);
        var (result, _) = await Import(path, new ImportOptions());
        result.Mapping.OrderColumn.Should().Be("timestamp");
        result.Mapping.Sensors.Should().NotContain("cycle_count");
        result.Mapping.Dropped.Should().ContainSingle(d => d.Column == "cycle_count").Which.Reason.Should().Contain("counts up within every run");
    }

    [Fact]
    public async Task User_choices_override_detection_and_clashing_names_are_renamed()
    {
        using var folder = TestData.NewTempFolder();
        var rows = ImportFixtures.Rows(runs: 3);
        string path = ImportFixtures.Write(folder.File("runs.csv"), rows, ["run_id", "step", "a", "b", "noise", "v", "mode", "fault"]);
        var (result, seed) = await Import(path, new ImportOptions { Drop = ["noise"], Labels = ["fault"], Context = ["b", "mode"], MachineId = "pump_fleet_site_001" });
        result.Mapping.Renamed.Should().Equal(new Dictionary<string, string> { ["run_id"] = "run_id_input", ["step"] = "step_input" });
        result.Mapping.RunIdColumn.Should().Be("run_id_input");
        result.Mapping.OrderColumn.Should().Be("step_input");
        result.Mapping.Dropped.Should().ContainSingle(d => d.Column == "noise");
        result.Mapping.Context.Should().Equal("b", "mode");
        result.Mapping.Labels.Should().Equal("fault");
        seed.ColumnNames.Should().StartWith(["run_id", "step", "run_id_input", "step_input"]);
        result.Profile.MachineId.Should().Be("pump_fleet_site_001");
    }

    [Fact]
    public async Task A_rul_column_equal_to_rows_to_end_is_taken_as_the_label_and_any_other_is_refused()
    {
        using var folder = TestData.NewTempFolder();
        var rows = ImportFixtures.Rows(runs: 2);
        var withRul = rows.GroupBy(r => r[0]).SelectMany(g => g.Select((r, i) => (string[])[.. r, (g.Count() - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture)])).ToList();
        string good = ImportFixtures.Write(folder.File("good.csv"), withRul, [.. ImportFixtures.Header, "rul"]);
        var (result, seed) = await Import(good);
        result.Mapping.RulFromFile.Should().BeTrue();
        seed.ColumnNames.Count(c => c == "rul").Should().Be(1);

        var wrong = withRul.Select(r => (string[])[.. r[..^1], "5"]).ToList();
        string bad = ImportFixtures.Write(folder.File("bad.csv"), wrong, [.. ImportFixtures.Header, "rul"]);
        var error = await Refused(bad);
        error.Problems.Should().OnlyContain(p => p.Column == "rul" && p.Fix.Contains("--drop rul"));
    }

    [Fact]
    public async Task Missing_values_are_counted_per_column_then_dropped_or_interpolated_on_request()
    {
        using var folder = TestData.NewTempFolder();
        var rows = ImportFixtures.Rows(runs: 2);
        rows[3][2] = "";
        rows[5][2] = "NaN";
        rows[7][3] = "inf";
        string path = ImportFixtures.Write(folder.File("gaps.csv"), rows, ImportFixtures.Header);
        var error = await Refused(path);
        error.Problems.Select(p => p.Column).Should().BeEquivalentTo(["Bearing Temp (°C)", "FlowRate"]);
        error.Problems[0].Message.Should().Contain("1 empty, 1 NaN");
        error.Problems[0].Fix.Should().Contain("--missing drop").And.Contain("interpolate");

        var (dropped, droppedSeed) = await Import(path, new ImportOptions { Missing = MissingValues.Drop });
        dropped.Preview.DroppedRows.Should().Be(3);
        droppedSeed.RowCount.Should().Be(rows.Count - 3);

        var (_, filled) = await Import(path, new ImportOptions { Missing = MissingValues.Interpolate });
        filled.RowCount.Should().Be(rows.Count);
        var temp = filled["Bearing Temp (°C)"].Numbers!;
        temp[3].Should().BeApproximately((temp[2] + temp[4]) / 2, 1e-9);
        filled["FlowRate"].Numbers!.Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public async Task Bad_files_are_refused_with_the_column_or_line_and_the_fix()
    {
        using var folder = TestData.NewTempFolder();
        var header = ImportFixtures.Header;

        File.WriteAllText(folder.File("empty.csv"), "");
        (await Refused(folder.File("empty.csv"))).Message.Should().Contain("empty");

        File.WriteAllBytes(folder.File("binary.csv"), [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01, 0x02]);
        var binary = async () => await TableImporter.ImportAsync(folder.File("binary.csv"), new ImportOptions(), folder.File("x.parquet"));
        (await binary.Should().ThrowAsync<InvalidDataException>()).WithMessage("*binary*");

        var noRuns = Enumerable.Range(0, 30).Select(i => new[] { (0.5 * i).ToString(System.Globalization.CultureInfo.InvariantCulture), (i % 7 * 1.3).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var norun = await Refused(ImportFixtures.Write(folder.File("norun.csv"), noRuns, ["temp", "flow"]));
        norun.Problems[0].Fix.Should().Contain("--run-id");

        var oneRow = ImportFixtures.Rows(runs: 2).Append(["P-999", "1", "40", "2", "1", "230", "eco", "seal leak"]);
        var single = await Refused(ImportFixtures.Write(folder.File("onerow.csv"), oneRow, header), new ImportOptions { RunId = "Pump No" });
        single.Problems.Should().ContainSingle().Which.Message.Should().Contain("'P-999' has one row");

        var text = ImportFixtures.Rows(runs: 3);
        text[4][3] = "broken";
        var textError = await Refused(ImportFixtures.Write(folder.File("text.csv"), text, header));
        textError.Problems.Should().ContainSingle().Which.Should().Match<ImportProblem>(p => p.Column == "FlowRate" && p.Line == 6 && p.Fix.Contains("--drop FlowRate"));

        var dup = ImportFixtures.Rows(runs: 2);
        dup[2][1] = "2";
        var dupError = await Refused(ImportFixtures.Write(folder.File("dup.csv"), dup, header), new ImportOptions { Order = "hours" });
        dupError.Problems.Should().ContainSingle().Which.Message.Should().Contain("two rows at hours = 2").And.Contain("lines 3 and 4");

        var wide = Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 501).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        (await Refused(ImportFixtures.Write(folder.File("wide.csv"), wide, Enumerable.Range(0, 501).Select(c => $"c{c}").ToArray()))).Message.Should().Contain("501 columns");

        var comma = ImportFixtures.Rows(runs: 2).Select(r => r.Select(v => v.Replace('.', ',')).ToArray());
        var commaError = await Refused(ImportFixtures.Write(folder.File("comma.csv"), comma, header, ";"));
        commaError.Problems.Should().Contain(p => p.Column == "FlowRate" && p.Message.Contains("decimal comma"));

        string big = ImportFixtures.Write(folder.File("big.csv"), ImportFixtures.Rows(), header);
        (await Refused(big, new ImportOptions { MaxBytes = 1000 })).Problems[0].Fix.Should().Contain("MaxBytes");

        (await Refused(big, new ImportOptions { Context = ["nope"] })).Problems[0].Message.Should().Contain("'nope' (--context) is not in the file");
    }

    [Fact]
    public async Task Csv_output_and_parquet_input_work_too()
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("runs.csv"), ImportFixtures.Rows(runs: 3), ImportFixtures.Header);
        var (_, csvSeed) = await Import(path, seedName: "seed.csv");
        csvSeed.ColumnNames.Should().StartWith(["run_id", "step"]);

        string parquet = folder.File("runs.parquet");
        await TableFile.WriteAsync(Csv.Read(path), parquet);
        var (fromParquet, seed) = await Import(parquet, seedName: "again.parquet");
        fromParquet.Mapping.RunIdColumn.Should().Be("Pump No");
        seed.RowCount.Should().Be(csvSeed.RowCount);
    }
}
