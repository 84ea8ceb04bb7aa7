using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench seed [--profile FILE] [--rows 10000,1000000] [--repeat 3] [--json]</c>: times everything a user
/// waits for in a seed generation (simulation, checks, Parquet write, file hash, manifest) and reports the
/// median over repeats, rows per second and the process's peak working set (Process.PeakWorkingSet64,
/// which only ever grows: sizes run smallest first, so a flat figure means memory does not grow with rows).
/// Without --profile, the motor sample from samples/profiles is used.
/// </summary>
public static class BenchSeedCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string profilePath = args.Get("profile") ?? FindSampleProfile();
        var sizes = args.GetList("rows") is { Count: > 0 } list
            ? list.Select(s => int.TryParse(s.Replace("_", "", StringComparison.Ordinal), out int v) && v > 0 ? v : throw new UsageException($"--rows takes whole numbers, not '{s}'.")).Order().ToList()
            : [10_000, 1_000_000];
        int repeat = args.GetInt("repeat", 3);
        if (repeat < 1) throw new UsageException("--repeat must be at least 1.");
        ulong seed = (ulong)args.GetInt("seed", 42);
        var profile = SeedCommand.LoadProfile(profilePath);

        string folder = Path.Combine(Path.GetTempPath(), "gandashboard-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var results = new List<object>();
        try
        {
            // One small warm-up so the first timing does not include JIT compilation.
            await SeedDatasetWriter.WriteAsync(profile, SeedOptions.ForRows(1_000, seed), Path.Combine(folder, "warmup.parquet"));
            foreach (int rows in sizes)
            {
                var seconds = new List<double>();
                SeedGenerationResult? last = null;
                for (int i = 0; i < repeat; i++)
                {
                    string path = Path.Combine(folder, $"seed-{rows}-{i}.parquet");
                    var clock = Stopwatch.StartNew();
                    last = await SeedDatasetWriter.WriteAsync(profile, SeedOptions.ForRows(rows, seed), path);
                    clock.Stop();
                    seconds.Add(clock.Elapsed.TotalSeconds);
                    File.Delete(path);
                    File.Delete(last.ManifestPath);
                }
                double median = seconds.Order().ElementAt(seconds.Count / 2);
                using var process = Process.GetCurrentProcess();
                long peak = process.PeakWorkingSet64;
                results.Add(new
                {
                    machine_id = last!.MachineId, requested_rows = rows, rows = last.Rows, runs = last.Runs,
                    median_seconds = Math.Round(median, 3), rows_per_second = Math.Round(last.Rows / median),
                    peak_working_set_mib = Math.Round(peak / 1048576.0, 1), checks_passed = last.Checks.Passed,
                    size_mib = Math.Round(last.SizeBytes / 1048576.0, 2),
                });
                if (!args.Has("json"))
                    args.Output.WriteLine($"{last.MachineId} {rows,10:N0} rows ({last.Runs} runs): median {median:0.000} s of {repeat}, " +
                        $"{last.Rows / median:N0} rows/s, peak working set {peak / 1048576.0:0} MiB, {last.SizeBytes / 1048576.0:0.0} MiB file, checks {(last.Checks.Passed ? "passed" : "FAILED")}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(results, SeedManifest.JsonOptions));
        return ExitCodes.Ok;
    }

    private static string FindSampleProfile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "profiles", "motor_siemens_1la7_001.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new UsageException("no --profile given and samples/profiles/motor_siemens_1la7_001.json was not found above the current folder.");
    }
}
