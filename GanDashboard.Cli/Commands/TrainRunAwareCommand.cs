using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>train run-aware --data SEED --profile FILE --out MODEL [--epochs 300] [--batch 500] [--seed 1] [--threads 2] [--json]</c>:
/// fits the run-aware TVAE to seed runs and writes a model file that <c>generate</c> reads on its own.
/// </summary>
public static class TrainRunAwareCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var seed = await TableFile.ReadAsync(args.Require("data"));
        var profile = SeedCommand.LoadProfile(args.Require("profile")).Profile;
        string output = args.Require("out");
        var options = new RunAwareOptions { Tvae = TvaeOptionsFrom(args) };
        bool json = args.Has("json");
        var progress = new Progress<EpochProgress>(p =>
        {
            if (!json && (p.Epoch % 25 == 0 || p.Epoch == p.TotalEpochs))
                args.Error.WriteLine($"epoch {p.Epoch}/{p.TotalEpochs} loss {p.TrainLoss:0.000} validation {p.ValidationLoss:0.000} eta {p.Eta:mm\\:ss}");
        });
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

    internal static TvaeOptions TvaeOptionsFrom(CommandArgs args) => new()
    {
        Epochs = args.GetInt("epochs", 300),
        BatchSize = args.GetInt("batch", 500),
        Seed = args.GetInt("seed", 1),
        Threads = args.GetInt("threads", 2),
    };
}
