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
    private const ulong InitStream = 1, SplitStream = 2, TrainStream = 3, ValidationStream = 4, NoiseStream = 5;

    /// <summary>
    /// The most rows of a batch computed as one piece. A batch is cut into equal chunks of at most this many rows
    /// that run side by side and whose gradients are summed in chunk order, so a 500-row batch is two chunks of
    /// 250 whatever the thread count: the thread count changes the speed, never the weights.
    /// </summary>
    internal const int ChunkRows = 256;

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

        var (trainRows, validationRows) = Split(rows, options);
        var columns = InputColumns.Of(data, dataDim, options.ConditionDim, Enumerable.Range(0, rows), loss.SoftmaxSpans);
        var train = new TrainingData(data, conditions, trainRows, dataDim, options.ConditionDim, columns, loss);
        var validation = validationRows.Length > 0
            ? new TrainingData(data, conditions, validationRows, dataDim, options.ConditionDim, columns, loss)
            : null;

        var initial = resumeFrom?.Parameters ?? layout.Initialise(TvaeRandom.ForStream(options.Seed, InitStream));
        using var network = new TvaeNetwork(layout, initial);
        using var workers = new ChunkWorkers(Math.Min(options.Threads, Chunks(options.BatchSize).Length));
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
                int count = Math.Min(options.BatchSize, train.Count - start);
                lossSum += TrainStep(network, workers, loss, train, order.AsMemory(start, count), optimiser, options, factor) * count;
                steps++;
            }
            double? validationLoss = validation is null ? null : Evaluate(network, workers, loss, validation, options, epoch, factor);
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

    private static unsafe double TrainStep(TvaeNetwork network, ChunkWorkers workers, TvaeLoss loss, TrainingData train, ReadOnlyMemory<int> batch, FlatAdam optimiser, TvaeOptions options, float factor)
    {
        var chunks = ChunkWorkspaces(network, batch.Length);
        var losses = new double[chunks.Length];
        long step = optimiser.Steps;
        workers.Run(chunks.Length, c =>
        {
            var (ws, first) = chunks[c];
            train.Gather(batch.Span.Slice(first, ws.Rows), ws, options.EmbeddingDim);
            Noise(options.Seed, NoiseStream, step, c).FillNormal(ws.EpsSpan);
            losses[c] = ComputeGradients(network, loss, ws, factor, batch.Length);
        });

        // Sum the chunks' gradients (in chunk order) and take the Adam step, the parameters split between the threads.
        optimiser.BeginStep();
        var parts = Parts(network.Layout.Count, workers.Threads);
        workers.Run(parts.Length, p =>
        {
            var (first, count) = parts[p];
            float* gradients = chunks[0].Workspace.G + first;
            for (int c = 1; c < chunks.Length; c++) Kernels.AddInto(gradients, chunks[c].Workspace.G + first, count);
            optimiser.Update(network, gradients, first, count, options.LearningRate, options.L2Scale);
        });
        Kernels.Clamp(network.Sigma, network.Layout.Architecture.DataDim, 0.01f, 1f);
        return losses.Sum();
    }

    /// <summary>
    /// The reparameterisation noise of one chunk: its own stream, named by the step (or epoch) and the chunk, so
    /// chunks draw side by side, the thread count never changes the draws, and a resumed fit draws the same.
    /// </summary>
    private static TvaeRandom Noise(long seed, ulong stream, long sequence, int chunk) =>
        TvaeRandom.ForStream(seed, stream, ((ulong)sequence << 24) + (ulong)chunk);

    /// <summary>One workspace per chunk of a batch, made on the calling thread (the workspace table is not shared).</summary>
    private static (Workspace Workspace, int First)[] ChunkWorkspaces(TvaeNetwork network, int rows)
    {
        var chunks = Chunks(rows);
        var result = new (Workspace, int)[chunks.Length];
        for (int c = 0; c < chunks.Length; c++) result[c] = (network.WorkspaceFor(chunks[c].Rows, c), chunks[c].First);
        return result;
    }

    /// <summary>[0, count) in up to <paramref name="parts"/> consecutive ranges whose starts are multiples of 64 values.</summary>
    internal static (int First, int Count)[] Parts(int count, int parts)
    {
        int size = ((count + parts - 1) / parts + 63) / 64 * 64;
        var result = new List<(int, int)>();
        for (int first = 0; first < count; first += size) result.Add((first, Math.Min(size, count - first)));
        return [.. result];
    }

    /// <summary>A batch of <paramref name="rows"/> rows cut into equal consecutive chunks of at most <see cref="ChunkRows"/>.</summary>
    internal static (int First, int Rows)[] Chunks(int rows)
    {
        int count = Math.Max(1, (rows + ChunkRows - 1) / ChunkRows);
        var chunks = new (int, int)[count];
        for (int c = 0, first = 0; c < count; c++)
        {
            int size = rows / count + (c < rows % count ? 1 : 0);
            chunks[c] = (first, size);
            first += size;
        }
        return chunks;
    }

    /// <summary>
    /// Forward, loss (reconstruction * factor / n + KL / n, as the reference, with n the whole batch's rows, by
    /// default the workspace's) and every gradient into the workspace's gradient buffer. The workspace's input,
    /// targets and noise are filled. Returns this chunk's share of the batch loss.
    /// </summary>
    internal static unsafe double ComputeGradients(TvaeNetwork network, TvaeLoss loss, Workspace ws, float factor, int? batchRows = null)
    {
        int n = ws.Rows, batch = batchRows ?? n;
        double kl = network.Forward(ws);
        var targets = ws.Targets ?? throw new InvalidOperationException("The workspace's loss targets were not filled.");
        double reconstruction = loss.Compute(ws.Output.Ptr, targets.TanhPtr, targets.ClassesPtr, network.Sigma, n, factor / batch, ws.OutputGradient.Ptr, ws.G + network.Layout.SigmaOffset);
        network.Backward(ws, batch);
        return (reconstruction * factor + kl) / batch;
    }

    /// <summary>The training loss on held-out rows (noise from per-epoch streams, so it never shifts training).</summary>
    private static unsafe double Evaluate(TvaeNetwork network, ChunkWorkers workers, TvaeLoss loss, TrainingData validation, TvaeOptions options, int epoch, float factor)
    {
        var rows = Enumerable.Range(0, validation.Count).ToArray();
        double total = 0;
        int chunksBefore = 0;
        for (int start = 0; start < validation.Count; start += options.BatchSize)
        {
            var batch = rows.AsMemory(start, Math.Min(options.BatchSize, validation.Count - start));
            var chunks = ChunkWorkspaces(network, batch.Length);
            var sums = new double[chunks.Length];
            int offset = chunksBefore;
            workers.Run(chunks.Length, c =>
            {
                var (ws, first) = chunks[c];
                validation.Gather(batch.Span.Slice(first, ws.Rows), ws, options.EmbeddingDim);
                Noise(options.Seed, ValidationStream, epoch, offset + c).FillNormal(ws.EpsSpan);
                double kl = network.Forward(ws);
                fixed (float* sigmaScratch = ws.SigmaGradientScratch)
                {
                    sums[c] = loss.Evaluate(ws.Output.Ptr, ws.Targets!.TanhPtr, ws.Targets.ClassesPtr, network.Sigma, ws.Rows, ws.OutputGradient.Ptr, sigmaScratch) * factor + kl;
                }
            });
            chunksBefore += chunks.Length;
            total += sums.Sum();
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
