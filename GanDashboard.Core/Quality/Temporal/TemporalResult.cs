namespace GanDashboard.Core.Quality.Temporal;

/// <summary>Run lengths of one failure mode: KSComplement of the real and synthetic length distributions.</summary>
public sealed record RunLengthSimilarity(string FailureMode, int RealRuns, int SyntheticRuns, double RealMeanSteps, double? SyntheticMeanSteps, double Score);

/// <summary>Lag-1 autocorrelation of one sensor within runs (consecutive steps pooled over runs).</summary>
public sealed record AutocorrelationComparison(string Sensor, double? Real, double? Synthetic, double? Gap);

/// <summary>How long one operating mode lasts once entered (steps), real vs synthetic.</summary>
public sealed record DwellTimeSimilarity(string OperatingMode, int RealSpells, int SyntheticSpells, double RealMeanSteps, double? SyntheticMeanSteps, double Score);

/// <summary>Steps from the first warning to the failure, over the runs that warn.</summary>
public sealed record WarningToFailureSimilarity(string WarningFrom, int RealRuns, int SyntheticRuns, double? RealMeanSteps, double? SyntheticMeanSteps, double? Score);

/// <summary>Whether synthetic runs behave like seed runs over time.</summary>
public sealed record TemporalResult(
    double? Score,
    double? RunLengthScore,
    double? AutocorrelationScore,
    double? MaxAutocorrelationGap,
    double? DwellTimeScore,
    double? WarningToFailureScore,
    int RealRuns,
    int SyntheticRuns,
    IReadOnlyList<RunLengthSimilarity> RunLengths,
    IReadOnlyList<AutocorrelationComparison> Autocorrelation,
    IReadOnlyList<DwellTimeSimilarity> DwellTimes,
    WarningToFailureSimilarity? WarningToFailure,
    IReadOnlyList<string> Notes);
