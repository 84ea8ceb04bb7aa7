using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.RunAware;

/// <summary>One written split.</summary>
public sealed record SplitResult(
    string Name, int Rows, int Runs, string File, string Sha256, long SizeBytes, double Seconds, IReadOnlyDictionary<string, int> RunsPerFailureMode);

/// <summary>What a generation wrote (the product plan's SyntheticGenerationResponse, per split).</summary>
public sealed record GenerationResult(
    string OutputFolder, string ManifestPath, string ModelId, string? ModelSha256, ulong Seed, string Format,
    IReadOnlyList<SplitResult> Splits, double GenerationSeconds, double TotalSeconds)
{
    public SplitResult this[string split] => Splits.First(s => s.Name == split);
}

/// <summary>
/// Train/val/test datasets of whole synthetic runs: split by run, failure modes stratified per split, each split at
/// least its requested rows and fewer than that plus one run, run ids unique across splits. Files and the folder's
/// <c>manifest.json</c> are written atomically; the same model file, request and seed give the same bytes.
/// </summary>
public static class RunAwareGenerator
{
    public static async Task<GenerationResult> GenerateSplitsAsync(string modelPath, SplitRequest request, string outputFolder,
        IProgress<string>? progress = null, CancellationToken ct = default) =>
        await GenerateSplitsAsync(await LoadReportingAsync(modelPath, progress, ct), request, outputFolder, progress, ct);

    private static Task<IRunSynthesizer> LoadReportingAsync(string modelPath, IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report("loading model");
        return RunTable.RunModelFile.LoadAsync(modelPath, ct);
    }

    public static async Task<GenerationResult> GenerateSplitsAsync(IRunSynthesizer model, SplitRequest request, string outputFolder,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var clock = Stopwatch.StartNew();
        progress?.Report("planning runs");
        var plan = SplitPlanner.Plan(model.Skeletons, request);
        progress?.Report($"generating {plan.Count} runs");
        var table = model.GenerateRuns(plan, request.Seed, ct);
        double generationSeconds = clock.Elapsed.TotalSeconds;

        Directory.CreateDirectory(outputFolder);
        var splits = new List<SplitResult>();
        int offset = 0;
        foreach (var (name, _) in request.Splits)
        {
            ct.ThrowIfCancellationRequested();
            var start = clock.Elapsed;
            var runs = plan.Where(p => p.Split == name).ToList();
            int rows = runs.Sum(r => r.Skeleton.Length);
            var part = table.Take(Enumerable.Range(offset, rows).ToArray());
            offset += rows;
            string file = $"{name}.{request.Format}";
            string path = Path.Combine(outputFolder, file);
            progress?.Report($"writing {file}");
            await TableFile.WriteAsync(part, path, ct);
            byte[] bytes = await File.ReadAllBytesAsync(path, ct);
            var perFailure = runs.GroupBy(r => model.Skeletons.FailureModes[r.Skeleton.FailureMode].Id)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            splits.Add(new SplitResult(name, rows, runs.Count, file, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength,
                Math.Round((clock.Elapsed - start).TotalSeconds, 3), perFailure));
        }

        // No timings or clock times in the folder's manifest: it is part of what must come out byte for byte the same.
        var manifest = new GenerationManifest(model.MachineId, model.ModelId, model.FileSha256, model.DataSha256, request.Seed, request.Format,
            request.FailureModeShares, request.OperatingModeShares,
            splits.Select(s => new GenerationManifestSplit(s.Name, s.Rows, s.Runs, s.File, s.Sha256, s.RunsPerFailureMode)).ToList());
        string manifestPath = Path.Combine(outputFolder, "manifest.json");
        await TableFile.WriteAtomicallyAsync(manifestPath, stream => JsonSerializer.SerializeAsync(stream, manifest, RunAwareModelFile.Json, ct), ct);
        return new GenerationResult(outputFolder, manifestPath, model.ModelId, model.FileSha256, request.Seed, request.Format, splits,
            Math.Round(generationSeconds, 3), Math.Round(clock.Elapsed.TotalSeconds, 3));
    }
}

/// <summary>The folder's <c>manifest.json</c>: which model and seed made it, and each split's counts and file hash.</summary>
public sealed record GenerationManifest(
    string MachineId, string ModelId, string? ModelSha256, string SeedDataSha256, ulong Seed, string Format,
    IReadOnlyDictionary<string, double>? FailureModeShares, IReadOnlyDictionary<string, double>? OperatingModeShares,
    IReadOnlyList<GenerationManifestSplit> Splits);

public sealed record GenerationManifestSplit(string Name, int Rows, int Runs, string File, string Sha256, IReadOnlyDictionary<string, int> RunsPerFailureMode);
