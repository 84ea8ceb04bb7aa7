using System.Text.Json;

namespace GanDashboard.Core.Import;

/// <summary>A column left out of generated data, and why.</summary>
public sealed record DroppedColumn(string Column, string Reason);

/// <summary>
/// How the columns of a file map onto runs, as detected and then changed by the user. Column names are the seed
/// table's (after <see cref="Renamed"/>). Every column is in exactly one role.
/// </summary>
public sealed record ImportMapping
{
    public string? RunIdColumn { get; init; }
    public string? OrderColumn { get; init; }
    /// <summary><c>counter</c>, <c>timestamp</c>, <c>number</c>, or null for file order.</summary>
    public string? OrderKind { get; init; }
    public List<string> Sensors { get; init; } = [];
    public List<string> Context { get; init; } = [];
    public List<string> Labels { get; init; } = [];
    public string? FailureModeColumn { get; init; }
    public string? CensoredColumn { get; init; }
    public List<DroppedColumn> Dropped { get; init; } = [];
    public Dictionary<string, JsonElement> Constants { get; init; } = [];
    public Dictionary<string, string> Renamed { get; init; } = [];
    /// <summary>True when the file's own <c>rul</c> column is taken as the label (checked against rows to the run's end).</summary>
    public bool RulFromFile { get; init; }
    public MissingValues Missing { get; init; }
    /// <summary>What detection chose and why, in the order it decided.</summary>
    public List<string> Notices { get; init; } = [];
}
