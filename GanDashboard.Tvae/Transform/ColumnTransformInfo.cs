using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>How a source column is modelled.</summary>
public enum ColumnTransformKind
{
    /// <summary>Mode-specific normalisation: a tanh scalar, a component one-hot and, if the column had nulls, a null one-hot.</summary>
    Continuous,
    /// <summary>A one-hot over the labels seen in training (a missing value is a label of its own).</summary>
    Discrete,
}

/// <summary>
/// One source column's place in the transformed matrix (CTGAN's <c>ColumnTransformInfo</c>): its spans start at
/// <see cref="OutputOffset"/> and cover <see cref="OutputDimensions"/> columns.
/// </summary>
public sealed record ColumnTransformInfo(
    string Name,
    ColumnKind SourceKind,
    ColumnTransformKind Kind,
    IReadOnlyList<SpanInfo> Spans,
    int OutputOffset,
    int OutputDimensions);

/// <summary>Closed interval a column's generated values are clipped to.</summary>
public sealed record ColumnBounds(double Min, double Max);

/// <summary>How <see cref="DataTransformer.InverseTransform(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, InverseTransformOptions)"/> treats bounds.</summary>
public sealed record InverseTransformOptions
{
    /// <summary>Clip continuous columns to the minimum and maximum seen in training (the reference does not).</summary>
    public bool ClipToObservedRange { get; init; }

    /// <summary>Physical bounds for this call, by column name; they take precedence over bounds set with <see cref="DataTransformer.WithBounds"/>.</summary>
    public IReadOnlyDictionary<string, (double Min, double Max)>? Bounds { get; init; }

    public static InverseTransformOptions Default { get; } = new();
}
