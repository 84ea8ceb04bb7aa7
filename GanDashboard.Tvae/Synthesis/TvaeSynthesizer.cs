using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Sampling;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;
using TorchSharp;

namespace GanDashboard.Tvae.Synthesis;

/// <summary>
/// sdv-dev/CTGAN's <c>TVAE</c> end to end: <see cref="Fit"/> = transformer fit + transform + training,
/// <see cref="Sample"/> = decoder samples + inverse transform; <see cref="SaveAsync"/>/<see cref="LoadAsync"/>
/// for the model file.
/// </summary>
public sealed class TvaeSynthesizer
{
    private TvaeSynthesizer(DataTransformer transformer, TvaeCheckpoint model, ModelManifest manifest)
    {
        Transformer = transformer;
        Model = model;
        Manifest = manifest;
    }

    public DataTransformer Transformer { get; }
    public TvaeCheckpoint Model { get; }
    public ModelManifest Manifest { get; }
    public TvaeOptions Options => Manifest.Options;
    public FitTimings Timings => Manifest.Training.Timings;

    public static TvaeSynthesizer Fit(
        Table table,
        IReadOnlyCollection<string> discreteColumns,
        TvaeOptions options,
        IProgress<EpochProgress>? progress = null,
        TransformerOptions? transformerOptions = null,
        Action<TvaeSynthesizer>? onCheckpoint = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        TvaeTrainer.RequireCpu(options.Device);
        var clock = Stopwatch.StartNew();
        // Loading libtorch takes about 0.4 s and the transformer needs none of it: load it meanwhile.
        var libtorchLoaded = Task.Run(() => torch.InitializeDeviceType(DeviceType.CPU), cancellationToken);
        int seed = TransformerSeed(options.Seed);
        var transformer = DataTransformer.Fit(table, discreteColumns, transformerOptions ?? new TransformerOptions(), seed);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();
        var data = transformer.Transform(table, seed);
        double transformSeconds = clock.Elapsed.TotalSeconds - fitSeconds;
        libtorchLoaded.GetAwaiter().GetResult();
        var result = TvaeTrainer.Fit(data, table.RowCount, transformer.OutputSpans, options, progress,
            onCheckpoint: Checkpointer(onCheckpoint, table, discreteColumns, transformer, options, data, clock, new FitTimings(fitSeconds, transformSeconds, 0, 0)),
            cancellationToken: cancellationToken);
        var timings = new FitTimings(fitSeconds, transformSeconds, result.TrainingTime.TotalSeconds, clock.Elapsed.TotalSeconds);
        var manifest = MakeManifest(table, discreteColumns, transformer, options, data, result, timings);
        return new TvaeSynthesizer(transformer, result.Model, manifest);
    }

    /// <summary>
    /// Trains further (to <paramref name="totalEpochs"/> in all) on the same table, exactly as if the first fit had
    /// asked for that many epochs. The table must be the one the model was fitted on (checked by hash).
    /// </summary>
    public TvaeSynthesizer Continue(Table table, int totalEpochs, IProgress<EpochProgress>? progress = null,
        Action<TvaeSynthesizer>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        var options = Options with { Epochs = totalEpochs };
        var clock = Stopwatch.StartNew();
        var data = Transformer.Transform(table, TransformerSeed(options.Seed));
        if (Hash(data) != Manifest.DataSha256) throw new ArgumentException("This is not the table the model was fitted on (its transformed data differ).", nameof(table));
        var old = Timings;
        var result = TvaeTrainer.Fit(data, table.RowCount, Transformer.OutputSpans, options, progress, resumeFrom: Model,
            onCheckpoint: Checkpointer(onCheckpoint, table, Manifest.DiscreteColumns, Transformer, options, data, clock, old),
            cancellationToken: cancellationToken);
        var timings = new FitTimings(old.TransformerFitSeconds, old.TransformSeconds + clock.Elapsed.TotalSeconds - result.TrainingTime.TotalSeconds,
            old.TrainingSeconds + result.TrainingTime.TotalSeconds, old.TotalSeconds + clock.Elapsed.TotalSeconds);
        var manifest = MakeManifest(table, Manifest.DiscreteColumns, Transformer, options, data, result, timings);
        return new TvaeSynthesizer(Transformer, result.Model, manifest);
    }

