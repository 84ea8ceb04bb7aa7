using GanDashboard.Tvae.Training;
using TorchSharp;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// The conditional TVAE's decoder run on given latent vectors and conditions (the sampler draws its own z from one
/// global stream; run-aware generation draws each run's z from that run's stream so runs can be made in parallel and
/// reproduced alone). Output is row-major and raw (no tanh): <see cref="ExpectedValues"/> reads probabilities from the logits.
/// </summary>
internal static class ConditionalDecoder
{
    private const int ChunkRows = 4096;

    /// <param name="latent">Row-major <c>[rows, EmbeddingDim]</c>; null decodes at z = 0.</param>
    /// <param name="conditions">Row-major <c>[rows, ConditionDim]</c>.</param>
    public static unsafe float[] Decode(TvaeCheckpoint model, int rows, float[]? latent, float[] conditions, CancellationToken ct)
    {
        var architecture = model.Architecture;
        int embedding = architecture.EmbeddingDim, conditionDim = architecture.ConditionDim, dataDim = architecture.DataDim;
        if (conditions.Length != (long)rows * conditionDim) throw new ArgumentException($"Expected {rows} x {conditionDim} condition values.", nameof(conditions));
        if (latent is not null && latent.Length != (long)rows * embedding) throw new ArgumentException($"Expected {rows} x {embedding} latent values.", nameof(latent));
        var result = new float[(long)rows * dataDim];
        using var network = new TvaeNetwork(new ParameterLayout(architecture), model.Parameters);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            int n = Math.Min(ChunkRows, rows - start);
            var ws = network.WorkspaceFor(n);
            float* input = ws.DecoderInput.Ptr; // feature-major [embedding + conditions, n]
            for (int j = 0; j < embedding; j++)
            {
                float* row = input + (long)j * n;
                if (latent is null) new Span<float>(row, n).Clear();
                else for (int r = 0; r < n; r++) row[r] = latent[(long)(start + r) * embedding + j];
            }
            for (int c = 0; c < conditionDim; c++)
            {
                float* row = input + (long)(embedding + c) * n;
                for (int r = 0; r < n; r++) row[r] = conditions[(long)(start + r) * conditionDim + c];
            }
            network.Decode(ws);
            float* output = ws.Output.Ptr;
            for (int j = 0; j < dataDim; j++)
            {
                float* column = output + (long)j * n;
                long at = (long)start * dataDim + j;
                for (int r = 0; r < n; r++, at += dataDim) result[at] = column[r];
            }
        }
        return result;
    }
}
