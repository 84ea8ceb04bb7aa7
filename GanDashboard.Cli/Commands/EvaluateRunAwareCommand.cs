using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Sampling;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>evaluate run-aware --profile FILE [--rows 10000] [--min-runs 30] [--epochs 300] [--seed 1] [--threads 2] [--json]</c>:
/// the run-aware targets end to end. Makes seed data (seed 42; at least --min-runs runs) and unseen holdout runs (seed
/// 4242; at least 50) from the profile, fits
/// the run-aware TVAE and, on the same seed rows without identifiers, the plain TVAE; generates as many rows as the
/// seed has from each, and reports the targets (labels, lag-1 gaps, criterion trend, overall quality against the
/// plain TVAE's, TSTR/TRTR on the holdout).
/// </summary>
public static class EvaluateRunAwareCommand
{
    private static readonly string[] Identifiers = ["run_id", "step", "timestamp"];

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var profile = SeedCommand.LoadProfile(args.Require("profile")).Profile;
        int rows = args.GetInt("rows", 10_000);
        var tvae = TrainRunAwareCommand.TvaeOptionsFrom(args);
        bool json = args.Has("json");
        int minRuns = args.GetInt("min-runs", DefaultMinRuns);
        var generator = new SeedGenerator(profile);
        var seed = AtLeastRuns(generator, rows, minRuns, 42);
        // Unseen runs: the quality report judges usefulness and memorisation only on at least 30 (the issue's default is 50).
        var holdout = AtLeastRuns(generator, Math.Max(2000, rows / 4), Math.Max(UnseenRuns.Default, minRuns / 2), 4242);
        rows = seed.RowCount;

        var clock = Stopwatch.StartNew();
        var model = RunAwareSynthesizer.Fit(seed, profile, new RunAwareOptions { Tvae = tvae });
        double runAwareFit = clock.Elapsed.TotalSeconds;
        string modelPath = Path.Combine(Path.GetTempPath(), $"gandashboard-eval-{Guid.NewGuid():N}.gdm");
        await RunAwareModelFile.SaveAsync(model, modelPath);
        File.Delete(modelPath);
        var plan = SplitPlanner.Plan(model.Spec.Skeletons, new SplitRequest { TrainRows = rows, ValRows = 0, TestRows = 0, Seed = 7 });
        var synthetic = model.GenerateRuns(plan, 7);
        var targets = RunAwareTargets.Measure(seed, synthetic, profile, holdout);

        if (args.Has("diagnose"))
        {
            Diagnose(args.Output, model, seed, synthetic);
            DiagnoseTrends(args.Output, MachinePhysics.From(profile), seed, synthetic);
            DiagnoseEnds(args.Output, MachinePhysics.From(profile), seed, synthetic);
            // The same measure with 4x the synthetic runs: separates too few runs from a wrong RUL relation.
            foreach (int factor in new[] { 1, 4 })
            {
                var bigger = factor == 1 ? synthetic : model.GenerateRuns(SplitPlanner.Plan(model.Spec.Skeletons, new SplitRequest { TrainRows = rows * factor, ValRows = 0, TestRows = 0, Seed = 7 }), 7);
                var (u, _) = GanDashboard.Core.Quality.Usefulness.UsefulnessEvaluator.Evaluate(seed, holdout, bigger, profile, new QualityOptions { Profile = profile });
                if (u is not null)
                    args.Output.WriteLine($"  x{factor}: TSTR rmse {u.Tstr.Rmse:0.0} TRTR {u.Trtr.Rmse:0.0} on-synthetic {u.TstrOnSynthetic.Rmse:0.0} ratio {u.RmseRatio:0.000}");
            }
        }
        clock.Restart();
        // --no-plain skips the plain TVAE (the comparison costs most of the time when iterating on the run-aware model).
        var plain = args.Has("no-plain") ? null : FitPlain(seed.Without(Identifiers), tvae, rows);
        double plainFit = clock.Elapsed.TotalSeconds;
        var plainReport = plain is null ? null : QualityEvaluator.Evaluate(seed.Without(Identifiers), plain, new QualityOptions { Profile = profile, IncludeUsefulness = false });

