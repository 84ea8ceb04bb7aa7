using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Core.Import;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.RunTable;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;
using GanDashboard.Storage;
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
            Epochs = request.EpochsFor(table.RowCount),
            BatchSize = request.BatchSize,
            Seed = request.Seed ?? (long)MachineSeeds.For(machineId, MachineSeeds.Training),
            ValidationFraction = request.ValidationFraction,
            EarlyStoppingPatience = request.EarlyStoppingPatience,
            CheckpointEvery = 1,   // in memory every epoch (a copy of the weights); written to disk every request.CheckpointEvery
            Threads = training.Value.Threads,
        };

        var profile = await machines.ProfileOfAsync(machineId, ct);
        string mode = profile.IsImported ? ResolveImportedMode(request.Mode) : ResolveMode(request.Mode, table);
        string folder = paths.MachineFolder(machineId);
        string checkpointFile = Path.Combine(folder, "checkpoints", $"{context.Task.TaskId}.gdm");
        TrainedModel? latest = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new InlineProgress<EpochProgress>(p =>
        {
            context.ReportTraining(new TrainingProgress(p.Epoch, p.TotalEpochs, p.TrainLoss, p.ValidationLoss,
                p.Elapsed.TotalSeconds, p.Eta.TotalSeconds, 100.0 * p.Epoch / Math.Max(1, p.TotalEpochs)));
            if (context.PauseRequested) stop.Cancel();
        });
        void SaveCheckpoint(TrainedModel snapshot)
        {
            snapshot.SaveAsync(checkpointFile, CancellationToken.None).GetAwaiter().GetResult();
            context.SaveCheckpoint(paths.Relative(checkpointFile));
        }
        void OnCheckpoint(TrainedModel snapshot)
        {
            latest = snapshot;
            if (request.CheckpointEvery > 0 && snapshot.EpochsDone % request.CheckpointEvery == 0) SaveCheckpoint(snapshot);
        }

        TrainedModel model;
        try
        {
            string? resume = context.ResumeCheckpoint is { } r && File.Exists(paths.Full(r)) ? paths.Full(r) : null;
            // Reading a checkpoint is I/O and stays here; the epochs run on a thread of their own (TrainingThread).
            Func<TrainedModel> epochs;
            if (mode == "run_aware" && profile.IsImported)
            {
                // The user's own runs: a fixed share of the units is kept out of training, to judge the model on later.
                var (train, _, heldOut) = UnitHoldout.Split(table, unchecked((ulong)options.Seed));
                void Snapshot(RunTableSynthesizer m) => OnCheckpoint(TrainedModel.From(m));
                if (resume is not null)
                {
                    var from = await RunTableModelFile.LoadAsync(resume, stop.Token);
                    context.Report(100.0 * from.Model.EpochsDone / options.Epochs, $"Resuming at epoch {from.Model.EpochsDone}");
                    epochs = () => TrainedModel.From(from.Continue(train, options.Epochs, progress, Snapshot, stop.Token));
                }
                else
                {
                    context.Report(0, $"Fitting the run-table TVAE ({heldOut.Count} units held out to judge it)");
                    var runTableOptions = new RunTableOptions { Tvae = options, HeldOutRuns = heldOut };
                    epochs = () => TrainedModel.From(RunTableSynthesizer.Fit(train, profile, runTableOptions, progress, Snapshot, stop.Token));
                }
            }
            else if (mode == "run_aware")
            {
                var runAwareOptions = new RunAwareOptions { Tvae = options };
                void Snapshot(RunAwareSynthesizer m) => OnCheckpoint(TrainedModel.From(m));
                if (resume is not null)
                {
                    var from = await RunAwareModelFile.LoadAsync(resume, stop.Token);
                    context.Report(100.0 * from.Model.EpochsDone / options.Epochs, $"Resuming at epoch {from.Model.EpochsDone}");
                    epochs = () => TrainedModel.From(from.Continue(table, options.Epochs, progress, Snapshot, stop.Token));
                }
                else
                {
                    context.Report(0, "Fitting run skeletons and the conditional TVAE");
                    epochs = () => TrainedModel.From(RunAwareSynthesizer.Fit(table, profile, runAwareOptions, progress, Snapshot, stop.Token));
                }
            }
            else
            {
                void PlainSnapshot(TvaeSynthesizer m) => OnCheckpoint(TrainedModel.From(m));
                if (resume is not null)
                {
                    var from = await TvaeSynthesizer.LoadAsync(resume, stop.Token);
                    context.Report(100.0 * from.Model.EpochsDone / options.Epochs, $"Resuming at epoch {from.Model.EpochsDone}");
                    epochs = () => TrainedModel.From(from.Continue(table, options.Epochs, progress, PlainSnapshot, stop.Token));
                }
                else
                {
                    context.Report(0, "Fitting the data transformer");
                    epochs = () => TrainedModel.From(TvaeSynthesizer.Fit(table, [], options, progress, onCheckpoint: PlainSnapshot, cancellationToken: stop.Token));
                }
            }
            model = await TrainingThread.RunAsync($"training {context.Task.TaskId}", training.Value.Niceness, epochs);
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
        var record = await RegisterModelAsync(modelId, machineId, mode, modelFile, model.EpochsDone, model.History, clock.Elapsed.TotalSeconds, seed.Id, ct);
        if (File.Exists(checkpointFile)) File.Delete(checkpointFile);
        Record("train", clock.Elapsed);
        logger.LogInformation("Trained {MachineId} ({Mode}): {Epochs} epochs in {Seconds:F1} s, final loss {Loss}", machineId, mode, record.Epochs, record.TrainingTimeSeconds, record.FinalLoss);
        return new ModelSummary(record.Id, record.Mode, record.Epochs, record.FinalLoss, record.FinalValidationLoss, record.TrainingTimeSeconds, record.TrainedAt);
    }

    /// <summary><c>auto</c> picks run-aware when the seed data are runs; otherwise the plain TVAE.</summary>
    internal static string ResolveMode(string requested, Table table) => requested switch
    {
        "plain" => "plain",
        "run_aware" when RunAwareSynthesizer.Supports(table) => "run_aware",
        "run_aware" => throw new WorkflowException("Run-aware training needs seed data with runs (run_id, step, operating_mode, load_fraction, health_index, failure_mode)."),
        "auto" => RunAwareSynthesizer.Supports(table) ? "run_aware" : "plain",
        _ => throw new ArgumentException($"mode '{requested}' is unknown: use auto, run_aware or plain."),
    };

    /// <summary>An imported machine trains the run-table TVAE (its runs have no simulator columns) unless the plain TVAE is asked for.</summary>
    internal static string ResolveImportedMode(string requested) => requested switch
    {
        "plain" => "plain",
        "run_aware" or "auto" => "run_aware",
        _ => throw new ArgumentException($"mode '{requested}' is unknown: use auto, run_aware or plain."),
    };

    private async Task<ModelRecord> RegisterModelAsync(Guid modelId, string machineId, string mode, string modelFile, int epochs,
        IReadOnlyList<EpochRecord> history, double seconds, Guid seedId, CancellationToken ct)
    {
        var record = new ModelRecord
        {
            Id = modelId,
            MachineId = machineId,
            ModelPath = paths.Relative(modelFile),
            Mode = mode,
            Epochs = epochs,
            FinalLoss = history.Count > 0 ? history[^1].TrainLoss : null,
            FinalValidationLoss = history.Count > 0 ? history[^1].ValidationLoss : null,
            TrainingTimeSeconds = seconds,
            SizeBytes = new FileInfo(modelFile).Length,
            Sha256 = await Hashing.FileSha256Async(modelFile, ct),
            SeedDatasetId = seedId,
            HistoryJson = JsonSerializer.Serialize(history, ApiJson.Options),
            TrainedAt = DateTime.UtcNow,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Models.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>The newest model of a machine, loaded once and then served from the LRU cache.</summary>
    public async Task<(ModelRecord Record, LoadedModel Model)> LoadLatestModelAsync(string machineId, CancellationToken ct)
    {
        ModelRecord record;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            record = await db.Models.AsNoTracking().Where(m => m.MachineId == machineId).OrderByDescending(m => m.TrainedAt).FirstOrDefaultAsync(ct)
                ?? throw new WorkflowException($"Machine '{machineId}' has no trained model yet: train a TVAE before generating data.");
        }
        string file = paths.Full(record.ModelPath);
        var model = await models.GetOrLoadAsync(record.Id, async () => record.Mode == "run_aware"
            ? new LoadedModel(null, await RunModelFile.LoadAsync(file, ct))
            : new LoadedModel(await TvaeSynthesizer.LoadAsync(file, ct), null));
        return (record, model);
    }

    /// <summary>Reports inline, on the trainer's thread, so the event leaves within the epoch (Progress&lt;T&gt; would post it).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>Either kind of trained model, as the training loop handles it: save it, count its epochs, read its history.</summary>
internal sealed record TrainedModel(int EpochsDone, IReadOnlyList<EpochRecord> History, Func<string, CancellationToken, Task> Save)
{
    public Task SaveAsync(string path, CancellationToken ct) => Save(path, ct);

    public static TrainedModel From(TvaeSynthesizer m) => new(m.Model.EpochsDone, m.Model.History, m.SaveAsync);

    public static TrainedModel From(RunAwareSynthesizer m) => new(m.Model.EpochsDone, m.Model.History, (path, ct) => RunAwareModelFile.SaveAsync(m, path, ct));

    public static TrainedModel From(RunTableSynthesizer m) => new(m.Model.EpochsDone, m.Model.History, (path, ct) => RunTableModelFile.SaveAsync(m, path, ct));
}

/// <summary>A model in the cache: a plain TVAE or one that generates whole runs (all hold only managed arrays; nothing native to free).</summary>
public sealed class LoadedModel(TvaeSynthesizer? plain, IRunSynthesizer? runAware) : IDisposable
{
    public TvaeSynthesizer? Plain { get; } = plain;
    public IRunSynthesizer? RunAware { get; } = runAware;
    public void Dispose() { }
}

/// <summary>Training settings of this node (configuration section <c>GanDashboard:Training</c>).</summary>
public sealed record TrainingSettings
{
    public const string Section = "GanDashboard:Training";

    /// <summary>
    /// Threads that train one batch side by side. One on this node by default, unlike the trainer's own default of
    /// every core: on a 2-core machine the dashboard keeps a core for its requests and events while a training runs
    /// (API p99 target). A node that only trains can set 2 (about 1.7x faster when the machine is otherwise quiet).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Nice value of the training thread (Linux, 0-19; 0 = normal priority): above 0, requests get the CPU first when
    /// both want it. 0 by default: at 5, the browser journey's small training sat at STARTED past its 150 s timeout
    /// in two of three full test runs while the browser and the server were busy, and the p99 gain it bought was
    /// small (about 150 vs 168 ms in the bench that introduced it; most of the gain was the read-path work).
    /// </summary>
    public int Niceness { get; init; }
}
