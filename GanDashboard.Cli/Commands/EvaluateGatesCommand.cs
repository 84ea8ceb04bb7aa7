using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>evaluate gates --profile FILE [--runs 100] [--unseen-runs 50] [--unseen-seeds default,11,12] [--rows 35000]
/// [--epochs N] [--model FILE] [--model-out FILE] [--generation-seed N] [--perfect-only] [--diagnose] [--json]</c>: how far a physics-seeded machine's verdict can be trusted.
/// Makes the default pipeline's seed data (seed runs and seed derived from the machine id), trains the run-aware model
/// with the pipeline's default epochs (or loads <c>--model</c>), generates the train split, and judges it on several
/// sets of unseen runs. Beside it, the same report for a perfect generator: as many fresh runs simulated from the
/// profile itself. A gate that the perfect generator fails, or that flips between unseen sets, measures the draw of
/// unseen runs more than the model. <c>--generation-seed</c> generates another draw from the same model (the default is
/// the pipeline's); <c>--perfect-only</c> judges the perfect generator alone (no training: how often the gates fail a
/// generator that cannot be wrong, over many unseen sets); <c>--diagnose</c> shows the model's DCR with each column left out.
/// </summary>
public static class EvaluateGatesCommand
{
    /// <summary>Purpose of the perfect generator's seed (see <see cref="MachineSeeds"/>).</summary>
    private const string PerfectGenerator = "perfect-generator";

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var profile = SeedCommand.LoadProfile(args.Require("profile")).Profile;
        if (profile.IsImported)
        {
            args.Error.WriteLine("error: evaluate gates needs a physics profile (an imported machine has no simulator to compare with); use evaluate import.");
            return ExitCodes.Invalid;
        }
        string machineId = string.IsNullOrEmpty(profile.MachineId) ? "machine" : profile.MachineId;
        int runs = args.GetInt("runs", 100), unseenRuns = args.GetInt("unseen-runs", UnseenRuns.Default), rows = args.GetInt("rows", 35_000);
        var unseenSeeds = args.GetList("unseen-seeds") is { Count: > 0 } list ? list : ["default", "11", "12"];
        bool json = args.Has("json");

