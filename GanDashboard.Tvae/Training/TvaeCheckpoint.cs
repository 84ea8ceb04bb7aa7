namespace GanDashboard.Tvae.Training;

/// <summary>One finished epoch in the training history.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double Seconds);

/// <summary>Reported after every epoch. Epochs count from 1; the loss goes negative as sigma shrinks, which is expected.</summary>
public sealed record EpochProgress(int Epoch, int TotalEpochs, int Batches, double TrainLoss, double? ValidationLoss, TimeSpan Elapsed, TimeSpan Eta);

/// <summary>
/// Everything needed to continue a fit exactly where it stopped: weights, Adam's moments and step count, the
/// random generator's state and the history. A finished model is a checkpoint too, so it can be trained further.
/// </summary>
public sealed record TvaeCheckpoint(
    TvaeArchitecture Architecture,
    long Seed,
    int EpochsDone,
    float[] Parameters,
    float[] AdamFirstMoment,
    float[] AdamSecondMoment,
    long AdamSteps,
    ulong[] RandomState,
    IReadOnlyList<EpochRecord> History)
{
    /// <summary>The decoder's sigma per output column, clamped to [0.01, 1] as after every step.</summary>
    public float[] Sigmas()
    {
        var layout = new ParameterLayout(Architecture);
        return Parameters.AsSpan(layout.SigmaOffset, Architecture.DataDim).ToArray();
    }
}

/// <summary>The outcome of <see cref="TvaeTrainer.Fit"/>.</summary>
public sealed record TvaeFitResult(TvaeCheckpoint Model, bool StoppedEarly, int Steps, TimeSpan TrainingTime)
{
    public double MillisecondsPerStep => Steps == 0 ? 0 : TrainingTime.TotalMilliseconds / Steps;
}