        var summary = new
        {
            machine_id = model.Spec.MachineId, seed_rows = seed.RowCount, seed_runs = RunIndex.Of(seed)!.Count, synthetic_rows = synthetic.RowCount,
            synthetic_runs = plan.Count, epochs = tvae.Epochs, run_aware_fit_seconds = Math.Round(runAwareFit, 1), plain_fit_seconds = Math.Round(plainFit, 1),
            targets, plain_overall = plainReport?.Overall,
            overall_gap_to_plain = targets.Overall - plainReport?.Overall,
            residual_phi = model.Spec.Sensors.ToDictionary(s => s.Name, s => Math.Round(s.ResidualPhi, 3)),
        };
        if (json) args.Output.WriteLine(JsonSerializer.Serialize(summary, RunAwareModelFile.Json));
        else
        {
            var t = targets;
            var o = args.Output;
            o.WriteLine($"{summary.machine_id}: seed {summary.seed_rows} rows / {summary.seed_runs} runs, synthetic {summary.synthetic_rows} rows / {summary.synthetic_runs} runs, {tvae.Epochs} epochs (fit {runAwareFit:0} s run-aware, {plainFit:0} s plain)");
            o.WriteLine($"  RUL exact runs           {t.RulExactShare:0.000}   (target 1)");
            o.WriteLine($"  health never improves    {t.HealthMonotoneShare:0.000}   (target 1)");
            o.WriteLine($"  max lag-1 gap            {t.MaxLag1Gap:0.000}   (target <= 0.1)  " + string.Join(", ", t.Lag1Gaps.Select(g => $"{g.Key} {g.Value:0.00}")));
            o.WriteLine($"  criterion trend >= 0.8   {t.CriterionTrendShare:0.000}   of {t.TrendRuns} runs (target >= 0.9)");
            o.WriteLine($"  overall quality          {t.Overall:0.000}   plain TVAE {plainReport?.Overall:0.000}, gap {summary.overall_gap_to_plain:+0.000;-0.000} (targets >= 0.85, gap >= -0.02)");
            o.WriteLine($"  TSTR/TRTR RMSE           {t.RmseRatio:0.000}   (target <= 1.2)");
            o.WriteLine($"  exact-match share        {t.ExactMatchShare:0.000}   (target 0)");
            string Interval(GanDashboard.Core.Quality.Usefulness.BootstrapInterval? i) => i is null ? "" : $"  90 % over runs {i.Low:0.000}-{i.High:0.000}";
            o.WriteLine($"  TSTR/TRTR RMSE interval  {Interval(t.RmseRatioInterval).Trim()}   ({t.UnseenRuns} unseen runs)");
            o.WriteLine($"  PHM08 ratio per row      {t.PhmPerRowRatio:0.000}   (target <= 1.2); at one cut per run {t.PhmRatio:0.000}{Interval(t.PhmRatioInterval)} (shown, not gated)");
            o.WriteLine($"  DCR overfitting prot.    {t.DcrOverfittingProtection:0.000}   (target >= 0.9)");
            foreach (var c in t.EndOfLife)
                o.WriteLine($"  {(c.Passed ? "ok  " : c.Hard ? "FAIL" : "warn")} {c.Name,-44} {c.Value:0.000} (seed/limit {c.Threshold:0.000}){(c.FailingRuns is { } n ? $"  {n} of {c.Runs} runs" : "")}{(c.ExampleRunId is { } id ? $", e.g. run {id}" : "")}");
            o.WriteLine($"  report verdict           {t.Verdict}{(t.FailedChecks.Count > 0 ? "; failed checks: " + string.Join(", ", t.FailedChecks) : "")}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Per network sensor: Pearson's r with rul_capped over the rows with RUL below the cap, and the within-run residual
    /// spread around a 25-step moving mean, seed against synthetic (where the RUL relation of the two differs).
    /// </summary>
    private static void Diagnose(TextWriter o, RunAwareSynthesizer model, Table seed, Table synthetic)
    {
        o.WriteLine($"  {"sensor",-28} {"r(rul) seed",12} {"synth",7} {"resid sd seed",14} {"synth",7} {"residual",12}");
        foreach (var s in model.Spec.Sensors)
        {
            var (rs, es) = Relation(seed, s.Name);
            var (ry, ey) = Relation(synthetic, s.Name);
            o.WriteLine($"  {s.Name,-28} {rs,12:0.000} {ry,7:0.000} {es,14:0.000} {ey,7:0.000} resid {s.ResidualStd:0.000} phi {s.ResidualPhi:0.000}");
        }
    }

    /// <summary>Per failure mode, the criterion trend share and median rho of seed and synthetic runs, and a few runs' signals at deciles.</summary>
    private static void DiagnoseTrends(TextWriter o, MachinePhysics physics, Table seed, Table synthetic)
    {
        var seedTrends = RunAwareTargets.CriterionTrends(seed, physics);
        var synthTrends = RunAwareTargets.CriterionTrends(synthetic, physics);
        for (int f = 0; f < physics.FailureModes.Count; f++)
        {
            var a = seedTrends.Where(t => t.FailureMode == f).ToList();
            var b = synthTrends.Where(t => t.FailureMode == f).ToList();
            if (a.Count + b.Count == 0) continue;
            static string Describe(List<RunAwareTargets.CriterionTrend> list) => list.Count == 0 ? "none" :
                $"{list.Count(t => t.Rho >= 0.8)}/{list.Count} median rho {list.Select(t => t.Rho).Order().ElementAt(list.Count / 2):0.00} median rows {list.Select(t => t.Signal.Length).Order().ElementAt(list.Count / 2)}";
            o.WriteLine($"  trend {physics.FailureModes[f].Id,-30} seed {Describe(a)}; synthetic {Describe(b)}");
            foreach (var (name, list) in new[] { ("seed", a), ("synth", b) })
                foreach (var t in list.Take(3))
                    o.WriteLine($"    {name,-5} rho {t.Rho:0.00} n {t.Signal.Length,4}: " + string.Join(" ", Enumerable.Range(0, 11).Select(k => $"{t.Signal[Math.Min(t.Signal.Length - 1, k * t.Signal.Length / 10)]:0.00}")));
        }
    }

    /// <summary>Per failure mode, the criterion sensor's mean over the last two steps of a run, seed against synthetic (the failure itself).</summary>
    private static void DiagnoseEnds(TextWriter o, MachinePhysics physics, Table seed, Table synthetic)
    {
        foreach (var failure in physics.FailureModes)
        {
            string sensor = physics.Sensors[failure.CriterionSensor].Name;
            string Ends(Table table)
            {
                var values = table[sensor].Numbers!;
                var modes = table[SeedColumns.FailureMode].Labels!;
                var runs = RunIndex.Of(table)!.Rows.Where(r => r.Length > 2 && modes[r[^1]] == failure.Id).ToList();
                return runs.Count == 0 ? "none" : $"{runs.Average(r => values[r[^2]]):0.000} -> {runs.Average(r => values[r[^1]]):0.000}";
            }
            o.WriteLine($"  end {failure.Id,-30} {sensor,-28} seed {Ends(seed)}  synthetic {Ends(synthetic)}");
        }
    }

    private static (double R, double Residual) Relation(Table table, string sensor)
    {
        var x = table[sensor].Numbers!;
        var rul = table[SeedColumns.RulCapped].Numbers!;
        var cap = rul.Max();
        var xs = new List<double>();
        var ys = new List<double>();
        double squares = 0;
        long n = 0;
        foreach (var run in RunIndex.Of(table)!.Rows)
        {
            for (int i = 0; i < run.Length; i++)
            {
                if (rul[run[i]] < cap) { xs.Add(x[run[i]]); ys.Add(rul[run[i]]); }
                int from = Math.Max(0, i - 12), to = Math.Min(run.Length, i + 13);
                double mean = 0;
                for (int j = from; j < to; j++) mean += x[run[j]];
                mean /= to - from;
                squares += (x[run[i]] - mean) * (x[run[i]] - mean);
                n++;
            }
        }
        return (GanDashboard.Core.Quality.RunChecks.RunStatistics.Pearson(xs.ToArray(), ys.ToArray()), Math.Sqrt(squares / n));
    }

    /// <summary>
    /// Seed runs at least, whatever --rows says: with long runs (the motor's 10,000 rows are 14 runs, its holdout 4)
    /// TSTR and TRTR are each a regressor fitted on a handful of runs and judged on a few more, and their ratio is
    /// mostly chance.
    /// </summary>
    private const int DefaultMinRuns = 30;

    private static Table AtLeastRuns(SeedGenerator generator, int rows, int runs, ulong seed)
    {
        var table = generator.Generate(SeedOptions.ForRows(rows, seed));
        return RunIndex.Of(table)!.Count >= runs ? table : generator.Generate(SeedOptions.ForRuns(runs, seed));
    }

    /// <summary>The plain (unconditional) TVAE on a table without runs: transformer, trainer, sampler, inverse transform.</summary>
    internal static Table FitPlain(Table table, TvaeOptions options, int rows)
    {
        int seed = unchecked((int)options.Seed);
        var transformer = DataTransformer.Fit(table, [], new TransformerOptions(), seed);
        var data = transformer.Transform(table, seed);
        var fit = TvaeTrainer.Fit(data, table.RowCount, transformer.OutputSpans, options with { ConditionDim = 0 });
        var sample = TvaeSampler.Sample(fit.Model, rows, options.Seed + 1);
        return transformer.InverseTransform(sample.Data, rows, sample.Sigmas, seed);
    }
}
