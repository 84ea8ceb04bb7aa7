namespace GanDashboard.Core.Quality.Memorisation;

/// <summary>
/// Whether the generator copied its training rows. <see cref="DcrShare"/> is the share of (sampled) synthetic rows
/// closer to a training row than to any held-out row (ties count half): about 0.5 when the generator generalises,
/// towards 1 when it memorises (MOSTLY AI's dcr_share).
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
    IReadOnlyList<string> Notes);
