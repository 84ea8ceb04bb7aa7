namespace GanDashboard.Tvae.Training;

/// <summary>The default number of epochs: the dashboard's, the pipeline's and the CLI's verbs that train like them.</summary>
public static class TrainingBudget
{
    /// <summary>Epochs when the seed data is small (the plan's default).</summary>
    public const int DefaultEpochs = 300;

    /// <summary>
    /// Optimizer steps a default training may take: about 300 epochs over 45,000 rows. Larger seed data (long runs: the
    /// motor sample's 100 runs are 84,000 rows) gets fewer epochs of the same number of steps, so the default pipeline
    /// stays within minutes and a big seed is not passed over 300 times (which also drew the synthetic rows closer to
    /// the training rows than to unseen ones).
    /// </summary>
    public const int DefaultStepBudget = 25_000;

    /// <summary>Fewest default epochs, however large the seed data.</summary>
    public const int MinimumEpochs = 30;

    /// <summary>The default epochs on <paramref name="rows"/> seed rows: <see cref="DefaultEpochs"/> within <see cref="DefaultStepBudget"/> steps.</summary>
    public static int DefaultEpochsFor(long rows, double validationFraction, int batchSize)
    {
        double stepsPerEpoch = Math.Max(1, Math.Ceiling(rows * (1 - validationFraction) / Math.Max(1, batchSize)));
        return (int)Math.Clamp(Math.Floor(DefaultStepBudget / stepsPerEpoch), MinimumEpochs, DefaultEpochs);
    }
}
