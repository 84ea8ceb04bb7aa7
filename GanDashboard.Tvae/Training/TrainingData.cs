using System.Runtime.Intrinsics.X86;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// A set of rows prepared once for the steps that read them: each row's encoder input in the compact form of
/// <see cref="InputColumns"/> (dense values and one-hot column numbers), its loss targets (the tanh values and the
/// argmax of every softmax span, which is what the loss compares with) and its condition vector. A chunk is then
/// gathered from a few dozen values a row instead of a transposed copy of every column.
/// </summary>
internal sealed unsafe class TrainingData
{
    // Two records a row, so that gathering a random row reads a few adjacent cache lines: values (dense input
    // columns, then tanh targets, then the condition vector) and indices (one-hot input columns, then classes).
    private readonly float[] _values;
    private readonly int[] _indices;
    private readonly int _denseCount, _hotCount, _tanhCount, _softmaxCount;
    private readonly TvaeLoss _loss;
    private const int Ahead = 8;

    /// <param name="data">Row-major <c>[all rows, dataDim]</c>.</param>
    /// <param name="conditions">Row-major <c>[all rows, conditionDim]</c>; empty when conditionDim is 0.</param>
    /// <param name="rows">The rows of <paramref name="data"/> this set holds, in this order.</param>
    public TrainingData(ReadOnlySpan<float> data, ReadOnlySpan<float> conditions, int[] rows, int dataDim, int conditionDim, InputColumns columns, TvaeLoss loss)
    {
        if (columns.Width != dataDim + conditionDim) throw new ArgumentException($"The input columns are for {columns.Width} columns, not {dataDim + conditionDim}.", nameof(columns));
        if (loss.DataDim != dataDim) throw new ArgumentException($"The loss is for {loss.DataDim} data columns, not {dataDim}.", nameof(loss));
        Count = rows.Length;
        ConditionDim = conditionDim;
        Columns = columns;
        _loss = loss;
        _denseCount = columns.DenseColumns.Length;
        _hotCount = columns.HotSpans.Length;
        _tanhCount = loss.TanhColumns.Count;
        _softmaxCount = loss.SoftmaxSpans.Count;
        _values = new float[(long)Count * ValueWidth];
        _indices = new int[(long)Count * IndexWidth];
        for (int i = 0; i < Count; i++)
        {
            var row = data.Slice(rows[i] * dataDim, dataDim);
            var condition = conditions.Slice(rows[i] * conditionDim, conditionDim);
            var values = _values.AsSpan(i * ValueWidth, ValueWidth);
            var indices = _indices.AsSpan(i * IndexWidth, IndexWidth);
            for (int d = 0; d < _denseCount; d++)
            {
                int j = columns.DenseColumns[d];
                values[d] = j < dataDim ? row[j] : condition[j - dataDim];
            }
            for (int t = 0; t < _tanhCount; t++) values[_denseCount + t] = row[loss.TanhColumns[t]];
            condition.CopyTo(values[(_denseCount + _tanhCount)..]);
            for (int s = 0; s < _hotCount; s++)
            {
                var (start, width) = columns.HotSpans[s];
                indices[s] = start + row.Slice(start, width).IndexOf(1f);
            }
            for (int s = 0; s < _softmaxCount; s++) indices[_hotCount + s] = Argmax(row.Slice(loss.SoftmaxSpans[s].Start, loss.SoftmaxSpans[s].Width));
        }
    }

    public int Count { get; }
    public int ConditionDim { get; }
    public InputColumns Columns { get; }
    private int ValueWidth => _denseCount + _tanhCount + ConditionDim;
    private int IndexWidth => _hotCount + _softmaxCount;

    /// <summary>
    /// Writes the given rows into the workspace: the encoder input, the loss targets and the condition rows of the
    /// decoder input.
    /// </summary>
    public void Gather(ReadOnlySpan<int> rows, Workspace ws, int embeddingDim)
    {
        int n = rows.Length;
        if (n != ws.Rows) throw new ArgumentException($"The workspace holds {ws.Rows} rows, not {n}.", nameof(rows));
        var input = ws.InputFor(Columns);
        var targets = ws.TargetsFor(_loss);
        float* dense = input.Dense, tanh = targets.TanhPtr, decoderConditions = ws.DecoderInput.Ptr + (long)embeddingDim * n;
        int* hot = input.Hot, classes = targets.ClassesPtr;
        fixed (float* allValues = _values)
        fixed (int* allIndices = _indices)
        {
            for (int r = 0; r < n; r++)
            {
                if (r + Ahead < n && Sse.IsSupported)
                {
                    // The rows are random: ask for a later row's records while this one is copied.
                    Sse.Prefetch0(allValues + (long)rows[r + Ahead] * ValueWidth);
                    Sse.Prefetch0(allIndices + (long)rows[r + Ahead] * IndexWidth);
                }
                float* values = allValues + (long)rows[r] * ValueWidth;
                int* indices = allIndices + (long)rows[r] * IndexWidth;
                for (int d = 0; d < _denseCount; d++) dense[(long)r * _denseCount + d] = values[d];
                for (int t = 0; t < _tanhCount; t++) tanh[(long)t * n + r] = values[_denseCount + t];
                for (int c = 0; c < ConditionDim; c++) decoderConditions[(long)c * n + r] = values[_denseCount + _tanhCount + c];
                for (int s = 0; s < _hotCount; s++) hot[(long)r * _hotCount + s] = indices[s];
                for (int s = 0; s < _softmaxCount; s++) classes[(long)s * n + r] = indices[_hotCount + s];
            }
        }
    }

    private static int Argmax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best]) best = k;
        }
        return best;
    }
}

/// <summary>
/// The loss targets of a chunk, feature-major: the tanh columns' values <c>[tanh columns, rows]</c> and each
/// softmax span's class <c>[softmax spans, rows]</c>, in the order of the loss's columns and spans.
/// </summary>
internal sealed unsafe class LossTargets : IDisposable
{
    private readonly AlignedMemory<float> _tanh;
    private readonly AlignedMemory<int> _classes;

    public LossTargets(TvaeLoss loss, int rows)
    {
        Loss = loss;
        _tanh = new AlignedMemory<float>(loss.TanhColumns.Count * rows);
        _classes = new AlignedMemory<int>(loss.SoftmaxSpans.Count * rows);
    }

    public TvaeLoss Loss { get; }
    public float* TanhPtr => _tanh.Ptr;
    public int* ClassesPtr => _classes.Ptr;

    public void Dispose()
    {
        _tanh.Dispose();
        _classes.Dispose();
    }
}
