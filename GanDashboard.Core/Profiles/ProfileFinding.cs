namespace GanDashboard.Core.Profiles;

public enum FindingSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One problem found in a profile. <paramref name="Path"/> names the field (<c>sensors[3].warning</c>),
/// <paramref name="Fix"/> says what to change, <paramref name="Rule"/> is a stable id (<c>sensors.thresholds</c>) for tests and UI filters.
/// </summary>
public sealed record ProfileFinding(string Path, string Message, string Fix, FindingSeverity Severity, string Rule)
{
    public static ProfileFinding Error(string path, string rule, string message, string fix) => new(path, message, fix, FindingSeverity.Error, rule);

    public static ProfileFinding Warning(string path, string rule, string message, string fix) => new(path, message, fix, FindingSeverity.Warning, rule);

    /// <summary>
    /// Other fields the finding is about, e.g. the critical level a warning is compared with: an editor shows the finding
    /// at each of them, so it appears at the field the user just typed in whichever of the two that was.
    /// </summary>
    public IReadOnlyList<string> AlsoConcerns { get; init; } = [];

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Path}: {Message} Fix: {Fix}";
}

/// <summary>The outcome of validating a profile: valid when there is no error (warnings are allowed).</summary>
public sealed record ProfileValidation(IReadOnlyList<ProfileFinding> Findings)
{
    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<ProfileFinding> Errors { get; } = Findings.Where(f => f.Severity == FindingSeverity.Error).ToList();

    public IReadOnlyList<ProfileFinding> Warnings { get; } = Findings.Where(f => f.Severity == FindingSeverity.Warning).ToList();
}
