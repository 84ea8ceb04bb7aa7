namespace GanDashboard.Tvae.Training;

/// <summary>torch.optim.Adam's state over the one flat parameter buffer: one fused pass per step instead of one update per tensor.</summary>
internal sealed class FlatAdam
{
    public FlatAdam(int count, TvaeCheckpoint? resumeFrom)
    {
        FirstMoment = resumeFrom?.AdamFirstMoment.ToArray() ?? new float[count];
        SecondMoment = resumeFrom?.AdamSecondMoment.ToArray() ?? new float[count];
        Steps = resumeFrom?.AdamSteps ?? 0;
        if (FirstMoment.Length != count || SecondMoment.Length != count) throw new ArgumentException("The checkpoint's optimiser state does not fit the network.", nameof(resumeFrom));
    }

    public float[] FirstMoment { get; }
    public float[] SecondMoment { get; }
    public long Steps { get; private set; }

    /// <summary>Counts a new step; <see cref="Update"/> then applies it, range by range (threads may take different ranges).</summary>
    public void BeginStep() => Steps++;

    public unsafe void Update(TvaeNetwork network, float* gradients, int first, int count, double learningRate, double weightDecay)
    {
        fixed (float* m = FirstMoment)
        fixed (float* v = SecondMoment)
        {
            Kernels.AdamStep(network.P + first, gradients, m + first, v + first, count, learningRate, weightDecay, Steps);
        }
    }
}
