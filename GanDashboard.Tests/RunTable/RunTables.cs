using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Randomness;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tests.RunTable;

/// <summary>
/// Small imported tables of runs, made here rather than taken from the sample data: units of two hidden faults that
/// push a sensor opposite ways, a unit-to-unit offset, a quantised sensor, a context setting in three regimes, a
/// label column, a constant column, an identifier-like run column and an order column counting cycles from 1.
/// </summary>
internal static class RunTables
{
    public sealed record Imported(Table Seed, MachineProfile Profile);

    public static Imported Fleet(int units, ulong seed = 3, bool withLabels = true, int censored = 0)
    {
        var random = new Xoshiro256StarStar(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var runId = new List<double>(); var step = new List<double>(); var unit = new List<double>(); var cycle = new List<double>();
        var temperature = new List<double>(); var pressure = new List<double>(); var level = new List<double>(); var setting = new List<double>();
        var fault = new List<string?>(); var site = new List<string?>(); var rul = new List<double>(); var capped = new List<double>(); var stopped = new List<string?>();
        const double cap = 60;
        for (int u = 0; u < units; u++)
        {
            int length = 80 + (int)(random.NextDouble() * 80);
            bool isFan = u % 2 == 1, isCensored = u < censored;
            double offset = 0.5 * Normal(), walk = 0;
            int regime = (int)(random.NextDouble() * 3);
            for (int i = 0; i < length; i++)
            {
                double remaining = length - 1 - i, wear = Math.Exp(-remaining / 25.0);
                if (random.NextDouble() < 0.1) regime = (int)(random.NextDouble() * 3);
                walk = 0.9 * walk + 0.1 * Normal();
                runId.Add(u + 1); step.Add(i); unit.Add(1001 + u); cycle.Add(i + 1);
                setting.Add(new[] { 10.0, 20.0, 35.0 }[regime] + 0.05 * Normal());
                temperature.Add(500 + 2 * regime + offset + 8 * wear + walk + 0.3 * Normal());
                pressure.Add(30 + (isFan ? 3 : -3) * wear + 0.2 * offset + 0.1 * Normal());
                level.Add(Math.Round(1.30 + 0.02 * wear + 0.004 * Normal(), 2));
                fault.Add(isFan ? "fan" : "compressor");
                site.Add(u % 3 == 0 ? "north" : "south");
                rul.Add(isCensored ? double.NaN : remaining);
                capped.Add(isCensored ? double.NaN : Math.Min(remaining, cap));
                stopped.Add(isCensored ? "yes" : "no");
            }
        }
        int rows = runId.Count;
        var columns = new List<Column>
        {
            Column.Numeric(ImportedColumns.RunId, [.. runId], isInteger: true),
            Column.Numeric(ImportedColumns.Step, [.. step], isInteger: true),
            Column.Numeric("Unit", [.. unit], isInteger: true),
            Column.Numeric("Cycle", [.. cycle], isInteger: true),
            Column.Numeric("Setting", [.. setting]),
            Column.Numeric("Temperature", [.. temperature]),
            Column.Numeric("Pressure", [.. pressure]),
            Column.Numeric("Level", [.. level]),
            Column.Numeric("Model", Enumerable.Repeat(7.0, rows).ToArray(), isInteger: true),
            Column.Categorical("Site", [.. site]),
        };
        if (withLabels) columns.Add(Column.Categorical("Fault", [.. fault]));
        if (censored > 0) columns.Add(Column.Categorical("Stopped", [.. stopped]));
        columns.Add(Column.Numeric(ImportedColumns.Rul, [.. rul], isInteger: true));
        columns.Add(Column.Numeric(ImportedColumns.RulCapped, [.. capped]));
        var table = new Table(columns);

        List<string> sensors = ["Temperature", "Pressure", "Level"];
        var profile = new MachineProfile
        {
            SchemaVersion = "1.0",
            MachineId = "test_fleet",
            MachineType = "imported",
            Sampling = new SamplingSpec { IntervalS = 1 },
            Sensors = sensors.Select(c => new SensorSpec
            {
                Name = c.ToLowerInvariant(), DisplayName = c, Column = c,
                Range = new ValueRange { Min = table[c].Numbers!.Min(), Max = table[c].Numbers!.Max() },
            }).ToList(),
            FailureModes = withLabels
                ? [new FailureMode { Id = "compressor", Name = "compressor" }, new FailureMode { Id = "fan", Name = "fan" }]
                : [new FailureMode { Id = "unknown", Name = "unknown" }],
            Labels = new LabelSpec { RulUnit = "cycles", RulCap = cap },
            Import = new ImportSpec
            {
                SourceFile = "fleet.csv",
                Columns = columns.Select(c => c.Name).Where(c => !ImportedColumns.Added.Contains(c)).ToList(),
                RunIdColumn = "Unit", OrderColumn = "Cycle", OrderKind = "counter", OrderStep = 1, OrderStart = 1,
                Sensors = sensors,
                Context = ["Setting"],
                Labels = withLabels ? ["Site", "Fault"] : ["Site"],
                FailureModeColumn = withLabels ? "Fault" : null,
                Dropped = [],
                Constants = new Dictionary<string, JsonElement> { ["Model"] = JsonSerializer.SerializeToElement(7) },
                CensoredColumn = censored > 0 ? "Stopped" : null,
            },
        };
        return new Imported(table, profile);
    }
}
