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
/// <c>evaluate run-aware --profile FILE [--rows 10000] [--epochs 300] [--seed 1] [--threads 2] [--json]</c>: the
/// run-aware targets end to end. Makes seed data (seed 42) and unseen holdout runs (seed 4242) from the profile, fits
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
        var generator = new SeedGenerator(profile);
        var seed = generator.Generate(SeedOptions.ForRows(rows, 42));
        var holdout = generator.Generate(SeedOptions.ForRows(Math.Max(2000, rows / 4), 4242));

        var clock = Stopwatch.StartNew();
        var model = RunAwareSynthesizer.Fit(seed, profile, new RunAwareOptions { Tvae = tvae });
        double runAwareFit = clock.Elapsed.TotalSeconds;
        string modelPath = Path.Combine(Path.GetTempPath(), $"gandashboard-eval-{Guid.NewGuid():N}.gdm");
        await RunAwareModelFile.SaveAsync(model, modelPath);
        File.Delete(modelPath);
        var plan = SplitPlanner.Plan(model.Spec.Skeletons, new SplitRequest { TrainRows = rows, ValRows = 0, TestRows = 0, Seed = 7 });
        var synthetic = model.GenerateRuns(plan, 7);
        var targets = RunAwareTargets.Measure(seed, synthetic, profile, holdout);

        clock.Restart();
        var plain = FitPlain(seed.Without(Identifiers), tvae, rows);
        double plainFit = clock.Elapsed.TotalSeconds;
        var plainReport = QualityEvaluator.Evaluate(seed.Without(Identifiers), plain, new QualityOptions { Profile = profile, IncludeUsefulness = false });

        var summary = new
        {
            machine_id = model.Spec.MachineId, seed_rows = seed.RowCount, seed_runs = RunIndex.Of(seed)!.Count, synthetic_rows = synthetic.RowCount,
            synthetic_runs = plan.Count, epochs = tvae.Epochs, run_aware_fit_seconds = Math.Round(runAwareFit, 1), plain_fit_seconds = Math.Round(plainFit, 1),
            targets, plain_overall = plainReport.Overall,
            overall_gap_to_plain = targets.Overall - plainReport.Overall,
            noise_scales = model.Spec.Sensors.ToDictionary(s => s.Name, s => Math.Round(s.NoiseScale, 3)),
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
            o.WriteLine($"  overall quality          {t.Overall:0.000}   plain TVAE {plainReport.Overall:0.000}, gap {summary.overall_gap_to_plain:+0.000;-0.000} (targets >= 0.85, gap >= -0.02)");
            o.WriteLine($"  TSTR/TRTR RMSE           {t.RmseRatio:0.000}   (target <= 1.2)");
            o.WriteLine($"  exact-match share        {t.ExactMatchShare:0.000}   (target 0)");
        }
        return ExitCodes.Ok;
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
