namespace GanDashboard.Core.Import;

/// <summary>What to do with NaN, infinite or empty values in sensor and context columns.</summary>
public enum MissingValues
{
    /// <summary>Refuse the file and report the counts per column (the default: nothing is guessed silently).</summary>
    Refuse,
    /// <summary>Leave out the rows that hold such a value.</summary>
    Drop,
    /// <summary>Interpolate linearly within the run (the run's first or last valid value at its ends).</summary>
    Interpolate,
}

/// <summary>
/// The user's choices for an import; anything left null is detected. <see cref="None"/> as <see cref="RunId"/> means the
/// whole file is one run, as <see cref="Order"/> that rows stay in file order.
/// </summary>
public sealed record ImportOptions
{
    public const string None = "none";
    public const long DefaultMaxBytes = 500L * 1024 * 1024;
    public const int MaxColumns = 500;

    public string? RunId { get; init; }
    public string? Order { get; init; }
    /// <summary>Columns to generate as sensors even when detection would make them context or labels.</summary>
    public List<string>? Sensors { get; init; }
    public List<string>? Context { get; init; }
    public List<string>? Labels { get; init; }
    public List<string>? Drop { get; init; }
    public string? Censored { get; init; }
    public double? RulCap { get; init; }
    public string? MachineId { get; init; }
    public MissingValues Missing { get; init; } = MissingValues.Refuse;

    /// <summary>The largest file accepted, in bytes.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The file's name as the user knows it (an uploaded file is stored under another name).</summary>
    public string? SourceName { get; init; }
}
