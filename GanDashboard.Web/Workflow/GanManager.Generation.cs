using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Seeding;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.RunTable;
using GanDashboard.Core.Tables;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Workflow;

public sealed partial class GanManager
{
    private static readonly string[] Splits = ["train", "val", "test"];

    /// <summary>Samples Train/Val/Test splits from the machine's newest model and registers them once every file is complete.</summary>
    public async Task<SyntheticGenerationResponse> GenerateSyntheticDataAsync(string machineId, GenerateRequest request, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        int[] counts = [request.TrainSamples, request.ValSamples, request.TestSamples];
        if (counts.Any(c => c is < 1 or > 5_000_000)) throw new ArgumentException("train_samples, val_samples and test_samples must each be between 1 and 5,000,000.");
        if (request.TrainRuns is < 0 or > 100_000) throw new ArgumentException("train_runs must be between 0 and 100,000 (or left out: as many as the seed data has).");
        if (request.Format is not ("parquet" or "csv")) throw new ArgumentException($"format '{request.Format}' is unknown: use parquet or csv.");
        var (modelRecord, loaded) = await LoadLatestModelAsync(machineId, ct);
        long seed = request.Seed ?? (long)MachineSeeds.For(machineId, MachineSeeds.Generation);
        request = request with { Seed = seed };
        var generationId = Guid.NewGuid();
        string folder = Path.Combine(paths.MachineFolder(machineId), "datasets", generationId.ToString("N"));
        if (loaded.RunAware is { } runAware)
            return await GenerateRunsAsync(machineId, request, runAware, modelRecord, generationId, folder, progress, clock, ct);
        if (request.FailureModeShares is not null || request.OperatingModeShares is not null)
            throw new WorkflowException("Scenario shares need a run-aware model; this machine's model is a plain TVAE. Train again in run-aware mode.");
        var model = loaded.Plain!;
        var records = new List<DatasetRecord>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < Splits.Length; i++)
        {
            var split = await Task.Run(() => model.Sample(counts[i], seed + i, cancellationToken: ct), ct);
            string file = Path.Combine(folder, $"{Splits[i]}.{request.Format}");
            await TableFile.WriteAsync(split, file, ct);
            files[Splits[i]] = paths.Relative(file);
            records.Add(new DatasetRecord
            {
                Id = Guid.NewGuid(), MachineId = machineId, DatasetType = Splits[i], GenerationId = generationId, ModelId = modelRecord.Id,
                FilePath = paths.Relative(file), Samples = split.RowCount, SizeBytes = new FileInfo(file).Length,
                Sha256 = await Hashing.FileSha256Async(file, ct), Seed = (int)(seed & int.MaxValue),
                GenerationTimeSeconds = clock.Elapsed.TotalSeconds, GeneratedAt = DateTime.UtcNow,
            });
            progress?.Report(100.0 * (i + 1) / Splits.Length);
        }
        var manifest = new
        {
            model_id = modelRecord.Id, model_sha256 = modelRecord.Sha256, seed, generation_id = generationId,
            splits = records.ToDictionary(r => r.DatasetType, r => new { file = Path.GetFileName(r.FilePath), rows = r.Samples, sha256 = r.Sha256 }),
        };
        await TableFile.WriteAtomicallyAsync(Path.Combine(folder, "manifest.json"),
            s => JsonSerializer.SerializeAsync(s, manifest, new JsonSerializerOptions { WriteIndented = true }, ct), ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Datasets.AddRange(records);
            await db.SaveChangesAsync(ct);
        }
        Record("generate", clock.Elapsed);
        return new SyntheticGenerationResponse(machineId, generationId, records[0].Samples, records[1].Samples, records[2].Samples,
            records[0].Runs, records[1].Runs, records[2].Runs, files, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    /// <summary>Whole runs split by run (run-aware models): the generator writes the files and the manifest; we register them.</summary>
    private async Task<SyntheticGenerationResponse> GenerateRunsAsync(string machineId, GenerateRequest request, GanDashboard.Tvae.RunAware.IRunSynthesizer model,
        ModelRecord modelRecord, Guid generationId, string folder, IProgress<double>? progress, Stopwatch clock, CancellationToken ct)
    {
        var split = new GanDashboard.Core.Generation.SplitRequest
        {
            TrainRows = request.TrainSamples, ValRows = request.ValSamples, TestRows = request.TestSamples,
            MinTrainRuns = request.TrainRuns ?? model.Skeletons.SeedRuns,
            Seed = unchecked((ulong)request.Seed!.Value), Format = request.Format,
            FailureModeShares = request.FailureModeShares, OperatingModeShares = request.OperatingModeShares,
        };
        int step = 0;
        var result = await Task.Run(() => GanDashboard.Tvae.RunAware.RunAwareGenerator.GenerateSplitsAsync(model, split, folder,
            new InlineProgress<string>(_ => progress?.Report(Math.Min(95, 20 * ++step))), ct), ct);
        var records = new List<DatasetRecord>();
        foreach (var s in result.Splits)
        {
            records.Add(new DatasetRecord
            {
                Id = Guid.NewGuid(), MachineId = machineId, DatasetType = s.Name, GenerationId = generationId, ModelId = modelRecord.Id,
                FilePath = paths.Relative(Path.Combine(folder, s.File)), Samples = s.Rows, Runs = s.Runs, SizeBytes = s.SizeBytes,
                Sha256 = s.Sha256, Seed = (int)(split.Seed & int.MaxValue), GenerationTimeSeconds = result.TotalSeconds, GeneratedAt = DateTime.UtcNow,
            });
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Datasets.AddRange(records);
            await db.SaveChangesAsync(ct);
        }
        progress?.Report(100);
        Record("generate", clock.Elapsed);
        var files = records.ToDictionary(r => r.DatasetType, r => r.FilePath, StringComparer.Ordinal);
        return new SyntheticGenerationResponse(machineId, generationId, records[0].Samples, records[1].Samples, records[2].Samples,
            records[0].Runs, records[1].Runs, records[2].Runs, files, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    /// <summary>Judges a generation's train split against the seed data it came from and stores the report with it.</summary>
    public async Task<ValidationReportRecord> ValidateAsync(string machineId, ValidateRequest request, IProgress<string>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        DatasetRecord train;
        DatasetRecord seed;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var query = db.Datasets.AsNoTracking().Where(d => d.MachineId == machineId && d.DatasetType == "train");
            if (request.GenerationId is { } id) query = query.Where(d => d.GenerationId == id);
            train = await query.OrderByDescending(d => d.GeneratedAt).FirstOrDefaultAsync(ct)
                ?? throw new WorkflowException($"Machine '{machineId}' has no synthetic data{(request.GenerationId is null ? "" : " of that generation")}: generate a dataset first.");
            var model = train.ModelId is null ? null : await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == train.ModelId, ct);
            seed = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == model!.SeedDatasetId, ct)
                ?? await LatestSeedAsync(machineId, ct)
                ?? throw new WorkflowException($"The seed data behind machine '{machineId}' is gone; generate seed data and train again.");
        }
        var profile = await machines.ProfileOfAsync(machineId, ct);
        var real = await TableFile.ReadAsync(paths.Full(seed.FilePath), ct);
        var synthetic = await TableFile.ReadAsync(paths.Full(train.FilePath), ct);
        var options = new QualityOptions { Profile = profile, IncludeUsefulness = request.Usefulness };
        Table? unseen = null;
        if (profile.Import is { } import)
        {
            // The units the model never saw judge it; the rest is what it learnt from.
            options = options with { IdentifierColumns = RunTableSchema.IdentifiersOf(import) };
            if (train.ModelId is { } modelId && await HeldOutRunsAsync(modelId, ct) is { Count: > 0 } heldOut)
            {
                unseen = UnitHoldout.Runs(real, heldOut);
                real = UnitHoldout.Without(real, unseen);
            }
        }
        // A physics-seeded machine is judged on fresh runs simulated from its profile with an independent seed: runs the
        // generator never saw (the seed data's own runs were all used in training).
        else if (seed.DatasetType == "seed" && RunColumns.IsRunTable(real))
        {
            if (request.UnseenRuns is < 1 or > 10_000) throw new ArgumentException("unseen_runs must be between 1 and 10,000 (the report judges on 30 or more).");
            ulong unseenSeed = request.UnseenSeed ?? UnseenRuns.SeedFor(machineId);
            progress?.Report($"simulating {request.UnseenRuns} unseen runs");
            unseen = await Task.Run(() => UnseenRuns.Simulate(profile, request.UnseenRuns, unseenSeed, ct), ct);
        }
        var report = await Task.Run(() => QualityEvaluator.Evaluate(real, synthetic,
            options, unseen, progress: progress, ct: ct), ct);
        if (unseen is not null && profile.IsImported)
            report = report with { Data = report.Data with { HoldoutSource = $"{RunIndex.Of(unseen)?.Count ?? 0} real units held out of training" } };
        else if (unseen is not null)
            report = report with { Data = report.Data with { HoldoutSource = $"{request.UnseenRuns} runs simulated from the profile (seed {request.UnseenSeed ?? UnseenRuns.SeedFor(machineId)})" } };

        var record = new ValidationReportRecord
        {
            Id = Guid.NewGuid(), MachineId = machineId, GenerationId = train.GenerationId, Overall = report.Overall ?? 0,
            Passed = report.Passed, ReportJson = QualityJson.Serialize(report), CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ValidationReports.Add(record);
            foreach (var split in await db.Datasets.Where(d => d.GenerationId == train.GenerationId).ToListAsync(ct))
            {
                split.QualityScore = report.Overall;
                split.ValidationPassed = report.Passed;
            }
            await db.SaveChangesAsync(ct);
        }
        Record("validate", clock.Elapsed);
        return record;
    }

    /// <summary>The real units a run-table model was not trained on (none for other models).</summary>
    private async Task<IReadOnlyList<string>> HeldOutRunsAsync(Guid modelId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Models.AsNoTracking().SingleAsync(m => m.Id == modelId, ct);
        if (record.Mode != "run_aware") return [];
        var loaded = await models.GetOrLoadAsync(record.Id, async () => new LoadedModel(null, await RunModelFile.LoadAsync(paths.Full(record.ModelPath), ct)));
        return (loaded.RunAware as RunTableSynthesizer)?.Spec.HeldOutRuns ?? [];
    }

    /// <summary>The newest stored report of a machine, or null.</summary>
    public async Task<ValidationReportRecord?> LatestReportAsync(string machineId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ValidationReports.AsNoTracking().Where(r => r.MachineId == machineId).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
    }
}
