namespace GanDashboard.Core.Quality.Memorisation;

/// <summary>
/// Whether the generator copied its training rows: exact copies, and SDMetrics' DCR metrics on equal-sized samples of
/// training and unseen rows. <see cref="DcrShare"/> is the share of (sampled) synthetic rows strictly closer to a
/// training row than to any unseen row (about 0.5 when the generator generalises, towards 1 when it memorises);
/// <see cref="OverfittingProtection"/> turns it into SDMetrics' score min(2 x (1 - share), 1).
/// </summary>
public sealed record MemorisationResult(
    int SyntheticRows,
    int RealRows,
    int ExactMatches,
    double ExactMatchShare,
    double? DcrShare,
    int DcrSyntheticSample,
    int DcrReferenceSample,
    double? MedianDistanceToTraining,
    double? MedianDistanceToHoldout,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Notes)
{
    public DcrOverfittingProtection? OverfittingProtection { get; init; }
    public DcrBaselineProtection? BaselineProtection { get; init; }
    /// <summary>Training and unseen runs the distances were measured against (null for tables without runs).</summary>
    public int? TrainingRuns { get; init; }
    public int? UnseenRuns { get; init; }
}
