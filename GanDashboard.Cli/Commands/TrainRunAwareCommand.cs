using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunTable;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>train run-aware --data SEED --profile FILE --out MODEL [--epochs 300] [--batch 500] [--seed 1] [--threads 2]
/// [--holdout-out FILE] [--json]</c>: fits the run-aware TVAE to seed runs and writes a model file that <c>generate</c>
/// reads on its own. With an imported profile (its <c>import</c> section) it fits the run-table TVAE to the user's
/// runs; <c>--holdout-out</c> then keeps 20 % of the units (at least 10) out of training and writes them there, for
/// <c>validate --holdout</c>.
/// </summary>
public static class TrainRunAwareCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var seed = await TableFile.ReadAsync(args.Require("data"));
        var profile = SeedCommand.LoadProfile(args.Require("profile")).Profile;
        string output = args.Require("out");
        if (profile.IsImported) return await TrainImportedAsync(args, seed, profile, output);
        var options = new RunAwareOptions { Tvae = TvaeOptionsFrom(args) };
        bool json = args.Has("json");
        var progress = EpochPrinter(args, json);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = RunAwareSynthesizer.Fit(seed, profile, options, progress);
        await RunAwareModelFile.SaveAsync(model, output);
        var summary = new
        {
            model = output, model_id = model.ModelId, seed_rows = model.Rows, epochs = model.Model.EpochsDone, seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            sensors = model.Spec.Sensors.Select(s => new { s.Name, residual_std = s.ResidualStd, residual_phi = Math.Round(s.ResidualPhi, 3), seed_lag1 = Math.Round(s.SeedLag1, 3), calibrated_lag1 = Math.Round(s.CalibratedLag1, 3) }),
        };
        if (json) args.Output.WriteLine(JsonSerializer.Serialize(summary, RunAwareModelFile.Json));
        else
        {
            args.Output.WriteLine($"Trained {model.ModelId} on {model.Rows} rows, {model.Model.EpochsDone} epochs in {clock.Elapsed.TotalSeconds:0.0} s -> {output}");
            foreach (var s in model.Spec.Sensors)
                args.Output.WriteLine($"  {s.Name,-30} residual sd {s.ResidualStd:0.000} phi {s.ResidualPhi:0.000}  lag-1 seed {s.SeedLag1:0.000} calibrated {s.CalibratedLag1:0.000}");
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> TrainImportedAsync(CommandArgs args, Table seed, GanDashboard.Core.Profiles.MachineProfile profile, string output)
    {
        var tvae = TvaeOptionsFrom(args);
        bool json = args.Has("json");
        Table train = seed;
        IReadOnlyList<string> heldOut = [];
        if (args.Get("holdout-out") is { } holdoutPath)
        {
            (train, var holdout, heldOut) = UnitHoldout.Split(seed, (ulong)tvae.Seed);
            if (heldOut.Count == 0)
                args.Error.WriteLine($"note: {RunIndex.Of(seed)!.Count} runs are too few to hold {UnitHoldout.MinimumUnits} out and still train on as many; training on all of them, no holdout written.");
            else await TableFile.WriteAsync(holdout, holdoutPath);
        }
        var progress = EpochPrinter(args, json);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RunTableSynthesizer model;
        try { model = RunTableSynthesizer.Fit(train, profile, new RunTableOptions { Tvae = tvae, HeldOutRuns = heldOut }, progress); }
        catch (ArgumentException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
        await RunTableModelFile.SaveAsync(model, output);
        var summary = new
        {
            model = output, model_id = model.ModelId, kind = "run_table", seed_rows = train.RowCount, held_out_runs = heldOut.Count,
            epochs = model.Model.EpochsDone, seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            signature_dim = model.Spec.SignatureDim, context_states = model.Spec.Context.States.Count,
        };
        if (json) args.Output.WriteLine(JsonSerializer.Serialize(summary, RunAwareModelFile.Json));
        else args.Output.WriteLine($"Trained {model.ModelId} (run-table) on {train.RowCount} rows of {RunIndex.Of(train)!.Count} runs"
            + (heldOut.Count > 0 ? $", {heldOut.Count} units held out" : "") + $", {model.Model.EpochsDone} epochs in {clock.Elapsed.TotalSeconds:0.0} s -> {output}");
        return ExitCodes.Ok;
    }

    /// <summary>Every 25th epoch (and the last) on standard error, unless the output is JSON.</summary>
    private static Progress<EpochProgress> EpochPrinter(CommandArgs args, bool json) => new(p =>
    {
        if (!json && (p.Epoch % 25 == 0 || p.Epoch == p.TotalEpochs))
            args.Error.WriteLine($"epoch {p.Epoch}/{p.TotalEpochs} loss {p.TrainLoss:0.000} validation {p.ValidationLoss:0.000} eta {p.Eta:mm\\:ss}");
    });

    internal static TvaeOptions TvaeOptionsFrom(CommandArgs args) => new()
    {
        Epochs = args.GetInt("epochs", 300),
        BatchSize = args.GetInt("batch", 500),
        Seed = args.GetInt("seed", 1),
        Threads = args.GetInt("threads", 2),
    };
}
