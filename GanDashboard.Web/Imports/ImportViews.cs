using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;

namespace GanDashboard.Web.Imports;

/// <summary>An import as the API and the page see it: <c>status</c> is analysing, ready, invalid or confirmed.</summary>
public sealed record ImportView(
    Guid ImportId, string Status, string FileName, long SizeBytes, string? MachineId, string? AppendTo,
    ImportMapping? Mapping, ImportPreview? Preview, MachineProfile? Profile, IReadOnlyList<ImportProblem> Problems,
    DateTime CreatedAt, DateTime ExpiresAt, string? ConfirmTaskId);

/// <summary>The body of <c>PUT /imports/{id}/mapping</c>: any role left out is detected again.</summary>
public sealed record ImportMappingRequest
{
    public string? RunId { get; init; }
    public string? Order { get; init; }
    public List<string>? Sensors { get; init; }
    public List<string>? Context { get; init; }
    public List<string>? Labels { get; init; }
    public List<string>? Drop { get; init; }
    public string? Censored { get; init; }
    public double? RulCap { get; init; }
    public string? MachineId { get; init; }
    /// <summary><c>refuse</c> (default), <c>drop</c> or <c>interpolate</c>.</summary>
    public string? Missing { get; init; }

    public ImportOptions ToOptions(string sourceName, long maxBytes) => new()
    {
        RunId = Blank(RunId), Order = Blank(Order), Sensors = Sensors, Context = Context, Labels = Labels, Drop = Drop, Censored = Blank(Censored),
        RulCap = RulCap, MachineId = Blank(MachineId), SourceName = sourceName, MaxBytes = maxBytes,
        Missing = Missing?.ToLowerInvariant() switch
        {
            null or "" or "refuse" => MissingValues.Refuse,
            "drop" => MissingValues.Drop,
            "interpolate" => MissingValues.Interpolate,
            _ => throw new ArgumentException($"missing must be refuse, drop or interpolate, not '{Missing}'."),
        },
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The request that reproduces an import section (for appending runs with a machine's saved mapping).</summary>
    public static ImportMappingRequest From(ImportSpec spec, double? rulCap, string machineId) => new()
    {
        RunId = spec.RunIdColumn ?? ImportOptions.None,
        Order = spec.OrderColumn ?? ImportOptions.None,
        Sensors = spec.Sensors,
        Context = spec.Context,
        Labels = spec.Labels,
        Drop = spec.Dropped,
        Censored = spec.CensoredColumn ?? ImportOptions.None,
        RulCap = rulCap,
        MachineId = machineId,
    };
}

/// <summary>What confirming an import produced.</summary>
public sealed record ImportConfirmation(string MachineId, Guid DatasetId, long Rows, int Runs, bool Appended);
