using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// Reads each network sensor's expected value from the decoder's raw output: under mode-specific normalisation the
/// decoder gives a categorical over the column's mixture components (softmax of its logits) and one alpha (tanh), the
/// value being mean_k + 4 std_k alpha for component k, so its expectation is sum_k p_k (mean_k + 4 std_k alpha).
/// The plain inverse transform takes the argmax component instead: as a slow trend crossed from the healthy component
/// to a tail component the expected path jumped (flat for most of a bearing's degradation, then a step), and the
/// criterion trend was lost.
/// </summary>
internal static class ExpectedValues
{
    private const double StdMultiplier = 4;

    /// <param name="raw">Row-major decoder output before any activation.</param>
    /// <returns>Per sensor (in <paramref name="sensors"/> order), the expected value of every row, clipped to the sensor's range.</returns>
    public static double[][] Read(DataTransformer transformer, IReadOnlyList<NetworkSensorFit> sensors, float[] raw, int rows)
    {
        var state = transformer.ToState();
        int width = transformer.OutputDimensions;
        var result = new double[sensors.Count][];
        for (int s = 0; s < sensors.Count; s++)
        {
            var sensor = sensors[s];
            int c = transformer.Columns.ToList().FindIndex(col => col.Name == sensor.Name);
            var continuous = state.Columns[c].Continuous
                ?? throw new InvalidOperationException($"Sensor '{sensor.Name}' is not a continuous column of the transformer.");
            int offset = transformer.Columns[c].OutputOffset;
            var kept = continuous.KeptComponents;
            var means = Array.ConvertAll(kept, k => continuous.Mixture.Means[k]);
            var stds = Array.ConvertAll(kept, k => Math.Sqrt(continuous.Mixture.Covariances[k]));
            var values = result[s] = new double[rows];
            Parallel.For(0, rows, () => new double[kept.Length], (r, _, weights) =>
            {
                long at = (long)r * width + offset;
                double alpha = Math.Tanh(raw[at]);
                double top = double.NegativeInfinity;
                for (int k = 0; k < kept.Length; k++) top = Math.Max(top, raw[at + 1 + k]);
                double total = 0, mean = 0, spread = 0;
                for (int k = 0; k < kept.Length; k++)
                {
                    weights[k] = Math.Exp(raw[at + 1 + k] - top);
                    total += weights[k];
                    mean += weights[k] * means[k];
                    spread += weights[k] * stds[k];
                }
                values[r] = Math.Clamp((mean + StdMultiplier * alpha * spread) / total, sensor.Min, sensor.Max);
                return weights;
            }, _ => { });
        }
        return result;
    }
}
