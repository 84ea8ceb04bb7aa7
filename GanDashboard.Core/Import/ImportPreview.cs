namespace GanDashboard.Core.Import;

/// <summary>One column of the preview: its role, kind and statistics over the imported rows.</summary>
public sealed record ColumnPreview(
    string Column, string? OriginalName, string Role, string Kind, long Values, long Missing, int? Distinct,
    double? Min, double? Max, double? Mean, double? Std, string? Reason);

/// <summary>A few values of one sensor along one run (at most 200 points, evenly spaced).</summary>
public sealed record RunTrajectory(int RunId, string RunKey, int Length, string Sensor, List<int> Steps, List<double> Values);

/// <summary>Run lengths grouped into bins [From, To].</summary>
public sealed record LengthBin(int From, int To, int Runs);

/// <summary>What an import found, shown before anything is stored.</summary>
public sealed record ImportPreview
{
    public required string SourceFile { get; init; }
    public required string Layout { get; init; }
    public long Rows { get; init; }
    public int Runs { get; init; }
    public int CensoredRuns { get; init; }
    public long DroppedRows { get; init; }
    public int MinRunLength { get; init; }
    public double MedianRunLength { get; init; }
    public int MaxRunLength { get; init; }
    public double RulCap { get; init; }
    public List<ColumnPreview> Columns { get; init; } = [];
    public List<RunTrajectory> Trajectories { get; init; } = [];
    public List<LengthBin> RunLengthHistogram { get; init; } = [];
}
