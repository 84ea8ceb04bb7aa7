using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Seeding;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench generate [--model MODEL | --profile FILE [--seed-rows 4000] [--epochs 20]] [--rows 50000] [--repeat 3] [--format parquet] [--json]</c>:
/// times a run-aware generation with train/val/test splits (70/15/15 of --rows), model load included, written to a
/// temporary folder. Without --model a small model is trained first (not timed) from seed data of the profile.
/// </summary>
public static class BenchGenerateCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        int rows = args.GetInt("rows", 50_000);
        int repeat = Math.Max(1, args.GetInt("repeat", 3));
        string format = args.Get("format") ?? "parquet";
        string folder = Path.Combine(Path.GetTempPath(), "gandashboard-bench-generate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = args.Get("model") ?? await TrainSmallModelAsync(args, Path.Combine(folder, "model.gdm"));
            var request = new SplitRequest { TrainRows = rows * 70 / 100, ValRows = rows * 15 / 100, TestRows = rows - rows * 70 / 100 - rows * 15 / 100, Format = format };
            await RunAwareGenerator.GenerateSplitsAsync(modelPath, request with { TrainRows = 1000, ValRows = 100, TestRows = 100 }, Path.Combine(folder, "warmup"));
            var seconds = new List<double>();
            var cpuSeconds = new List<double>();
            GenerationResult? last = null;
            var process = Process.GetCurrentProcess();
            for (int i = 0; i < repeat; i++)
            {
                // Phase marks (wall clock at each progress message), so the output says where the time goes.
                var phases = new List<(string Phase, double At)>();
                var clock = Stopwatch.StartNew();
                var progress = new SynchronousProgress(message => phases.Add((message, clock.Elapsed.TotalSeconds)));
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                last = await RunAwareGenerator.GenerateSplitsAsync(modelPath, request, Path.Combine(folder, $"out-{i}"), progress);
                seconds.Add(clock.Elapsed.TotalSeconds);
                process.Refresh();
                cpuSeconds.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
                if (args.Has("phases") && !args.Has("json"))
                    args.Output.WriteLine(string.Join(", ", phases.Select((p, k) => $"{p.Phase} {(k + 1 < phases.Count ? phases[k + 1].At : seconds[^1]) - p.At:0.000} s")));
            }
            double median = seconds.Order().ElementAt(seconds.Count / 2);
            double medianCpu = cpuSeconds.Order().ElementAt(cpuSeconds.Count / 2);
            int total = last!.Splits.Sum(s => s.Rows);
            var summary = new
            {
                requested_rows = rows, rows = total, runs = last.Splits.Sum(s => s.Runs), format, median_seconds = Math.Round(median, 3),
                generation_seconds = last.GenerationSeconds, median_cpu_seconds = Math.Round(medianCpu, 3), rows_per_second = Math.Round(total / median), repeats = repeat, target_seconds = 2.0,
            };
            if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(summary, RunAwareModelFile.Json));
            else args.Output.WriteLine($"generate {total:N0} rows ({summary.runs} runs, 3 splits, {format}): median {median:0.000} s of {repeat} " +
                $"(model load + generation {last.GenerationSeconds:0.000} s in the last), CPU {medianCpu:0.000} s, {total / median:N0} rows/s; target < 2 s");
            return ExitCodes.Ok;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, which would blur the marks).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private static async Task<string> TrainSmallModelAsync(CommandArgs args, string path)
    {
        string profilePath = args.Get("profile") ?? throw new UsageException("give --model MODEL or --profile FILE to train a small one.");
        var profile = SeedCommand.LoadProfile(profilePath).Profile;
        var seed = new SeedGenerator(profile).Generate(SeedOptions.ForRows(args.GetInt("seed-rows", 4000)));
        var model = RunAwareSynthesizer.Fit(seed, profile, new RunAwareOptions { Tvae = new TvaeOptions { Epochs = args.GetInt("epochs", 20), Seed = 1 } });
        await RunAwareModelFile.SaveAsync(model, path);
        return path;
    }
}
