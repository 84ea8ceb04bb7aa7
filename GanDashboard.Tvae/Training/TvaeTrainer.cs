using System.Diagnostics;
using GanDashboard.Tvae.Transform;
using TorchSharp;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// Trains the TVAE as sdv-dev/CTGAN's <c>TVAE.fit</c> does (Adam, reshuffle every epoch, last short batch
/// kept, sigma clamped to [0.01, 1] after every step), with a held-out validation loss, early stopping,
/// checkpoints and exact resume on top.
/// </summary>
public static class TvaeTrainer
{
    // Independent random streams derived from the seed, so that resuming replays nothing but the training stream.
    private const ulong InitStream = 1, SplitStream = 2, TrainStream = 3, ValidationStream = 4;

    /// <param name="data">Transformed rows, row-major <c>[rows, sum of span widths]</c>.</param>
    /// <param name="conditions">Row-major <c>[rows, options.ConditionDim]</c> condition vectors; null when ConditionDim is 0.</param>
    /// <param name="resumeFrom">A checkpoint (or finished model) of the same data and options to continue from.</param>
    /// <param name="onCheckpoint">Receives a checkpoint every <see cref="TvaeOptions.CheckpointEvery"/> epochs.</param>
    public static TvaeFitResult Fit(
        float[] data,
        int rows,
        IReadOnlyList<SpanInfo> spans,
        TvaeOptions options,
        IProgress<EpochProgress>? progress = null,
        TvaeCheckpoint? resumeFrom = null,
        Action<TvaeCheckpoint>? onCheckpoint = null,
        float[]? conditions = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        RequireCpu(options.Device);
        var loss = new TvaeLoss(spans);
        int dataDim = loss.DataDim;
        if (rows <= 0 || data.Length != (long)rows * dataDim)
            throw new ArgumentException($"Expected {rows} rows of {dataDim} values ({(long)rows * dataDim}), got {data.Length}.", nameof(data));
        if (options.ConditionDim > 0 && (conditions is null || conditions.Length != (long)rows * options.ConditionDim))
            throw new ArgumentException($"Expected {rows} condition vectors of {options.ConditionDim} values.", nameof(conditions));

        var architecture = TvaeArchitecture.From(dataDim, options);
        var layout = new ParameterLayout(architecture);
        if (resumeFrom is not null) CheckResumable(resumeFrom, architecture, options);

        torch.set_num_threads(options.Threads);
        var (trainRows, validationRows) = Split(rows, options);
        var train = new TrainingData(data, conditions, trainRows, dataDim, options.ConditionDim, loss.SoftmaxSpans);
        var validation = validationRows.Length > 0
            ? new TrainingData(data, conditions, validationRows, dataDim, options.ConditionDim, loss.SoftmaxSpans)
            : null;

        var initial = resumeFrom?.Parameters ?? layout.Initialise(TvaeRandom.ForStream(options.Seed, InitStream));
        using var network = new TvaeNetwork(layout, initial);
        var optimiser = new FlatAdam(layout.Count, resumeFrom);
        var random = resumeFrom is null ? TvaeRandom.ForStream(options.Seed, TrainStream) : TvaeRandom.FromState(resumeFrom.RandomState);
        var history = new List<EpochRecord>(resumeFrom?.History ?? []);
        int startEpoch = resumeFrom?.EpochsDone ?? 0;

        var order = Enumerable.Range(0, train.Count).ToArray();
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        float factor = (float)options.LossFactor;
        var clock = Stopwatch.StartNew();
        int steps = 0;
        bool stoppedEarly = false;
        int epoch = startEpoch;
        TvaeCheckpoint Snapshot() => new(architecture, options.Seed, epoch, network.Parameters.ToArray(), [.. optimiser.FirstMoment], [.. optimiser.SecondMoment], optimiser.Steps, random.State, history.ToArray());

        while (epoch < options.Epochs)
        {
            double epochStart = clock.Elapsed.TotalSeconds;
            // Shuffle a fresh identity so an epoch's order depends only on the generator's state (exact resume).
            for (int i = 0; i < order.Length; i++) order[i] = i;
            random.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, train.Count - start));
                lossSum += TrainStep(network, loss, train, batch, random, optimiser, options, factor) * batch.Length;
                steps++;
            }
            double? validationLoss = validation is null ? null : Evaluate(network, loss, validation, options, epoch, factor);
            epoch++;
            history.Add(new EpochRecord(epoch, lossSum / train.Count, validationLoss, clock.Elapsed.TotalSeconds - epochStart));

            var elapsed = clock.Elapsed;
            var eta = elapsed / (epoch - startEpoch) * (options.Epochs - epoch);
            progress?.Report(new EpochProgress(epoch, options.Epochs, batches, lossSum / train.Count, validationLoss, elapsed, eta));
            if (options.CheckpointEvery is > 0 and var every && epoch % every == 0 && epoch < options.Epochs) onCheckpoint?.Invoke(Snapshot());
            if (ShouldStop(history, options.EarlyStoppingPatience)) { stoppedEarly = true; break; }
        }
        return new TvaeFitResult(Snapshot(), stoppedEarly, steps, clock.Elapsed);
    }

    private static unsafe double TrainStep(TvaeNetwork network, TvaeLoss loss, TrainingData train, ReadOnlySpan<int> batch, TvaeRandom random, FlatAdam optimiser, TvaeOptions options, float factor)
    {
        using var scope = torch.NewDisposeScope();
        var ws = network.WorkspaceFor(batch.Length);
        int n = batch.Length;
        float* target = train.Gather(batch, ws, options.EmbeddingDim);
        random.FillNormal(ws.EpsSpan);
        double stepLoss = ComputeGradients(network, loss, ws, target, factor);
        optimiser.Step(network, options.LearningRate, options.L2Scale);
        Kernels.Clamp(network.Sigma, network.Layout.Architecture.DataDim, 0.01f, 1f);
        return stepLoss;
    }

    /// <summary>
    /// Forward, loss (reconstruction * factor / n + KL / n, as the reference) and every gradient into the
    /// network's gradient buffer. The workspace's input and noise are filled; null targets mean the input's data rows.
    /// </summary>
    internal static unsafe double ComputeGradients(TvaeNetwork network, TvaeLoss loss, Workspace ws, float* target, float factor)
    {
        int n = ws.Rows;
        if (target == null) target = ws.Input.Ptr;
        double kl = network.Forward(ws);
        double reconstruction = loss.Compute(ws.Output.Ptr, target, network.Sigma, n, factor / n, ws.OutputGradient.Ptr, network.G + network.Layout.SigmaOffset);
        network.Backward(ws);
        return (reconstruction * factor + kl) / n;
    }

    internal static unsafe double ComputeGradients(TvaeNetwork network, TvaeLoss loss, Workspace ws, float factor) =>
        ComputeGradients(network, loss, ws, null, factor);

    /// <summary>The training loss on held-out rows (noise from a per-epoch stream, so it never shifts training).</summary>
    private static unsafe double Evaluate(TvaeNetwork network, TvaeLoss loss, TrainingData validation, TvaeOptions options, int epoch, float factor)
    {
        var random = TvaeRandom.ForStream(options.Seed, ValidationStream, (ulong)epoch);
        var rows = Enumerable.Range(0, validation.Count).ToArray();
        double total = 0;
        for (int start = 0; start < validation.Count; start += options.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var batch = rows.AsSpan(start, Math.Min(options.BatchSize, validation.Count - start));
            int n = batch.Length;
            var ws = network.WorkspaceFor(n);
            float* target = validation.Gather(batch, ws, options.EmbeddingDim);
            random.FillNormal(ws.EpsSpan);
            double kl = network.Forward(ws);
            fixed (float* sigmaScratch = ws.SigmaGradientScratch)
            {
                double reconstruction = loss.Evaluate(ws.Output.Ptr, target, network.Sigma, n, ws.OutputGradient.Ptr, sigmaScratch);
                total += reconstruction * factor + kl;
            }
        }
        return total / validation.Count;
    }

    private static bool ShouldStop(List<EpochRecord> history, int? patience)
    {
        if (patience is not { } wait || history.Count == 0 || history[^1].ValidationLoss is null) return false;
        int best = 0;
        for (int i = 1; i < history.Count; i++)
        {
            if (history[i].ValidationLoss < history[best].ValidationLoss) best = i;
        }
        return history.Count - 1 - best >= wait;
    }

    /// <summary>Held-out rows: a seeded random share of the rows, both sides kept in their original order.</summary>
    private static (int[] Train, int[] Validation) Split(int rows, TvaeOptions options)
    {
        int held = (int)Math.Round(rows * options.ValidationFraction);
        if (held == 0) return (Enumerable.Range(0, rows).ToArray(), []);
        if (held >= rows) throw new ArgumentException($"A validation fraction of {options.ValidationFraction} leaves no training rows out of {rows}.", nameof(options));
        var all = Enumerable.Range(0, rows).ToArray();
        TvaeRandom.ForStream(options.Seed, SplitStream).Shuffle(all);
        var validation = all[..held];
        var train = all[held..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }

    private static void CheckResumable(TvaeCheckpoint checkpoint, TvaeArchitecture architecture, TvaeOptions options)
    {
        if (!checkpoint.Architecture.SameAs(architecture))
            throw new ArgumentException("The checkpoint was made for a different network shape or data width.", nameof(checkpoint));
        if (checkpoint.Seed != options.Seed)
            throw new ArgumentException($"The checkpoint was made with seed {checkpoint.Seed}, not {options.Seed}; resuming needs the same seed.", nameof(checkpoint));
        if (checkpoint.EpochsDone > options.Epochs)
            throw new ArgumentException($"The checkpoint has {checkpoint.EpochsDone} epochs already, more than the {options.Epochs} asked for.", nameof(checkpoint));
    }

    internal static void RequireCpu(string device)
    {
        if (device == "cpu") return;
        if (!torch.cuda.is_available())
            throw new InvalidOperationException("Device \"cuda\" was asked for but CUDA is not available on this machine (this build ships the CPU libtorch). Use \"cpu\".");
        throw new NotSupportedException("The fused TVAE trainer runs on the CPU: its cost is per-operation overhead, which a GPU does not remove (measured: the reference is no faster on an H200). Use \"cpu\".");
    }
}
