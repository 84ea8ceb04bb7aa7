using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// A set of rows copied once into feature-major arrays (row j = feature j for every row), so a batch is
/// gathered feature by feature into the network's input buffer. Condition columns follow the data columns.
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
        int width = dataDim + conditionDim;
        _inputs = new float[(long)width * Count];
        for (int r = 0; r < Count; r++)
        {
            var source = data.Slice(rows[r] * dataDim, dataDim);
            for (int j = 0; j < dataDim; j++) _inputs[(long)j * Count + r] = source[j];
            for (int c = 0; c < conditionDim; c++) _inputs[(long)(dataDim + c) * Count + r] = conditions[rows[r] * conditionDim + c];
        }
        _targets = ArgmaxTargets(softmaxSpans);
    }

    public int Count { get; }
    public int DataDim { get; }
    public int ConditionDim { get; }

    /// <summary>
    /// The loss compares softmax spans with the argmax of the data's span. The transformer emits exact one-hots,
    /// so usually the data are their own targets; otherwise a snapped copy is kept.
    /// </summary>
    private float[]? ArgmaxTargets(IReadOnlyList<(int Start, int Width)> softmaxSpans)
    {
        float[]? targets = null;
        for (int r = 0; r < Count; r++)
        {
            foreach (var (start, width) in softmaxSpans)
            {
                int best = 0;
                for (int k = 1; k < width; k++)
                {
                    if (_inputs[(long)(start + k) * Count + r] > _inputs[(long)(start + best) * Count + r]) best = k;
                }
                for (int k = 0; k < width; k++)
                {
                    float want = k == best ? 1f : 0f;
                    long at = (long)(start + k) * Count + r;
                    if (_inputs[at] == want && targets is null) continue;
                    targets ??= _inputs.AsSpan(0, DataDim * Count).ToArray();
                    targets[at] = want;
                }
            }
        }
        return targets;
    }

    /// <summary>
    /// Copies the given rows into the workspace's input (and target and decoder condition rows) and returns the
    /// address of the loss targets.
    /// </summary>
    public float* Gather(ReadOnlySpan<int> rows, Workspace ws, int embeddingDim)
    {
        int n = rows.Length;
        int width = DataDim + ConditionDim;
        fixed (float* inputs = _inputs)
        {
            for (int j = 0; j < width; j++) GatherRow(inputs + (long)j * Count, rows, ws.Input.Ptr + (long)j * n);
            for (int c = 0; c < ConditionDim; c++)
                new ReadOnlySpan<float>(ws.Input.Ptr + (long)(DataDim + c) * n, n).CopyTo(new Span<float>(ws.DecoderInput.Ptr + (long)(embeddingDim + c) * n, n));
        }
        if (_targets is null) return ws.Input.Ptr; // the data rows of the input are the targets
        fixed (float* targets = _targets)
        {
            for (int j = 0; j < DataDim; j++) GatherRow(targets + (long)j * Count, rows, ws.Target.Ptr + (long)j * n);
        }
        return ws.Target.Ptr;
    }

    private static void GatherRow(float* source, ReadOnlySpan<int> rows, float* destination)
    {
        for (int r = 0; r < rows.Length; r++) destination[r] = source[rows[r]];
    }
}
