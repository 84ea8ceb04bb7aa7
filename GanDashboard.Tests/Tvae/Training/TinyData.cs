using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tests.Tvae.Training;

/// <summary>Small transformed-looking tables for the trainer tests: tanh values in (-1, 1) and exact one-hots.</summary>
internal static class TinyData
{
    public static readonly SpanInfo[] MixedSpans =
    [
        new(1, SpanActivation.Tanh), new(3, SpanActivation.Softmax),
        new(1, SpanActivation.Tanh), new(2, SpanActivation.Softmax),
        new(4, SpanActivation.Softmax),
    ];

    public static int Width(IReadOnlyList<SpanInfo> spans) => spans.Sum(s => s.Dim);

    /// <summary>All rows of row-major data (and conditions), prepared for the trainer as it prepares them.</summary>
    public static TrainingData Prepare(float[] data, int rows, IReadOnlyList<SpanInfo> spans, float[]? conditions = null, int conditionDim = 0)
    {
        var loss = new TvaeLoss(spans);
        var all = Enumerable.Range(0, rows).ToArray();
        var columns = InputColumns.Of(data, loss.DataDim, conditionDim, all, loss.SoftmaxSpans);
        return new TrainingData(data, conditions ?? [], all, loss.DataDim, conditionDim, columns, loss);
    }

    public static float[] RandomRows(int rows, IReadOnlyList<SpanInfo> spans, int seed)
    {
        var random = new Random(seed);
        int width = Width(spans);
        var data = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            int at = r * width;
            foreach (var span in spans)
            {
                if (span.Activation == SpanActivation.Tanh) data[at] = (float)(random.NextDouble() * 1.8 - 0.9);
                else data[at + random.Next(span.Dim)] = 1f;
                at += span.Dim;
            }
        }
        return data;
    }
}
