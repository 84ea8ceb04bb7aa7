namespace GanDashboard.Core.Quality.Fidelity;

/// <summary>One row of SDMetrics' Column Shapes details: KSComplement or TVComplement of one column.</summary>
public sealed record ColumnShapeScore(string Column, string Metric, double? Score, string? Error = null);

/// <summary>
/// One row of SDMetrics' Column Pair Trends details. <see cref="Score"/> is SDMetrics' score (null when the real
/// data shows no relationship, exactly as the QualityReport leaves it); <see cref="Similarity"/> is the same
/// metric computed for every pair regardless of the threshold (what the all-pairs mean averages).
/// </summary>
public sealed record ColumnPairScore(
    string Column1,
    string Column2,
    string Metric,
    double? Score,
    double? Similarity,
    double? RealCorrelation,
    double? SyntheticCorrelation,
    double? RealAssociation,
    bool? MeetsThreshold,
    string? Error = null);

/// <summary>The SDMetrics single-table QualityReport: two properties, their mean, and every detail row.</summary>
public sealed record FidelityResult(
    double? Overall,
    double? ColumnShapes,
    double? ColumnPairTrends,
    double? AllPairsMean,
    int QualifyingPairs,
    IReadOnlyList<ColumnShapeScore> Columns,
    IReadOnlyList<ColumnPairScore> Pairs,
    IReadOnlyList<string> ScoredColumns,
    IReadOnlyList<string> ExcludedColumns);

/// <summary>Validity (adherence to the real data's bounds and categories) and coverage of one column.</summary>
public sealed record ColumnValidity(string Column, string AdherenceMetric, double? Adherence, string CoverageMetric, double? Coverage, string? Error = null);

/// <summary>The SDMetrics DiagnosticReport's Data Validity and Data Structure, plus the Coverage property.</summary>
public sealed record DiagnosticResult(double? DataValidity, double? Coverage, double TableStructure, IReadOnlyList<ColumnValidity> Columns);
