namespace GanDashboard.Core.Profiles;

internal enum CellKind
{
    Text,
    Number,
    Flag,
    /// <summary>A list of words in one cell, separated by commas (labels.health_states, labels.emit).</summary>
    TextList,
}

/// <summary>
/// The Excel layout shared by the reader, the writer and the template (documented in docs/profile-excel-layout.md):
/// sheet <c>machine</c> holds key/value rows with dotted keys, each list has its own sheet whose dotted column
/// headers name nested fields, and <c>effects</c> rows point at their failure mode by id.
/// </summary>
internal static class ProfileExcelLayout
{
    public const string Machine = "machine", Sensors = "sensors", OperatingModes = "operating_modes",
        FailureModes = "failure_modes", Effects = "effects", References = "references";

    public const string KeyHeader = "key", ValueHeader = "value", EffectOwner = "failure_mode", ReferenceHeader = "text";
    public const string OperationalPrefix = "operational_parameters.", BaselinePrefix = "sensor_baselines.";

    public static readonly IReadOnlyList<(string Key, CellKind Kind)> MachineKeys =
    [
        ("schema_version", CellKind.Text), ("machine_id", CellKind.Text), ("machine_type", CellKind.Text),
        ("manufacturer", CellKind.Text), ("model", CellKind.Text), ("description", CellKind.Text),
        ("sampling.interval_s", CellKind.Number), ("sampling.aggregation", CellKind.Text),
        ("labels.rul_unit", CellKind.Text), ("labels.rul_cap", CellKind.Number),
        ("labels.health_states", CellKind.TextList), ("labels.emit", CellKind.TextList),
    ];

    public static readonly IReadOnlyList<(string Key, CellKind Kind)> SensorColumns =
    [
        ("name", CellKind.Text), ("display_name", CellKind.Text), ("sensor_type", CellKind.Text), ("unit", CellKind.Text),
        ("range.min", CellKind.Number), ("range.max", CellKind.Number),
        ("normal.min", CellKind.Number), ("normal.typical", CellKind.Number), ("normal.max", CellKind.Number),
        ("warning", CellKind.Number), ("critical", CellKind.Number), ("direction", CellKind.Text), ("noise_std", CellKind.Number),
        ("load_response.no_load_value", CellKind.Number), ("load_response.exponent", CellKind.Number),
        ("ambient_coupled", CellKind.Flag),
        ("dynamics.type", CellKind.Text), ("dynamics.step_std", CellKind.Number), ("dynamics.reversion", CellKind.Number),
        ("observable", CellKind.Flag), ("is_critical", CellKind.Flag), ("threshold_source", CellKind.Text),
    ];

    public static readonly IReadOnlyList<(string Key, CellKind Kind)> OperatingModeColumns =
    [
        ("name", CellKind.Text), ("weight", CellKind.Number), ("load_fraction", CellKind.Number), ("mean_dwell_steps", CellKind.Number),
    ];

    public static readonly IReadOnlyList<(string Key, CellKind Kind)> FailureModeColumns =
    [
        ("id", CellKind.Text), ("name", CellKind.Text), ("component", CellKind.Text), ("run_share", CellKind.Number),
        ("time_to_failure.unit", CellKind.Text), ("time_to_failure.distribution", CellKind.Text),
        ("time_to_failure.shape", CellKind.Number), ("time_to_failure.scale", CellKind.Number),
        ("time_to_failure.mu", CellKind.Number), ("time_to_failure.sigma", CellKind.Number),
        ("time_to_failure.min", CellKind.Number), ("time_to_failure.max", CellKind.Number),
        ("onset_fraction.min", CellKind.Number), ("onset_fraction.max", CellKind.Number),
        ("progression.law", CellKind.Text), ("progression.rate", CellKind.Number), ("progression.exponent", CellKind.Number),
        ("progression.break_in_fraction", CellKind.Number), ("progression.break_in_share", CellKind.Number),
        ("progression.accel_exponent", CellKind.Number), ("progression.initial_fraction", CellKind.Number),
        ("age_acceleration.type", CellKind.Text), ("age_acceleration.driver_sensor", CellKind.Text),
        ("age_acceleration.ref_value", CellKind.Number), ("age_acceleration.doubling_interval", CellKind.Number),
        ("failure_criterion.sensor", CellKind.Text), ("failure_criterion.level", CellKind.Text),
    ];

    public static readonly IReadOnlyList<(string Key, CellKind Kind)> EffectColumns =
    [
        (EffectOwner, CellKind.Text), ("sensor", CellKind.Text), ("reach", CellKind.Number), ("delta", CellKind.Number), ("relative", CellKind.Number),
    ];

    /// <summary>The known columns of a list sheet (unknown headers are read as they come and end up as unknown-field warnings).</summary>
    public static IReadOnlyList<(string Key, CellKind Kind)> ColumnsOf(string sheet) => sheet switch
    {
        Sensors => SensorColumns,
        OperatingModes => OperatingModeColumns,
        FailureModes => FailureModeColumns,
        Effects => EffectColumns,
        References => [(ReferenceHeader, CellKind.Text)],
        _ => [],
    };

    public static CellKind? KindOf(string sheet, string key)
    {
        if (sheet == OperatingModes && key.StartsWith(BaselinePrefix, StringComparison.Ordinal)) return CellKind.Number;
        var columns = sheet == Machine ? MachineKeys : ColumnsOf(sheet);
        foreach (var (k, kind) in columns)
            if (k == key) return kind;
        return null;
    }
}