    /// <summary>
    /// Synthetic rows: decoder samples, then the transformer's inverse (sigma noise on continuous values, argmax
    /// elsewhere). Uses the fit's thread count unless told otherwise (libtorch's default, every core, was 5x slower
    /// on the busy shared machine).
    /// </summary>
    public Table Sample(int rows, long seed, int? threads = null, CancellationToken cancellationToken = default)
    {
        torch.set_num_threads(threads ?? Options.Threads);
        var sample = TvaeSampler.Sample(Model, rows, seed, cancellationToken: cancellationToken);
        return Transformer.InverseTransform(sample.Data, rows, sample.Sigmas, TransformerSeed(seed));
    }

    public Task SaveAsync(string path, CancellationToken ct = default) => ModelFile.SaveAsync(path, Manifest, Model, ct);

    public static async Task<TvaeSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        var (manifest, model) = await ModelFile.LoadAsync(path, ct);
        DataTransformer transformer;
        try
        {
            transformer = DataTransformer.FromState(manifest.Transformer);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new ModelFileException($"{path}: the transformer state cannot be restored: {e.Message}", e);
        }
        if (transformer.OutputDimensions != model.Architecture.DataDim)
            throw new ModelFileException($"{path}: the transformer emits {transformer.OutputDimensions} columns but the network expects {model.Architecture.DataDim}.");
        return new TvaeSynthesizer(transformer, model, manifest);
    }

    private static ModelManifest MakeManifest(Table table, IReadOnlyCollection<string> discreteColumns, DataTransformer transformer, TvaeOptions options, float[] data, TvaeFitResult result, FitTimings timings)
    {
        var model = result.Model;
        var training = new TrainingSummary(model.EpochsDone, result.StoppedEarly, model.AdamSteps, model.RandomState, model.History, timings, result.MillisecondsPerStep);
        return new ModelManifest(
            ModelManifest.FormatName, ModelManifest.CurrentFormatVersion, DateTime.UtcNow, PackageVersions(), options.Seed, Hash(data), table.RowCount,
            [.. table.Columns.Select(c => new ColumnSpec(c.Name, c.Kind, c.IsInteger))], [.. discreteColumns],
            transformer.ToState(), options, model.Architecture, training, WeightsSha256: "");
    }

    /// <summary>
    /// Wraps the trainer's raw checkpoints as synthesizers, so a checkpoint saves and loads like a finished model
    /// (a paused training continues with <see cref="Continue"/>).
    /// </summary>
    private static Action<TvaeCheckpoint>? Checkpointer(Action<TvaeSynthesizer>? onCheckpoint, Table table, IReadOnlyCollection<string> discreteColumns,
        DataTransformer transformer, TvaeOptions options, float[] data, Stopwatch clock, FitTimings before)
    {
        if (onCheckpoint is null) return null;
        return checkpoint =>
        {
            var elapsed = clock.Elapsed;
            var timings = before with { TrainingSeconds = before.TrainingSeconds + elapsed.TotalSeconds, TotalSeconds = before.TotalSeconds + elapsed.TotalSeconds };
            var partial = new TvaeFitResult(checkpoint, false, (int)checkpoint.AdamSteps, elapsed);
            onCheckpoint(new TvaeSynthesizer(transformer, checkpoint, MakeManifest(table, discreteColumns, transformer, options, data, partial, timings)));
        };
    }

    private static IReadOnlyDictionary<string, string> PackageVersions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["gandashboard"] = typeof(TvaeSynthesizer).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["dotnet"] = Environment.Version.ToString(),
    };

    private static string Hash(float[] data) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(data.AsSpan())));

    /// <summary>The transformer takes an int seed; fold the 64-bit seed into one.</summary>
    private static int TransformerSeed(long seed) => unchecked((int)seed ^ (int)(seed >> 32));
}
