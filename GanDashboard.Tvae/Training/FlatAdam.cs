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

    public unsafe void Step(TvaeNetwork network, float* gradients, double learningRate, double weightDecay)
    {
        Steps++;
        fixed (float* m = FirstMoment)
        fixed (float* v = SecondMoment)
        {
            Kernels.AdamStep(network.P, gradients, m, v, network.Layout.Count, learningRate, weightDecay, Steps);
        }
    }
}
