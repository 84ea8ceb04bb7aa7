using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>train --data FILE [--discrete a,b] [--epochs 300] [--batch-size 500] [--seed S] [--threads N]
/// [--validation 0.1] [--patience N] --out MODEL [--json]</c>: fits a TVAE and writes the model file,
/// printing where the time went (transformer fit, transform, training, total).
/// </summary>
public static class TrainCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string dataPath = args.Require("data");
        string outPath = args.Require("out");
        bool json = args.Has("json");
        var defaults = new TvaeOptions();
        var options = defaults with
        {
            Epochs = args.GetInt("epochs", defaults.Epochs),
            BatchSize = args.GetInt("batch-size", defaults.BatchSize),
            Seed = args.GetInt("seed", 0),
            Threads = args.GetInt("threads", defaults.Threads),
            ValidationFraction = args.GetDouble("validation", defaults.ValidationFraction),
            EarlyStoppingPatience = args.Get("patience") is null ? null : args.GetInt("patience", 0),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var discrete = args.GetList("discrete");
        var table = await TableFile.ReadAsync(dataPath);
        var progress = new ConsoleProgress(args.Output, quiet: json);
        var synthesizer = TvaeSynthesizer.Fit(table, discrete, options, progress);
        await synthesizer.SaveAsync(outPath);

        var t = synthesizer.Timings;
        var history = synthesizer.Model.History;
        if (json)
        {
            args.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model = outPath,
                rows = table.RowCount,
                data_dim = synthesizer.Model.Architecture.DataDim,
                epochs = synthesizer.Model.EpochsDone,
                threads = options.Threads,
                ms_per_step = synthesizer.Manifest.Training.MillisecondsPerStep,
                timings = t,
                final_train_loss = history.Count > 0 ? history[^1].TrainLoss : (double?)null,
                final_validation_loss = history.Count > 0 ? history[^1].ValidationLoss : null,
            }, ModelFile.Json));
        }
        else
        {
            args.Output.WriteLine($"{table.RowCount} rows -> {synthesizer.Model.Architecture.DataDim} transformed columns, {synthesizer.Model.EpochsDone} epochs, {options.Threads} thread(s)");
            args.Output.WriteLine($"time: transformer fit {t.TransformerFitSeconds:F2} s, transform {t.TransformSeconds:F2} s, training {t.TrainingSeconds:F2} s ({synthesizer.Manifest.Training.MillisecondsPerStep:F2} ms/step), total {t.TotalSeconds:F2} s");
            args.Output.WriteLine($"wrote {outPath}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Prints an epoch line about every tenth of the run; the library itself never writes to the console.</summary>
    private sealed class ConsoleProgress(TextWriter output, bool quiet) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress p)
        {
            if (quiet || (p.Epoch % Math.Max(1, p.TotalEpochs / 10) != 0 && p.Epoch != p.TotalEpochs)) return;
            string validation = p.ValidationLoss is { } v ? $", validation {v:F3}" : "";
            output.WriteLine($"epoch {p.Epoch}/{p.TotalEpochs}: loss {p.TrainLoss:F3}{validation}, {p.Elapsed.TotalSeconds:F1} s, eta {p.Eta.TotalSeconds:F0} s");
        }
    }
}
