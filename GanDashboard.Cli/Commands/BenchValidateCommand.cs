using System.Diagnostics;
using System.Globalization;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Tables;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench validate [--real FILE --synthetic FILE] [--real-rows 10000] [--synthetic-rows 50000] [--json]</c>: times the
/// full quality report without and with the usefulness regressors. Without files, both tables are simulated run
/// tables (17 columns), the synthetic one drawn with another seed and perturbed.
/// Targets on the 2-core reference machine: under 5 s without usefulness, under 20 s with it.
/// </summary>
public static class BenchValidateCommand
{
    private const double TargetWithoutUsefulnessSeconds = 5;
    private const double TargetWithUsefulnessSeconds = 20;

    public static async Task<int> RunAsync(CommandArgs args)
    {
        Table real, synthetic;
        if (args.Get("real") is { } realPath)
        {
            real = await TableFile.ReadAsync(realPath);
            synthetic = await TableFile.ReadAsync(args.Require("synthetic"));
        }
        else
        {
            real = BenchRunTables.Generate(args.GetInt("real-rows", 10_000), seed: 1, perturbation: 0);
            synthetic = BenchRunTables.Generate(args.GetInt("synthetic-rows", 50_000), seed: 2, perturbation: 0.05);
        }

        var timings = new List<(string Case, double Seconds, double Target, QualityReport Report)>();
        foreach (bool usefulness in new[] { false, true })
        {
            var clock = Stopwatch.StartNew();
            var report = QualityEvaluator.Evaluate(real, synthetic, new QualityOptions { IncludeUsefulness = usefulness });
            timings.Add((usefulness ? "with usefulness" : "without usefulness", clock.Elapsed.TotalSeconds,
                usefulness ? TargetWithUsefulnessSeconds : TargetWithoutUsefulnessSeconds, report));
        }

        bool met = timings.All(t => t.Seconds < t.Target);
        if (args.Has("json"))
        {
            var result = new
            {
                real_rows = real.RowCount,
                synthetic_rows = synthetic.RowCount,
                columns = real.Columns.Count,
                cores = Environment.ProcessorCount,
                cases = timings.Select(t => new { name = t.Case, seconds = Math.Round(t.Seconds, 3), target_seconds = t.Target, sections = t.Report.Timings }),
                targets_met = met,
            };
            args.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, QualityJson.Options));
        }
        else
        {
            args.Output.WriteLine($"Quality report of {synthetic.RowCount} synthetic rows against {real.RowCount} real rows, {real.Columns.Count} columns, {Environment.ProcessorCount} cores");
            foreach (var (name, seconds, target, report) in timings)
            {
                string sections = string.Join(", ", report.Timings.Where(kv => kv.Key != "total").Select(kv => $"{kv.Key} {kv.Value.ToString("0.00", CultureInfo.InvariantCulture)} s"));
                args.Output.WriteLine($"  {name,-20} {seconds,6:0.00} s (target < {target} s{(seconds < target ? "" : ", MISSED")})   {sections}");
            }
            var full = timings[^1].Report;
            args.Output.WriteLine($"  overall {full.Overall:0.000}, column shapes {full.ColumnShapes:0.000}, column pair trends {full.ColumnPairTrends:0.000}, report {(full.Passed ? "passes its gates" : "fails " + string.Join(", ", full.Sections.Where(x => !x.Passed).Select(x => $"{x.Name} ({x.Summary})")))}");
        }
        return met ? ExitCodes.Ok : ExitCodes.Invalid;
    }
}

/// <summary>
/// Small run-to-failure tables with the seed generator's columns, for benchmarks and tests: three failure modes
/// that each drive one sensor, a Markov chain of operating modes, noisy sensors, RUL labels.
/// </summary>
internal static class BenchRunTables
{
    private static readonly (string Name, double Load)[] Modes = [("idle", 0.3), ("normal", 0.7), ("heavy", 1.0)];
    private static readonly (string Name, int MinSteps, int MaxSteps)[] FailureModes = [("bearing_wear", 150, 300), ("overheating", 100, 200), ("seal_leak", 200, 350)];
    private const double RulCap = 125;

