using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Seeding;
using GanDashboard.Web.Machines;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Workflow;

/// <summary>
/// The plan's GANManager: the one place that runs each workflow step for a machine (seed, train,
/// generate, validate), records what it produced and keeps operation statistics. Jobs call it; it
/// never runs long work on a request thread itself.
/// </summary>
public sealed partial class GanManager(
    IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths, MachineService machines, ModelCache models,
    Microsoft.Extensions.Options.IOptions<TrainingSettings> training, IHostApplicationLifetime lifetime, ILogger<GanManager> logger)
{
    private readonly ConcurrentDictionary<string, OperationStats> _stats = new(StringComparer.Ordinal);

    /// <summary>True when the machine's seed data is an imported table of real runs (nothing to simulate).</summary>
    public async Task<bool> IsImportedAsync(string machineId, CancellationToken ct) => (await machines.ProfileOfAsync(machineId, ct)).IsImported;

    /// <summary>Simulates run-to-failure seed data for a machine and registers it once the file is complete.</summary>
    public async Task<SeedGenerationResponse> GenerateSeedDataAsync(string machineId, SeedRequest request, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var profile = await machines.ProfileOfAsync(machineId, ct);
        if (profile.IsImported)
            throw new WorkflowException($"{machineId} was imported: its seed data is the imported runs. Add runs with Import data (append), or train on what is there.");
        if (request.Samples is <= 0 || request.Runs is <= 0 || request.Samples > 5_000_000 || request.Runs > 100_000)
            throw new ArgumentException("samples must be between 1 and 5,000,000 and runs between 1 and 100,000.");
        // Each machine gets its own default seed (a fleet of identical profiles gets different units); the seed used is recorded.
        ulong seedValue = request.Seed ?? MachineSeeds.For(machineId, MachineSeeds.SeedData);
        var options = request.Samples is { } rows
            ? SeedOptions.ForRows(rows, seedValue)
            : SeedOptions.ForRuns(request.EffectiveRuns, seedValue);
        var datasetId = Guid.NewGuid();
        string file = Path.Combine(paths.MachineFolder(machineId), "seed", $"seed_{datasetId:N}.parquet");
        var reporter = progress is null ? null : new Progress<SeedProgress>(p =>
            progress.Report(p.TargetRuns is { } r ? 100.0 * p.Runs / r : 100.0 * p.Rows / Math.Max(1, p.TargetRows)));
        var result = await SeedDatasetWriter.WriteAsync(profile, options, file, reporter, ct);

        var record = new DatasetRecord
        {
            Id = datasetId,
            MachineId = machineId,
            DatasetType = "seed",
            FilePath = paths.Relative(result.FilePath),
            Samples = checked((int)result.Rows),
            Runs = result.Runs,
            SizeBytes = result.SizeBytes,
            Sha256 = await Hashing.FileSha256Async(result.FilePath, ct),
            Seed = (int)(options.Seed & int.MaxValue),
            ValidationPassed = result.Checks.Passed,
            ChecksJson = JsonSerializer.Serialize(result.Checks, ApiJson.Options),
            GenerationTimeSeconds = result.Seconds,
            GeneratedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Datasets.Add(record);
            await db.SaveChangesAsync(ct);
        }
        Record("seed", clock.Elapsed);
        logger.LogInformation("Seed data for {MachineId}: {Rows} rows, {Runs} runs in {Seconds:F2} s, checks {Passed}",
            machineId, result.Rows, result.Runs, result.Seconds, result.Checks.Passed ? "passed" : "FAILED");
        return new SeedGenerationResponse(machineId, datasetId, result.Rows, result.Runs, record.FilePath,
            Math.Round(result.SizeBytes / 1048576.0, 3), Math.Round(result.Seconds, 3), result.Checks.Passed,
            result.Checks.Failures.Where(c => c.Hard).Select(c => $"{c.Name}: {c.Detail}").ToList());
    }

    /// <summary>The newest seed dataset of a machine, or null.</summary>
    public async Task<DatasetRecord?> LatestSeedAsync(string machineId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().Where(d => d.MachineId == machineId && d.DatasetType == "seed")
            .OrderByDescending(d => d.GeneratedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Machine ids that have a profile (the plan's list_available_machines).</summary>
    public async Task<IReadOnlyList<string>> ListAvailableMachinesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Machines.OrderBy(m => m.MachineId).Select(m => m.MachineId).ToListAsync(ct);
    }

    public Api.CacheStatistics CacheStatistics() => models.Statistics();

    /// <summary>Unloads every cached model (the plan's clear_cache).</summary>
    public void ClearCache() => models.Clear();

    /// <summary>Operation counts and timings since start (the plan's get_statistics).</summary>
    public IReadOnlyDictionary<string, OperationStats> Statistics() => _stats.ToDictionary(kv => kv.Key, kv => kv.Value);

    private void Record(string operation, TimeSpan elapsed) =>
        _stats.AddOrUpdate(operation, _ => new OperationStats(1, elapsed.TotalSeconds, elapsed.TotalSeconds),
            (_, s) => new OperationStats(s.Count + 1, s.TotalSeconds + elapsed.TotalSeconds, elapsed.TotalSeconds));
}

/// <summary>How often an operation ran and how long it took.</summary>
public sealed record OperationStats(int Count, double TotalSeconds, double LastSeconds)
{
    public double MeanSeconds => Count == 0 ? 0 : TotalSeconds / Count;
}
