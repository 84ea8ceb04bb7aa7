using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Generation;
using GanDashboard.Tvae.RunAware;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>generate --model MODEL --out DIR [--train 35000 --val 7500 --test 7500] [--train-runs N] [--seed S] [--format parquet|csv]
/// [--failure-mode-shares id=0.5,id2=0.5] [--operating-mode-shares name=0.7,...] [--json]</c>: whole synthetic runs split
/// by run into train/val/test files plus manifest.json, from the run-aware model file alone. The train split has at least
/// <c>--train-runs</c> runs (default: as many as the seed data the model learned from; 0: rows alone decide).
/// </summary>
public static class GenerateCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var request = new SplitRequest
        {
            TrainRows = args.GetInt("train", 35_000),
            ValRows = args.GetInt("val", 7_500),
            TestRows = args.GetInt("test", 7_500),
            Seed = (ulong)args.GetInt("seed", 42),
            Format = args.Get("format") ?? "parquet",
            FailureModeShares = Shares(args, "failure-mode-shares"),
            OperatingModeShares = Shares(args, "operating-mode-shares"),
        };
        string modelPath = args.Require("model");
        string output = args.Require("out");
        GenerationResult result;
        try
        {
            var model = await GanDashboard.Tvae.RunTable.RunModelFile.LoadAsync(modelPath);
            request = request with { MinTrainRuns = args.GetInt("train-runs", model.Skeletons.SeedRuns) };
            result = await RunAwareGenerator.GenerateSplitsAsync(model, request, output);
        }
        catch (ArgumentException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
        if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(result, RunAwareModelFile.Json));
        else
        {
            args.Output.WriteLine($"Generated from {result.ModelId} (seed {result.Seed}) in {result.TotalSeconds:0.00} s -> {result.OutputFolder}");
            foreach (var s in result.Splits)
                args.Output.WriteLine($"  {s.Name,-5} {s.Rows,8:N0} rows {s.Runs,5} runs  {s.File}  sha256 {s.Sha256[..16]}…  " +
                    string.Join(", ", s.RunsPerFailureMode.Select(p => $"{p.Key} {p.Value}")));
        }
        return ExitCodes.Ok;
    }

    /// <summary><c>a=0.5,b=0.5</c> into a dictionary; null when the option is absent.</summary>
    internal static IReadOnlyDictionary<string, double>? Shares(CommandArgs args, string name)
    {
        var items = args.GetList(name);
        if (items.Count == 0) return null;
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string item in items)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(item[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double share))
                throw new UsageException($"--{name} takes id=share pairs separated by commas, not '{item}'.");
            shares[item[..eq]] = share;
        }
        return shares;
    }
}
