using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Synthesis;

namespace GanDashboard.Cli.Commands;

/// <summary><c>sample --model MODEL --rows N [--seed S] --out FILE(.csv|.parquet) [--json]</c>: synthetic rows from a model file.</summary>
public static class SampleCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string modelPath = args.Require("model");
        string outPath = args.Require("out");
        int rows = args.GetInt("rows", -1);
        if (rows < 0) throw new UsageException("--rows is required and must not be negative.");
        long seed = args.GetInt("seed", 0);
        bool json = args.Has("json");
        if (!TableFile.IsSupported(outPath)) throw new UsageException($"--out must end in .csv or .parquet, not '{outPath}'.");

        TvaeSynthesizer synthesizer;
        try
        {
            synthesizer = await TvaeSynthesizer.LoadAsync(modelPath);
        }
        catch (ModelFileException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unreadable;
        }
        var clock = Stopwatch.StartNew();
        var table = synthesizer.Sample(rows, seed);
        double sampleSeconds = clock.Elapsed.TotalSeconds;
        await TableFile.WriteAsync(table, outPath);
        double totalSeconds = clock.Elapsed.TotalSeconds;
        if (json)
            args.Output.WriteLine(JsonSerializer.Serialize(new { @out = outPath, rows, seed, sample_seconds = sampleSeconds, total_seconds = totalSeconds }, ModelFile.Json));
        else
            args.Output.WriteLine($"wrote {rows} rows to {outPath} (sampling incl. inverse transform {sampleSeconds:F2} s, with writing {totalSeconds:F2} s)");
        return ExitCodes.Ok;
    }
}
