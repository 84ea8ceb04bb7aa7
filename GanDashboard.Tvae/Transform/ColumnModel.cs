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

    /// <summary>Decodes this column from rows of <paramref name="data"/> (decoder outputs after tanh).</summary>
    public abstract Column Inverse(ReadOnlySpan<float> data, int rows, int stride, int offset, ReadOnlySpan<float> sigmas, SeededRandom random, ColumnBounds? clip);

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
