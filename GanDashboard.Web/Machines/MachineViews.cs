using GanDashboard.Core.Profiles;

namespace GanDashboard.Web.Machines;

/// <summary>One validation finding as the API and the editor show it.</summary>
public sealed record FindingView(string Path, string Message, string Fix, string Severity, string Rule)
{
    public static FindingView From(ProfileFinding f) => new(f.Path, f.Message, f.Fix, f.Severity.ToString().ToLowerInvariant(), f.Rule);
}

/// <summary>An uploaded profile waiting to become a machine, with its findings.</summary>
public sealed record DraftView(
    Guid DraftId, string? MachineId, string FileName, string SourceFormat, bool Valid,
    IReadOnlyList<FindingView> Errors, IReadOnlyList<FindingView> Warnings, MachineProfile Profile,
    string? PromotedToMachineId, DateTime UpdatedAt);

/// <summary>A machine in lists and detail pages.</summary>
public sealed record MachineView(
    string MachineId, string MachineType, string? Manufacturer, string? Model, int SensorCount,
    int FailureModeCount, DateTime CreatedAt, DateTime UpdatedAt, MachineProfile Profile, IReadOnlyList<FindingView> Warnings);
