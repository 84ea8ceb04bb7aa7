using System.Runtime.CompilerServices;
using GanDashboard.Tvae.Training;
using TorchSharp;

namespace GanDashboard.Tvae.Sampling;

/// <summary>Decoded rows in the transformer's output space, ready for <c>DataTransformer.InverseTransform</c>.</summary>
/// <param name="Data">Row-major <c>[Rows, DataDim]</c>, tanh applied to every output as the reference does.</param>
/// <param name="Sigmas">The decoder's learned sigma per output column.</param>
public sealed record TvaeSample(float[] Data, int Rows, int DataDim, float[] Sigmas);

/// <summary>
/// sdv-dev/CTGAN's <c>TVAE.sample</c>: z ~ N(0, I) in batches, decode, tanh. Batches are large (the explicit
/// decoder makes no graph, so the batch size only trades memory for call overhead).
/// </summary>
public static class TvaeSampler
{
    private const int ChunkRows = 4096;

    /// <param name="conditions">Row-major <c>[rows, ConditionDim]</c> for a conditional model; null for the plain TVAE.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe TvaeSample Sample(TvaeCheckpoint model, int rows, long seed, float[]? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var architecture = model.Architecture;
        int conditionDim = architecture.ConditionDim;
        if (conditionDim > 0 && (conditions is null || conditions.Length != (long)rows * conditionDim))
            throw new ArgumentException($"A conditional model needs {rows} condition vectors of {conditionDim} values.", nameof(conditions));

        int dataDim = architecture.DataDim;
        int embedding = architecture.EmbeddingDim;
        var result = new float[(long)rows * dataDim];
        var random = new TvaeRandom(unchecked((ulong)seed));
        using var network = new TvaeNetwork(new ParameterLayout(architecture), model.Parameters);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            int n = Math.Min(ChunkRows, rows - start);
            var ws = network.WorkspaceFor(n);
            float* z = ws.DecoderInput.Ptr;
            random.FillNormal(new Span<float>(z, embedding * n));
            for (int c = 0; c < conditionDim; c++)
            {
                float* row = z + (long)(embedding + c) * n;
                for (int r = 0; r < n; r++) row[r] = conditions![(long)(start + r) * conditionDim + c];
            }
            network.Decode(ws);
            float* output = ws.Output.Ptr;
            Kernels.TanhInPlace(output, (long)dataDim * n);
            // Feature-major chunk to row-major result.
            for (int j = 0; j < dataDim; j++)
            {
                float* column = output + (long)j * n;
                long at = (long)start * dataDim + j;
                for (int r = 0; r < n; r++, at += dataDim) result[at] = column[r];
            }
        }
        return new TvaeSample(result, rows, dataDim, model.Sigmas());
    }
}
