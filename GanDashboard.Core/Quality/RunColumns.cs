using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality;

/// <summary>The column names of the seed generator's run tables and which of them are sensors.</summary>
public static class RunColumns
{
    public const string FailureMode = "failure_mode";
    public const string OperatingMode = "operating_mode";
    public const string HealthState = "health_state";
    public const string LoadFraction = "load_fraction";
    public const string RulCapped = "rul_capped";

    /// <summary>Columns that are identifiers, time, context or labels rather than sensor readings.</summary>
    public static readonly IReadOnlySet<string> NonSensor = new HashSet<string>(StringComparer.Ordinal)
    {
        "run_id", "step", "timestamp", "operating_hours", OperatingMode, LoadFraction, "health_index",
        HealthState, FailureMode, "rul", RulCapped, "machine_id",
    };

    /// <summary>
    /// The sensor columns of a table: the profile's sensors that the table holds (only observable ones when asked),
    /// or without a profile every numeric column that is not an identifier or a label.
    /// </summary>
    public static IReadOnlyList<string> Sensors(Table table, MachineProfile? profile, bool observableOnly = false)
    {
        if (profile?.Sensors is { Count: > 0 } sensors)
        {
            return sensors
                .Where(s => s.ColumnName is not null && table.Find(s.ColumnName) is { IsNumberColumn: true } && (!observableOnly || s.Observable != false))
                .Select(s => s.ColumnName!)
                .ToList();
        }
        return table.Columns
            .Where(c => c.Kind == ColumnKind.Numeric && !NonSensor.Contains(c.Name) && !c.Name.StartsWith("rul", StringComparison.Ordinal))
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>True for a run-to-failure table: runs, steps, failure and operating modes.</summary>
    public static bool IsRunTable(Table table) =>
        table.Has(RunIndex.RunIdColumn) && table.Has(RunIndex.StepColumn) && table.Has(FailureMode) && table.Has(OperatingMode);
}