        var seed = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(runs, MachineSeeds.For(machineId, MachineSeeds.SeedData)));
        // Another generation seed draws both generators afresh: the model's output and the perfect generator's runs.
        ulong? otherDraw = args.Get("generation-seed") is { } g ? ulong.Parse(g, CultureInfo.InvariantCulture) : null;
        var model = args.Has("perfect-only") ? null : await ModelFor(args, seed, profile, machineId, runs, json);
        ulong generationSeed = otherDraw ?? MachineSeeds.For(machineId, MachineSeeds.Generation);
        Table? generated = null;
        if (model is not null)
        {
            // As the pipeline plans it: the rows, and at least as many runs as the seed has.
            var plan = SplitPlanner.Plan(model.Spec.Skeletons, new SplitRequest
            {
                TrainRows = rows, ValRows = 0, TestRows = 0, MinTrainRuns = model.Spec.Skeletons.SeedRuns, Seed = generationSeed,
            });
            generated = model.GenerateRuns(plan, generationSeed);
        }
        // The perfect generator plans as the model did: as many rows as the model made or, with --perfect-only, the seed's
        // runs and at least the rows asked for (the runs are drawn again by rows only when they fall short of them).
        ulong perfectSeed = otherDraw ?? MachineSeeds.For(machineId, PerfectGenerator);
        var simulator = new SeedGenerator(profile);
        var perfect = simulator.Generate(generated is not null ? SeedOptions.ForRows(generated.RowCount, perfectSeed) : SeedOptions.ForRuns(runs, perfectSeed));
        if (perfect.RowCount < rows) perfect = simulator.Generate(SeedOptions.ForRows(rows, perfectSeed));
        var generators = generated is null ? new[] { ("perfect", perfect) } : [("model", generated), ("perfect", perfect)];

        var results = new List<GateRow>();
        if (!json)
        {
            args.Output.WriteLine($"{"unseen set",-12} {"generator",-10} {"verdict",-8} {"RMSE",6} {"PHM/row",8} {"DCR",6} {"closer",7}  failed");
        }
        foreach (string set in unseenSeeds)
        {
            ulong unseenSeed = set == "default" ? UnseenRuns.SeedFor(machineId) : ulong.Parse(set, CultureInfo.InvariantCulture);
            var unseen = UnseenRuns.Simulate(profile, unseenRuns, unseenSeed);
            foreach (var (name, synthetic) in generators)
            {
                var report = QualityEvaluator.Evaluate(seed, synthetic, new QualityOptions { Profile = profile }, unseen);
                var row = Summarise(set, unseenSeed, name, report);
                results.Add(row);
                if (json) continue;
                args.Output.WriteLine($"{set,-12} {name,-10} {row.Verdict,-8} {F(row.RmseRatio),6} {F(row.PhmPerRowRatio),8} {F(row.DcrOverfittingProtection),6} {F(row.CloserToTraining),7}  {string.Join("; ", row.Failed)}");
                foreach (var failed in report.Sections.Where(s => s.Status == SectionStatus.Failed))
                    args.Output.WriteLine($"   {failed.Name}: {failed.Summary}");
                if (args.Has("diagnose") && name == "model") DiagnoseDcr(args, seed, unseen, synthetic, report);
            }
        }
        if (json)
            args.Output.WriteLine(JsonSerializer.Serialize(new { machine_id = machineId, seed_rows = seed.RowCount, seed_runs = runs, synthetic_rows = generated?.RowCount ?? perfect.RowCount, unseen_runs = unseenRuns, results }, RunAwareModelFile.Json));
        else
            foreach (var group in results.GroupBy(r => r.Generator))
            {
                // How far the gates move between unseen sets alone: a perfect generator that fails a gate on some sets shows its false-failure rate.
                var shares = group.Select(r => r.CloserToTraining).OfType<double>().ToList();
                args.Output.WriteLine($"{group.Key}: {group.Count(r => r.Verdict == "passed")} of {group.Count()} sets passed; share closer to training mean {F(shares.DefaultIfEmpty(double.NaN).Average())}"
                    + $", spread {F(Spread(shares))}; failed: {string.Join(", ", group.SelectMany(r => r.Failed).GroupBy(f => f).Select(f => $"{f.Key} {f.Count()}x").DefaultIfEmpty("none"))}");
            }
        return ExitCodes.Ok;
    }

    /// <summary>The model judged: loaded from --model, or trained on the seed as the default pipeline trains it (saved to --model-out).</summary>
    private static async Task<RunAwareSynthesizer> ModelFor(CommandArgs args, Table seed, GanDashboard.Core.Profiles.MachineProfile profile, string machineId, int runs, bool json)
    {
        if (args.Get("model") is { } modelPath) return await RunAwareModelFile.LoadAsync(modelPath);
        var tvae = new TvaeOptions
        {
            Epochs = args.GetInt("epochs", TrainingBudget.DefaultEpochsFor(seed.RowCount, 0.1, 500)),
            BatchSize = 500, ValidationFraction = 0.1, Seed = (long)MachineSeeds.For(machineId, MachineSeeds.Training),
            Threads = args.GetInt("threads", 2),
        };
        if (!json) args.Output.WriteLine($"Training {machineId} on {seed.RowCount:N0} seed rows ({runs} runs), {tvae.Epochs} epochs...");
        var model = RunAwareSynthesizer.Fit(seed, profile, new RunAwareOptions { Tvae = tvae });
        if (args.Get("model-out") is { } output) await RunAwareModelFile.SaveAsync(model, output);
        return model;
    }

    /// <summary>
    /// The model's DCR overfitting protection with each compared column left out in turn: which columns lean toward the
    /// training runs. One draw of the training runs each (the report averages five), against the same draw with every
    /// column, so the differences are the columns' and not the draw's.
    /// </summary>
    private static void DiagnoseDcr(CommandArgs args, Table seed, Table unseen, Table synthetic, QualityReport report)
    {
        if (report.Memorisation is not { } memorisation) return;
        var options = new QualityOptions();
        MemorisationResult Without(string? left) => MemorisationEvaluator.Evaluate(seed, unseen, synthetic, memorisation.Columns.Where(c => c != left).ToList(),
            options.DcrSampleRows, options.Seed, iterations: 1);
        var all = Without(null);
        args.Output.WriteLine($"   {"every column (one draw)",-36} DCR {F(all.OverfittingProtection?.Score)}, closer to training {F(all.OverfittingProtection?.CloserToTraining)}");
        foreach (string left in memorisation.Columns)
        {
            var without = Without(left);
            args.Output.WriteLine($"   without {left,-28} DCR {F(without.OverfittingProtection?.Score)}, closer to training {F(without.OverfittingProtection?.CloserToTraining)}");
        }
    }

    internal sealed record GateRow(string UnseenSet, ulong UnseenSeed, string Generator, string Verdict, double? RmseRatio, double? PhmPerRowRatio,
        double? DcrOverfittingProtection, double? CloserToTraining, IReadOnlyList<string> Failed);

    internal static GateRow Summarise(string set, ulong seed, string generator, QualityReport report) => new(set, seed, generator,
        JsonNamingPolicy.SnakeCaseLower.ConvertName(report.Verdict.ToString()), report.Usefulness?.RmseRatio, report.Usefulness?.NasaScorePerRowRatio,
        report.Memorisation?.OverfittingProtection?.Score, report.Memorisation?.OverfittingProtection?.CloserToTraining,
        report.Sections.Where(s => s.Status == SectionStatus.Failed).Select(s => s.Name).ToList());

    private static double Spread(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
