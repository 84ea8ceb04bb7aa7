namespace GanDashboard.Tvae.Training;

/// <summary>
/// Settings of a TVAE fit. The defaults are sdv-dev/CTGAN's <c>TVAE</c> defaults, plus what users of the
/// reference ask for: a held-out validation loss, early stopping, checkpoints and a thread setting.
/// </summary>
public sealed record TvaeOptions
{
    public int EmbeddingDim { get; init; } = 128;
    public IReadOnlyList<int> CompressDims { get; init; } = [128, 128];
    public IReadOnlyList<int> DecompressDims { get; init; } = [128, 128];
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam weight decay as torch.optim.Adam applies it: added to the gradient (not AdamW).</summary>
    public double L2Scale { get; init; } = 1e-5;
    public int BatchSize { get; init; } = 500;
    public int Epochs { get; init; } = 300;
    public double LossFactor { get; init; } = 2;
    /// <summary>Share of rows held out for the per-epoch validation loss; 0 trains on every row as the reference does.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Stop after this many epochs without a better validation loss; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Hand out a checkpoint every this many epochs; null or 0 never does.</summary>
    public int? CheckpointEvery { get; init; }
    /// <summary>
    /// Threads that compute the chunks of a batch side by side (each with one libtorch thread); more threads than
    /// chunks (a 500-row batch is two) are not used, and the count never changes the weights. Every core by
    /// default, by measurement on the 2-core machine (sensors-10k, 300 epochs): two threads 14-19 s against 31 s
    /// for one when the machine is quiet, and about 20 % slower than one thread when the other core is busy.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>"cpu" or "cuda". The fused trainer computes on the CPU; "cuda" is refused with a clear message.</summary>
    public string Device { get; init; } = "cpu";
    public long Seed { get; init; }
    /// <summary>
    /// Width of a condition vector appended to the encoder's and the decoder's input (the run-aware mode);
    /// 0 is the plain TVAE.
    /// </summary>
    public int ConditionDim { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(EmbeddingDim > 0, nameof(EmbeddingDim), "must be positive");
        Require(CompressDims.Count > 0 && CompressDims.All(d => d > 0), nameof(CompressDims), "needs at least one positive width");
        Require(DecompressDims.Count > 0 && DecompressDims.All(d => d > 0), nameof(DecompressDims), "needs at least one positive width");
        Require(LearningRate > 0, nameof(LearningRate), "must be positive");
        Require(L2Scale >= 0, nameof(L2Scale), "must not be negative");
        Require(BatchSize > 0, nameof(BatchSize), "must be positive");
        Require(Epochs >= 0, nameof(Epochs), "must not be negative");
        Require(LossFactor > 0, nameof(LossFactor), "must be positive");
        Require(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "must be in [0, 1)");
        Require(EarlyStoppingPatience is null or > 0, nameof(EarlyStoppingPatience), "must be positive");
        Require(CheckpointEvery is null or >= 0, nameof(CheckpointEvery), "must not be negative");
        Require(Threads > 0, nameof(Threads), "must be positive");
        Require(ConditionDim >= 0, nameof(ConditionDim), "must not be negative");
        Require(Device is "cpu" or "cuda", nameof(Device), "must be \"cpu\" or \"cuda\"");
    }

    private static void Require(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentException($"TvaeOptions.{name} {rule}.", name);
    }
}
