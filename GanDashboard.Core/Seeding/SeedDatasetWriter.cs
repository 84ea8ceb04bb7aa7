using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Seeding;

/// <summary>Progress of a seed generation: rows and runs written so far.</summary>
public sealed record SeedProgress(long Rows, int Runs, long TargetRows, int? TargetRuns);

/// <summary>
/// Generates a seed dataset straight into a file (.parquet: one row group per batch; .csv), checking it
/// on the way: batches of whole runs are simulated, checked, written and dropped, so memory does not grow
/// with the row count. The file appears atomically (temporary file renamed into place) and a manifest
/// (<c>&lt;file&gt;.manifest.json</c>) records what it is and how it was made.
/// </summary>
public static class SeedDatasetWriter
{
    public static async Task<SeedGenerationResult> WriteAsync(MachineProfile profile, SeedOptions options, string path,
        IProgress<SeedProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool parquet = Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase);
        if (!parquet && !Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{Path.GetFileName(path)}' must end in .parquet or .csv.", nameof(path));

        var clock = Stopwatch.StartNew();
        var generator = new SeedGenerator(profile);
        var physics = generator.PhysicsFor(options);
        var checks = new RunCheckAccumulator(physics);
        var perMode = physics.FailureModes.ToDictionary(f => f.Id, _ => 0, StringComparer.Ordinal);
        long rows = 0;
        int runs = 0;

        await TableFile.WriteAtomicallyAsync(path, async stream =>
        {
            await using var sink = parquet ? (IBatchSink)new ParquetSink(stream) : new CsvSink(stream);
            foreach (var batch in generator.GenerateBatches(options, ct))
            {
                checks.Add(batch.Table);
                await sink.WriteAsync(batch.Table, ct);
                foreach (var run in batch.Runs) perMode[physics.FailureModes[run.FailureMode].Id]++;
                rows += batch.Table.RowCount;
                runs += batch.Runs.Count;
                progress?.Report(new SeedProgress(rows, runs, options.Rows ?? 0, options.Runs));
            }
        }, ct);

        var report = checks.Finish();
        var info = new FileInfo(path);
        string manifestPath = path + ".manifest.json";
        var manifest = new SeedManifest(physics.MachineId, ProfileHash(profile), options.Seed, SeedGenerator.Version, rows, runs,
            options.RulCapOverride, perMode, await FileHashAsync(path, ct), info.Length, report.Passed, report.Checks);
        await TableFile.WriteAtomicallyAsync(manifestPath, s => JsonSerializer.SerializeAsync(s, manifest, SeedManifest.JsonOptions, ct), ct);
        clock.Stop();
        return new SeedGenerationResult(physics.MachineId, rows, runs, Path.GetFullPath(path), info.Length, clock.Elapsed.TotalSeconds,
            perMode, manifestPath, report);
    }

    /// <summary>SHA-256 of the profile's canonical JSON (ProfileJson settings), hex.</summary>
    public static string ProfileHash(MachineProfile profile) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ProfileJson.Serialize(profile))));

    private static async Task<string> FileHashAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private interface IBatchSink : IAsyncDisposable
    {
        Task WriteAsync(Table batch, CancellationToken ct);
    }

    private sealed class ParquetSink(Stream stream) : IBatchSink
    {
        private readonly ParquetTableWriter _writer = new(stream);

        public Task WriteAsync(Table batch, CancellationToken ct) => _writer.WriteAsync(batch, ct);

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }

    private sealed class CsvSink(Stream stream) : IBatchSink
    {
        private readonly StreamWriter _writer = new(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        private bool _headerWritten;

        public async Task WriteAsync(Table batch, CancellationToken ct)
        {
            if (!_headerWritten)
            {
                // Csv.Write writes the header; later batches append their rows only.
                Csv.Write(batch, _writer);
                _headerWritten = true;
                return;
            }
            var line = new StringBuilder();
            for (int r = 0; r < batch.RowCount; r++)
            {
                line.Clear();
                for (int c = 0; c < batch.Columns.Count; c++)
                {
                    if (c > 0) line.Append(',');
                    line.Append(Csv.Format(batch.Columns[c], r));
                }
                line.Append('\n');
                await _writer.WriteAsync(line, ct);
            }
        }

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }
}