    /// <summary>Whole runs until at least <paramref name="rows"/> rows; <paramref name="perturbation"/> scales extra noise and drift.</summary>
    public static Table Generate(int rows, int seed, double perturbation)
    {
        var random = new Random(seed);
        var runId = new List<double>(); var step = new List<double>(); var time = new List<double>(); var hours = new List<double>();
        var mode = new List<string?>(); var load = new List<double>(); var ambient = new List<double>(); var temperature = new List<double>();
        var vibration = new List<double>(); var current = new List<double>(); var pressure = new List<double>(); var rpm = new List<double>();
        var healthIndex = new List<double>(); var healthState = new List<string?>(); var failure = new List<string?>();
        var rul = new List<double>(); var rulCapped = new List<double>();
        double Noise(double std) => std * (1 + perturbation) * Gaussian(random);
        for (int run = 0; runId.Count < rows; run++)
        {
            var (failureName, minSteps, maxSteps) = FailureModes[random.Next(FailureModes.Length)];
            int length = random.Next(minSteps, maxSteps + 1);
            int m = random.Next(Modes.Length);
            double air = 22 + Noise(2), onset = 0.35 + 0.2 * random.NextDouble();
            string state = "healthy";
            for (int i = 0; i < length; i++)
            {
                if (random.NextDouble() < 1.0 / 8) m = random.Next(Modes.Length);
                air += 0.1 * (22 - air) + Noise(0.4);
                double life = (double)i / (length - 1);
                double damage = Math.Pow(Math.Max(0, (life - onset) / (1 - onset)), 2) * (1 + perturbation);
                double l = Modes[m].Load;
                runId.Add(run); step.Add(i); time.Add(1_700_000_000 + 3600.0 * (runId.Count)); hours.Add(i);
                mode.Add(Modes[m].Name); load.Add(l); ambient.Add(Math.Round(air, 2));
                temperature.Add(Math.Round(40 + 30 * l + 0.5 * (air - 22) + (failureName == "overheating" ? 45 * damage : 0) + Noise(1), 2));
                vibration.Add(Math.Round(1 + 0.6 * l + (failureName == "bearing_wear" ? 5 * damage : 0) + Noise(0.1), 3));
                current.Add(Math.Round(5 + 10 * l + (failureName == "overheating" ? 2 * damage : 0) + Noise(0.3), 3));
                pressure.Add(Math.Round(6 + 0.3 * l - (failureName == "seal_leak" ? 2.5 * damage : 0) + Noise(0.05), 3));
                rpm.Add(Math.Round(1000 + 500 * l + Noise(5), 1));
                healthIndex.Add(Math.Round(1 - Math.Min(damage, 1), 4));
                if (state == "healthy" && damage > 0) state = "degrading";
                if (damage > 0.6) state = "warning";
                healthState.Add(i == length - 1 ? "critical" : state);
                failure.Add(failureName);
                rul.Add(length - 1 - i); rulCapped.Add(Math.Min(length - 1 - i, RulCap));
            }
        }
        return new Table([
            Column.Numeric("run_id", [.. runId], isInteger: true), Column.Numeric("step", [.. step], isInteger: true),
            Column.DateTime("timestamp", [.. time]), Column.Numeric("operating_hours", [.. hours], isInteger: true),
            Column.Categorical("operating_mode", [.. mode]), Column.Numeric("load_fraction", [.. load]),
            Column.Numeric("ambient_temp_c", [.. ambient]), Column.Numeric("temperature_c", [.. temperature]),
            Column.Numeric("vibration_mm_s", [.. vibration]), Column.Numeric("current_a", [.. current]),
            Column.Numeric("pressure_bar", [.. pressure]), Column.Numeric("speed_rpm", [.. rpm]),
            Column.Numeric("health_index", [.. healthIndex]), Column.Categorical("health_state", [.. healthState]),
            Column.Categorical("failure_mode", [.. failure]), Column.Numeric("rul", [.. rul], isInteger: true),
            Column.Numeric("rul_capped", [.. rulCapped], isInteger: true),
        ]);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
