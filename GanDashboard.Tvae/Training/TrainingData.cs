using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// A set of rows copied once, row-major with the condition columns after the data columns. A batch is gathered
/// row by row (each source row is a few contiguous cache lines) and written feature-major into the network's
/// input buffer; gathering feature by feature instead missed the cache on every value.
/// </summary>
internal sealed unsafe class TrainingData
{
    private readonly float[] _inputs;
    private readonly float[]? _targets;

    public TrainingData(ReadOnlySpan<float> data, ReadOnlySpan<float> conditions, int[] rows, int dataDim, int conditionDim, IReadOnlyList<(int Start, int Width)> softmaxSpans)
    {
        Count = rows.Length;
        DataDim = dataDim;
        ConditionDim = conditionDim;
        Width = dataDim + conditionDim;
        _inputs = new float[(long)Width * Count];
        for (int r = 0; r < Count; r++)
        {
            data.Slice(rows[r] * dataDim, dataDim).CopyTo(_inputs.AsSpan(r * Width, dataDim));
            if (conditionDim > 0) conditions.Slice(rows[r] * conditionDim, conditionDim).CopyTo(_inputs.AsSpan(r * Width + dataDim, conditionDim));
        }
        _targets = ArgmaxTargets(softmaxSpans);
    }

    public int Count { get; }
    public int DataDim { get; }
    public int ConditionDim { get; }
    private int Width { get; }

    /// <summary>
    /// The loss compares softmax spans with the argmax of the data's span. The transformer emits exact one-hots,
    /// so usually the data are their own targets; otherwise a snapped copy is kept.
    /// </summary>
    private float[]? ArgmaxTargets(IReadOnlyList<(int Start, int Width)> softmaxSpans)
    {
        float[]? targets = null;
        for (int r = 0; r < Count; r++)
        {
            var row = _inputs.AsSpan(r * Width, DataDim);
            foreach (var (start, width) in softmaxSpans)
            {
                int best = 0;
                for (int k = 1; k < width; k++)
                {
                    if (row[start + k] > row[start + best]) best = k;
                }
                for (int k = 0; k < width; k++)
                {
                    float want = k == best ? 1f : 0f;
                    if (row[start + k] == want && targets is null) continue;
                    targets ??= CopyDataColumns();
                    targets[(long)r * DataDim + start + k] = want;
                }
            }
        }
        return targets;
    }

    private float[] CopyDataColumns()
    {
        var copy = new float[(long)DataDim * Count];
        for (int r = 0; r < Count; r++) _inputs.AsSpan(r * Width, DataDim).CopyTo(copy.AsSpan(r * DataDim, DataDim));
        return copy;
    }

    /// <summary>
    /// Copies the given rows into the workspace's input (and target and decoder condition rows) and returns the
    /// address of the loss targets.
    /// </summary>
    public float* Gather(ReadOnlySpan<int> rows, Workspace ws, int embeddingDim)
    {
        int n = rows.Length;
        fixed (float* inputs = _inputs)
        {
            Transpose(inputs, Width, rows, ws.Input.Ptr);
            for (int c = 0; c < ConditionDim; c++)
                new ReadOnlySpan<float>(ws.Input.Ptr + (long)(DataDim + c) * n, n).CopyTo(new Span<float>(ws.DecoderInput.Ptr + (long)(embeddingDim + c) * n, n));
        }
        if (_targets is null) return ws.Input.Ptr; // the data rows of the input are the targets
        fixed (float* targets = _targets)
        {
            Transpose(targets, DataDim, rows, ws.Target.Ptr);
        }
        return ws.Target.Ptr;
    }

    /// <summary>destination[j, r] = source[rows[r], j] for a row-major source of the given width.</summary>
    private static void Transpose(float* source, int width, ReadOnlySpan<int> rows, float* destination)
    {
        int n = rows.Length;
        for (int r = 0; r < n; r++)
        {
            float* row = source + (long)rows[r] * width;
            float* column = destination + r;
            for (int j = 0; j < width; j++) column[(long)j * n] = row[j];
        }
    }
}
