namespace GanDashboard.Core.Tables;

/// <summary>How a column is read, modelled and scored.</summary>
public enum ColumnKind
{
    /// <summary>Continuous or integer numbers; missing values are NaN.</summary>
    Numeric,
    /// <summary>Labels from a finite set; missing values are null.</summary>
    Categorical,
    /// <summary>"True"/"False" labels; scored like a categorical column.</summary>
    Boolean,
    /// <summary>Instants stored as seconds since the Unix epoch (UTC); missing values are NaN.</summary>
    DateTime,
}

/// <summary>
/// One named column of a <see cref="Table"/>. Numeric and datetime columns hold <see cref="Numbers"/>
/// (NaN for a missing value); categorical and boolean columns hold <see cref="Labels"/> (null for missing).
/// </summary>
public sealed class Column
{
    private Column(string name, ColumnKind kind, double[]? numbers, string?[]? labels, bool isInteger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        Numbers = numbers;
        Labels = labels;
        IsInteger = isInteger;
    }

    public string Name { get; }
    public ColumnKind Kind { get; }

    /// <summary>Values of a numeric or datetime column, NaN where missing; null for label columns.</summary>
    public double[]? Numbers { get; }

    /// <summary>Values of a categorical or boolean column, null where missing; null for number columns.</summary>
    public string?[]? Labels { get; }

    /// <summary>A numeric column whose values are whole numbers (written as integers to files).</summary>
    public bool IsInteger { get; }

    public bool IsNumberColumn => Kind is ColumnKind.Numeric or ColumnKind.DateTime;
    public int Length => Numbers?.Length ?? Labels!.Length;

    public static Column Numeric(string name, double[] values, bool isInteger = false) =>
        new(name, ColumnKind.Numeric, values, null, isInteger);

    public static Column DateTime(string name, double[] unixSeconds) =>
        new(name, ColumnKind.DateTime, unixSeconds, null, false);

    public static Column Categorical(string name, string?[] values) =>
        new(name, ColumnKind.Categorical, null, values, false);

    public static Column Boolean(string name, string?[] values) =>
        new(name, ColumnKind.Boolean, null, values, false);

    public static Column Boolean(string name, bool?[] values) =>
        new(name, ColumnKind.Boolean, null, Array.ConvertAll(values, v => v switch { true => "True", false => "False", null => null }), false);

    /// <summary>A column of the same name and kind holding only the given rows, in that order.</summary>
    public Column Take(ReadOnlySpan<int> rows)
    {
        if (Numbers is not null)
        {
            var values = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++) values[i] = Numbers[rows[i]];
            return new Column(Name, Kind, values, null, IsInteger);
        }
        var labels = new string?[rows.Length];
        for (int i = 0; i < rows.Length; i++) labels[i] = Labels![rows[i]];
        return new Column(Name, Kind, null, labels, IsInteger);
    }

    /// <summary>True when the value at <paramref name="row"/> is missing.</summary>
    public bool IsMissing(int row) => Numbers is not null ? double.IsNaN(Numbers[row]) : Labels![row] is null;

    public override string ToString() => $"{Name} ({Kind}, {Length} rows)";
}
