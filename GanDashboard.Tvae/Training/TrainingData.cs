namespace GanDashboard.Tvae.Training;

/// <summary>
/// A set of rows prepared once for the steps that read them: each row's encoder input in the compact form of
/// <see cref="InputColumns"/> (dense values and one-hot column numbers), its loss targets (the tanh values and the
/// argmax of every softmax span, which is what the loss compares with) and its condition vector. A chunk is then
/// gathered from a few dozen values a row instead of a transposed copy of every column.
/// </summary>
internal sealed unsafe class TrainingData
{
    private readonly float[] _dense;
    private readonly int[] _hot;
    private readonly float[] _tanhTargets;
    private readonly int[] _classes;
    private readonly float[] _conditions;
    private readonly int[] _tanhColumns;
    private readonly (int Start, int Width)[] _softmaxSpans;

    /// <param name="data">Row-major <c>[all rows, dataDim]</c>.</param>
    /// <param name="conditions">Row-major <c>[all rows, conditionDim]</c>; empty when conditionDim is 0.</param>
    /// <param name="rows">The rows of <paramref name="data"/> this set holds, in this order.</param>
    public TrainingData(ReadOnlySpan<float> data, ReadOnlySpan<float> conditions, int[] rows, int dataDim, int conditionDim, InputColumns columns, TvaeLoss loss)
    {
        if (columns.Width != dataDim + conditionDim) throw new ArgumentException($"The input columns are for {columns.Width} columns, not {dataDim + conditionDim}.", nameof(columns));
        Count = rows.Length;
        DataDim = dataDim;
        ConditionDim = conditionDim;
        Columns = columns;
        _tanhColumns = [.. loss.TanhColumns];
        _softmaxSpans = [.. loss.SoftmaxSpans];
        int denseCount = columns.DenseColumns.Length, hotCount = columns.HotSpans.Length;
        _dense = new float[(long)Count * denseCount];
        _hot = new int[(long)Count * hotCount];
        _tanhTargets = new float[(long)Count * _tanhColumns.Length];
        _classes = new int[(long)Count * _softmaxSpans.Length];
        _conditions = new float[(long)Count * conditionDim];
        for (int i = 0; i < Count; i++)
        {
            var row = data.Slice(rows[i] * dataDim, dataDim);
            var condition = conditions.Slice(rows[i] * conditionDim, conditionDim);
            for (int d = 0; d < denseCount; d++)
            {
                int j = columns.DenseColumns[d];
                _dense[(long)i * denseCount + d] = j < dataDim ? row[j] : condition[j - dataDim];
            }
            for (int s = 0; s < hotCount; s++)
            {
                var (start, width) = columns.HotSpans[s];
                _hot[(long)i * hotCount + s] = start + row.Slice(start, width).IndexOf(1f);
            }
            for (int t = 0; t < _tanhColumns.Length; t++) _tanhTargets[(long)i * _tanhColumns.Length + t] = row[_tanhColumns[t]];
            for (int s = 0; s < _softmaxSpans.Length; s++) _classes[(long)i * _softmaxSpans.Length + s] = Argmax(row.Slice(_softmaxSpans[s].Start, _softmaxSpans[s].Width));
            condition.CopyTo(_conditions.AsSpan(i * conditionDim, conditionDim));
        }
    }

    public int Count { get; }
    public int DataDim { get; }
    public int ConditionDim { get; }
    public InputColumns Columns { get; }

    /// <summary>
    /// Writes the given rows into the workspace: the encoder input, the loss targets (feature-major, softmax spans
    /// as the one-hot of their argmax) and the condition rows of the decoder input.
    /// </summary>
    public void Gather(ReadOnlySpan<int> rows, Workspace ws, int embeddingDim)
    {
        int n = rows.Length;
        if (n != ws.Rows) throw new ArgumentException($"The workspace holds {ws.Rows} rows, not {n}.", nameof(rows));
        GatherInput(rows, ws);
        float* target = ws.Target.Ptr;
        int tanhCount = _tanhColumns.Length, softmaxCount = _softmaxSpans.Length;
        for (int t = 0; t < tanhCount; t++)
        {
            float* column = target + (long)_tanhColumns[t] * n;
            for (int r = 0; r < n; r++) column[r] = _tanhTargets[(long)rows[r] * tanhCount + t];
        }
        foreach (var (start, width) in _softmaxSpans) new Span<float>(target + (long)start * n, width * n).Clear();
        for (int r = 0; r < n; r++)
        {
            for (int s = 0; s < softmaxCount; s++) target[(long)(_softmaxSpans[s].Start + _classes[(long)rows[r] * softmaxCount + s]) * n + r] = 1f;
        }
        float* decoderConditions = ws.DecoderInput.Ptr + (long)embeddingDim * n;
        for (int c = 0; c < ConditionDim; c++)
        {
            for (int r = 0; r < n; r++) decoderConditions[(long)c * n + r] = _conditions[(long)rows[r] * ConditionDim + c];
        }
    }

    /// <summary>Writes only the encoder input of the given rows into the workspace.</summary>
    public void GatherInput(ReadOnlySpan<int> rows, Workspace ws)
    {
        var input = ws.InputFor(Columns);
        int denseCount = Columns.DenseColumns.Length, hotCount = Columns.HotSpans.Length;
        for (int r = 0; r < rows.Length; r++)
        {
            _dense.AsSpan(rows[r] * denseCount, denseCount).CopyTo(input.Dense.AsSpan(r * denseCount, denseCount));
            _hot.AsSpan(rows[r] * hotCount, hotCount).CopyTo(input.Hot.AsSpan(r * hotCount, hotCount));
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
