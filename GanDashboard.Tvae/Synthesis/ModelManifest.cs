using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.Synthesis;

/// <summary>
/// The JSON half of a model file: everything but the weights, readable by a person and by other tools.
/// Versioned: a reader refuses any <see cref="FormatVersion"/> it does not know.
/// </summary>
public sealed record ModelManifest(
    string Format,
    int FormatVersion,
    DateTime CreatedUtc,
    IReadOnlyDictionary<string, string> Packages,
    long Seed,
    string DataSha256,
    int Rows,
    IReadOnlyList<ColumnSpec> Columns,
    IReadOnlyList<string> DiscreteColumns,
    TransformerState Transformer,
    TvaeOptions Options,
    TvaeArchitecture Architecture,
    TrainingSummary Training,
    string WeightsSha256)
{
    public const string FormatName = "gandashboard-tvae";
    public const int CurrentFormatVersion = 1;
}

/// <summary>A source column as the model saw it.</summary>
public sealed record ColumnSpec(string Name, ColumnKind Kind, bool IsInteger);

/// <summary>How the fit went, and the state that lets training continue exactly (optimiser steps, generator state).</summary>
public sealed record TrainingSummary(
    int EpochsDone,
    bool StoppedEarly,
    long AdamSteps,
    ulong[] RandomState,
    IReadOnlyList<EpochRecord> History,
    FitTimings Timings,
    double MillisecondsPerStep);

/// <summary>Where the time of a fit went, in seconds.</summary>
public sealed record FitTimings(double TransformerFitSeconds, double TransformSeconds, double TrainingSeconds, double TotalSeconds);

/// <summary>A model file that cannot be used: another format version, a damaged archive, missing or altered parts.</summary>
public sealed class ModelFileException(string message, Exception? inner = null) : Exception(message, inner);
