using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;
using GanDashboard.Web.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Workflow;

public sealed partial class GanManager
{
    /// <summary>
    /// Trains a TVAE on the machine's newest seed data. Progress goes out every epoch; a pause request or a
    /// shutdown saves the last finished epoch as a checkpoint model file, from which the task continues exactly.
    /// </summary>
    public async Task<ModelSummary> TrainAsync(string machineId, TrainRequest request, TaskContext context)
    {
        var ct = context.Cancellation;
        var clock = Stopwatch.StartNew();
        if (request.Epochs is < 1 or > 10_000) throw new ArgumentException("epochs must be between 1 and 10,000.");
        if (request.BatchSize is < 1 or > 100_000) throw new ArgumentException("batch_size must be between 1 and 100,000.");
        var seed = await LatestSeedAsync(machineId, ct)
            ?? throw new WorkflowException($"Machine '{machineId}' has no seed data yet: generate seed data before training.");
        context.Report(0, "Reading seed data");
        var table = await TableFile.ReadAsync(paths.Full(seed.FilePath), ct);
        var options = new TvaeOptions
        {
            Epochs = request.Epochs,
            BatchSize = request.BatchSize,
            Seed = request.Seed ?? 42,
            ValidationFraction = request.ValidationFraction,
            EarlyStoppingPatience = request.EarlyStoppingPatience,
            CheckpointEvery = 1,   // in memory every epoch (a copy of the weights); written to disk every request.CheckpointEvery
            Threads = training.Value.Threads,
        };

        string folder = paths.MachineFolder(machineId);
        string checkpointFile = Path.Combine(folder, "checkpoints", $"{context.Task.TaskId}.gdm");
        TvaeSynthesizer? latest = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new InlineProgress<EpochProgress>(p =>
        {
            context.ReportTraining(new TrainingProgress(p.Epoch, p.TotalEpochs, p.TrainLoss, p.ValidationLoss,
                p.Elapsed.TotalSeconds, p.Eta.TotalSeconds, 100.0 * p.Epoch / Math.Max(1, p.TotalEpochs)));
            if (context.PauseRequested) stop.Cancel();
        });
        void OnCheckpoint(TvaeSynthesizer snapshot)
        {
            latest = snapshot;
            int epoch = snapshot.Model.EpochsDone;
            if (request.CheckpointEvery > 0 && epoch % request.CheckpointEvery == 0) SaveCheckpoint(snapshot);
        }
        void SaveCheckpoint(TvaeSynthesizer snapshot)
        {
            snapshot.SaveAsync(checkpointFile, CancellationToken.None).GetAwaiter().GetResult();
            context.SaveCheckpoint(paths.Relative(checkpointFile));
        }

        TvaeSynthesizer model;
        try
        {
            model = await Task.Run(async () =>
            {
                if (context.ResumeCheckpoint is { } resume && File.Exists(paths.Full(resume)))
                {
                    var from = await TvaeSynthesizer.LoadAsync(paths.Full(resume), stop.Token);
                    context.Report(100.0 * from.Model.EpochsDone / options.Epochs, $"Resuming at epoch {from.Model.EpochsDone}");
                    return from.Continue(table, options.Epochs, progress, OnCheckpoint, stop.Token);
                }
                context.Report(0, "Fitting the data transformer");
                return TvaeSynthesizer.Fit(table, [], options, progress, onCheckpoint: OnCheckpoint, cancellationToken: stop.Token);
            }, CancellationToken.None);
        }
        catch (OperationCanceledException) when (latest is not null && (context.PauseRequested || lifetime.ApplicationStopping.IsCancellationRequested))
        {
            SaveCheckpoint(latest);
            if (context.PauseRequested) throw new TaskPausedException(paths.Relative(checkpointFile));
            throw;
        }

        var modelId = Guid.NewGuid();
        string modelFile = Path.Combine(folder, "models", $"model_{modelId:N}.gdm");
        await model.SaveAsync(modelFile, ct);
        var history = model.Manifest.Training.History;
        var record = new ModelRecord
        {
            Id = modelId,
            MachineId = machineId,
            ModelPath = paths.Relative(modelFile),
            Mode = "plain",
            Epochs = model.Model.EpochsDone,
            FinalLoss = history.Count > 0 ? history[^1].TrainLoss : null,
            FinalValidationLoss = history.Count > 0 ? history[^1].ValidationLoss : null,
            TrainingTimeSeconds = model.Timings.TotalSeconds,
            SizeBytes = new FileInfo(modelFile).Length,
            Sha256 = await Hashing.FileSha256Async(modelFile, ct),
            SeedDatasetId = seed.Id,
            HistoryJson = JsonSerializer.Serialize(history, ApiJson.Options),
            TrainedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Models.Add(record);
            await db.SaveChangesAsync(ct);
        }
        if (File.Exists(checkpointFile)) File.Delete(checkpointFile);
        Record("train", clock.Elapsed);
        logger.LogInformation("Trained {MachineId}: {Epochs} epochs in {Seconds:F1} s, final loss {Loss}", machineId, record.Epochs, record.TrainingTimeSeconds, record.FinalLoss);
        return new ModelSummary(record.Id, record.Mode, record.Epochs, record.FinalLoss, record.FinalValidationLoss, record.TrainingTimeSeconds, record.TrainedAt);
    }

    /// <summary>The newest model of a machine, loaded once and then served from the LRU cache.</summary>
    public async Task<(ModelRecord Record, TvaeSynthesizer Model)> LoadLatestModelAsync(string machineId, CancellationToken ct)
    {
        ModelRecord record;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            record = await db.Models.AsNoTracking().Where(m => m.MachineId == machineId).OrderByDescending(m => m.TrainedAt).FirstOrDefaultAsync(ct)
                ?? throw new WorkflowException($"Machine '{machineId}' has no trained model yet: train a TVAE before generating data.");
        }
        var model = await models.GetOrLoadAsync(record.Id, async () => new LoadedModel(await TvaeSynthesizer.LoadAsync(paths.Full(record.ModelPath), ct)));
        return (record, model.Synthesizer);
    }

    /// <summary>Reports inline, on the trainer's thread, so the event leaves within the epoch (Progress&lt;T&gt; would post it).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>A model in the cache (the synthesizer holds only managed arrays; nothing native to free).</summary>
public sealed class LoadedModel(TvaeSynthesizer synthesizer) : IDisposable
{
    public TvaeSynthesizer Synthesizer { get; } = synthesizer;
    public void Dispose() { }
}

/// <summary>Training settings of this node (configuration section <c>GanDashboard:Training</c>).</summary>
public sealed record TrainingSettings
{
    public const string Section = "GanDashboard:Training";

    /// <summary>Threads of the TVAE's matrix products; 2 measured fastest on the 2-core reference machine (README).</summary>
    public int Threads { get; init; } = 2;
}
