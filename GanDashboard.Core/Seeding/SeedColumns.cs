namespace GanDashboard.Core.Seeding;

/// <summary>The column names of a seed dataset (design note section 3.7), sensors going between the two lists.</summary>
public static class SeedColumns
{
    public const string RunId = "run_id";
    public const string Step = "step";
    public const string Timestamp = "timestamp";
    public const string OperatingHours = "operating_hours";
    public const string OperatingMode = "operating_mode";
    public const string LoadFraction = "load_fraction";
    public const string HealthIndex = "health_index";
    public const string HealthState = "health_state";
    public const string FailureMode = "failure_mode";
    public const string Rul = "rul";
    public const string RulCapped = "rul_capped";

    public static readonly IReadOnlyList<string> BeforeSensors = [RunId, Step, Timestamp, OperatingHours, OperatingMode, LoadFraction];
    public static readonly IReadOnlyList<string> AfterSensors = [HealthIndex, HealthState, FailureMode, Rul, RulCapped];

    /// <summary>Every run starts at this instant: runs are independent lives, not one machine's history.</summary>
    public static readonly DateTime RunStart = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<string> For(MachinePhysics physics) =>
        [.. BeforeSensors, .. physics.Sensors.Select(s => s.Name), .. AfterSensors];
}
