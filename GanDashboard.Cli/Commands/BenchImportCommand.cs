using System.Diagnostics;
using System.Text;
using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench import [--data FILE] [--rows 1000000] [--repeat 3] [--json]</c>: writes a CSV of about
/// <c>--rows</c> rows by repeating the runs of <c>--data</c> (default: the FD003 example in ../shared/real) under
/// new run ids, then times <c>import</c> on it (both passes and the Parquet write; the median over repeats) and
/// reports the CPU time (all threads: the second pass writes row groups on a second thread) and the peak working
/// set, which stays flat when runs come grouped.
/// </summary>
public static class BenchImportCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string data = args.Get("data") ?? FindExample();
        int rows = args.GetInt("rows", 1_000_000);
        int repeat = args.GetInt("repeat", 3);
        if (rows < 1 || repeat < 1) throw new UsageException("--rows and --repeat must be at least 1.");
        string folder = Path.Combine(Path.GetTempPath(), "gandashboard-bench-import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string big = Path.Combine(folder, "runs.csv");
            var (written, columns) = Synthesise(data, big, rows);
            var seconds = new List<double>();
            var cpuSeconds = new List<double>();
            ImportResult? last = null;
            await TableImporter.ImportAsync(data, new ImportOptions(), Path.Combine(folder, "warmup.parquet")); // JIT warm-up on the small file
            for (int i = 0; i < repeat; i++)
            {
                string output = Path.Combine(folder, $"seed-{i}.parquet");
                using var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                last = await TableImporter.ImportAsync(big, new ImportOptions(), output);
                seconds.Add(clock.Elapsed.TotalSeconds);
                process.Refresh();
                cpuSeconds.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
                File.Delete(output);
            }
            double median = seconds.Order().ElementAt(seconds.Count / 2);
            using var self = Process.GetCurrentProcess();
            var summary = new
            {
                file = big, rows = written, columns, csv_mb = Math.Round(new FileInfo(big).Length / 1048576.0, 1), runs = last!.Preview.Runs,
                seconds_median = Math.Round(median, 3), cpu_seconds_median = Math.Round(cpuSeconds.Order().ElementAt(cpuSeconds.Count / 2), 3), seconds = seconds.Select(s => Math.Round(s, 3)), rows_per_second = Math.Round(written / median),
                peak_working_set_mib = self.PeakWorkingSet64 / 1048576,
            };
            if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(summary, ProfileJson.Options));
            else args.Output.WriteLine($"import {written:N0} rows x {columns} columns ({summary.csv_mb} MB CSV, {summary.runs} runs): median {median:0.00} s of {repeat} ({string.Join(", ", summary.seconds)}; CPU {summary.cpu_seconds_median:0.00} s on all threads), {summary.rows_per_second:N0} rows/s, peak working set {summary.peak_working_set_mib} MiB");
            return ExitCodes.Ok;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Repeats the example's runs (the first column is the run id) with new ids until about <paramref name="rows"/> rows are written.</summary>
    private static (long Rows, int Columns) Synthesise(string source, string target, int rows)
    {
        var lines = File.ReadAllLines(source);
        string header = lines[0];
        var body = lines.Skip(1).Where(l => l.Length > 0).Select(l => (Id: l[..l.IndexOf(",", StringComparison.Ordinal)], Tail: l[l.IndexOf(",", StringComparison.Ordinal)..])).ToList();
        using var writer = new StreamWriter(target, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(header + "\n");
        long written = 0;
        int nextId = 0;
        string? previous = null;
        for (int copy = 0; written < rows; copy++)
        {
            foreach (var (id, tail) in body)
            {
                if (id != previous) { previous = id; nextId++; if (written >= rows) break; }
                writer.Write(nextId);
                writer.Write(tail);
                writer.Write('\n');
                written++;
            }
            previous = null;
        }
        return (written, header.Split(',').Length);
    }

    private static string FindExample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "real", "cmapss_fd003_train.csv");
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            candidate = Path.Combine(dir.FullName, "shared", "real", "cmapss_fd003_train.csv");
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new UsageException("The FD003 example was not found next to the repository; give a CSV of runs with --data (run id in the first column).");
    }
}
