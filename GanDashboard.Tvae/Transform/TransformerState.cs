using System.Text.Json.Serialization;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// Everything a fitted <see cref="DataTransformer"/> holds, as plain records that System.Text.Json writes and reads
/// (with or without a snake_case naming policy), for the model file.
/// </summary>
public sealed record TransformerState(
    int FormatVersion,
    TransformerOptions Options,
    IReadOnlyList<ColumnState> Columns,
    IReadOnlyDictionary<string, ColumnBounds> PhysicalBounds)
{
    public const int CurrentFormatVersion = 1;
}

/// <summary>One source column: exactly one of <see cref="Continuous"/> and <see cref="Discrete"/> is set.</summary>
public sealed record ColumnState(
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))] ColumnKind SourceKind,
    bool IsInteger,
    ContinuousColumnState? Continuous,
    DiscreteColumnState? Discrete);

/// <summary>
/// A continuous column's mixture, the components kept after the weight threshold (in mixture order), the value
/// that stands in for nulls when the mixture part is encoded, and the range seen in training.
/// </summary>
public sealed record ContinuousColumnState(
    MixtureState Mixture,
    int[] KeptComponents,
    bool ModelsNulls,
    double NullFillValue,
    double ObservedMin,
    double ObservedMax);

/// <summary>A discrete column's labels in one-hot order (order of first appearance); null is the missing-value label.</summary>
public sealed record DiscreteColumnState(string?[] Categories);
