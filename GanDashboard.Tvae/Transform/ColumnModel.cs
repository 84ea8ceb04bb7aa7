using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>The fitted transform of one source column; writes and reads its own block of the row-major matrix.</summary>
internal abstract class ColumnModel(string name, ColumnKind sourceKind, bool isInteger)
{
    public string Name { get; } = name;
    public ColumnKind SourceKind { get; } = sourceKind;
    public bool IsInteger { get; } = isInteger;

    public abstract ColumnTransformKind Kind { get; }
    public abstract IReadOnlyList<SpanInfo> Spans { get; }

    /// <summary>Width of this column's block; computed once because the row loops read it for every row.</summary>
    public int Dimensions => _dimensions ??= Spans.Sum(s => s.Dim);

    private int? _dimensions;

    /// <summary>Encodes <paramref name="column"/> into columns offset.. of each row of <paramref name="output"/> (already zeroed).</summary>
    public abstract void Transform(Column column, Span<float> output, int stride, int offset, SeededRandom random);

    /// <summary>
    /// Starts decoding this column for <paramref name="rows"/> rows; <paramref name="sigma"/> is the decoder's sigma
    /// at this column's first output (0: no noise).
    /// </summary>
    public abstract ColumnDecoder StartInverse(int rows, double sigma, ColumnBounds? clip);

    public abstract ColumnState ToState();

    public void EnsureMatches(Column column)
    {
        bool compatible = column.IsNumberColumn == (SourceKind is ColumnKind.Numeric or ColumnKind.DateTime);
        if (!compatible)
            throw new ArgumentException($"Column '{Name}' was fitted as {SourceKind} but is {column.Kind} now.", nameof(column));
    }

    /// <summary>Index of the largest of <paramref name="values"/>; the first one on ties, as numpy's argmax.</summary>
    protected static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}

/// <summary>
/// Decodes one column block by block, so the inverse transform can walk the matrix in row blocks (each block
/// stays in cache while every column reads it) and run the blocks in parallel.
/// </summary>
internal abstract class ColumnDecoder
{
    /// <summary>Decodes rows [firstRow, firstRow + rowCount) of the row-major <paramref name="data"/> (decoder outputs after tanh).</summary>
    public abstract void Decode(ReadOnlySpan<float> data, int firstRow, int rowCount, int stride, int offset, SeededRandom random);

    /// <summary>The decoded column, once every block is done.</summary>
    public abstract Column Finish();
}
