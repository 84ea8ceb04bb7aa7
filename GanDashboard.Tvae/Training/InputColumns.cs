namespace GanDashboard.Tvae.Training;

/// <summary>
/// How the encoder reads its input: the softmax spans that hold an exact one-hot in every row (the transformer's
/// mode indicators and categories, most of the input) are read as the one column that is set, everything else
/// (tanh values, condition columns, any span that is not an exact one-hot) as dense values. A row of the
/// benchmark table is then 9 values and 12 column numbers instead of 121 values, and the first layer's products
/// shrink by as much (<see cref="FirstLayer"/>).
/// </summary>
internal sealed record InputColumns(int Width, int[] DenseColumns, (int Start, int Width)[] HotSpans)
{
    /// <summary>Every column dense: for inputs with no one-hot spans, or none known.</summary>
    public static InputColumns AllDense(int width) => new(width, [.. Enumerable.Range(0, width)], []);

    /// <summary>
    /// Reads the given rows of row-major <paramref name="data"/> (<c>[rows, dataDim]</c>) and finds which of
    /// <paramref name="softmaxSpans"/> are exact one-hots in all of them; the condition columns that follow the data
    /// columns are always dense.
    /// </summary>
    public static InputColumns Of(ReadOnlySpan<float> data, int dataDim, int conditionDim, IEnumerable<int> rows, IReadOnlyList<(int Start, int Width)> softmaxSpans)
    {
        var hot = new bool[softmaxSpans.Count];
        Array.Fill(hot, true);
        foreach (int r in rows)
        {
            var row = data.Slice(r * dataDim, dataDim);
            for (int s = 0; s < hot.Length; s++) hot[s] = hot[s] && IsOneHot(row.Slice(softmaxSpans[s].Start, softmaxSpans[s].Width));
        }
        var hotSpans = softmaxSpans.Where((_, s) => hot[s]).ToArray();
        var inHotSpan = new bool[dataDim];
        foreach (var (start, width) in hotSpans) Array.Fill(inHotSpan, true, start, width);
        int[] dense = [.. Enumerable.Range(0, dataDim).Where(j => !inHotSpan[j]), .. Enumerable.Range(dataDim, conditionDim)];
        return new InputColumns(dataDim + conditionDim, dense, hotSpans);
    }

    private static bool IsOneHot(ReadOnlySpan<float> values)
    {
        int ones = 0;
        foreach (float v in values)
        {
            if (v == 1f) ones++;
            else if (v != 0f) return false;
        }
        return ones == 1;
    }
}
