using GanDashboard.Core.Import;

namespace GanDashboard.Core.Profiles;

// The rules of an imported machine's profile (one with an `import` section). Its seed data is the user's table, so
// no unit, sensor type, thresholds, time to failure or effects are required, and up to 500 sensors are allowed. What
// physics-based seeding would still need is reported as warnings, so `profile validate` lists it.
public static partial class ProfileValidator
{
    public const int MaxImportedSensors = ImportOptions.MaxColumns;

    private static readonly HashSet<string> ImportedRulUnits = new(StringComparer.Ordinal) { "steps", "cycles", "s", "min", "h", "d" };
    private static readonly HashSet<string> OrderKinds = new(StringComparer.Ordinal) { "counter", "timestamp", "number" };

    /// <summary>Validates a profile under the imported-machine rules (whether or not it has an import section).</summary>
    public static ProfileValidation ValidateImported(MachineProfile profile, ISet<string>? existingMachineIds = null)
    {
        var f = new List<ProfileFinding>();
        if (profile.SchemaVersion is null)
            f.Add(ProfileFinding.Warning("schema_version", "schema.version", "schema_version is missing; version 1.0 is assumed.", "Add \"schema_version\": \"1.0\"."));
        if (MachineIds.Problem(profile.MachineId) is { } idProblem)
            f.Add(ProfileFinding.Error("machine_id", "identity.machine_id", idProblem, "Use lower snake_case with three words or more, e.g. turbofan_fleet_001."));
        else if (existingMachineIds is not null && existingMachineIds.Contains(profile.MachineId!))
            f.Add(ProfileFinding.Error("machine_id", "identity.machine_id_unique", $"machine_id '{profile.MachineId}' is already used by a stored profile, model or dataset.", "Choose another id, e.g. increase the trailing number."));
        if (!ProfileVocabulary.IsSnakeCase(profile.MachineType))
            f.Add(ProfileFinding.Error("machine_type", "identity.machine_type", $"machine_type {Quote(profile.MachineType)} is not a snake_case word.", "Use imported (or another lower snake_case word)."));
        var spec = profile.Import;
        if (spec is null)
            f.Add(ProfileFinding.Error("import", "import.required", "The import section is missing: without it nothing says how the table maps onto runs.", "Import the table again (CLI import or the Import data page) to get the section."));
        CheckImportedSensors(profile, spec, f);
        CheckImportRoles(spec, f);
        CheckImportedFailureModes(profile, f);
        if (profile.Sampling?.IntervalS is { } interval && interval is not > 0)
            f.Add(ProfileFinding.Error("sampling.interval_s", "sampling.interval_s", $"sampling.interval_s must be greater than 0 (it is {Show(interval)}).", "Set the seconds between rows (1 when rows are steps or cycles)."));
        if (profile.Labels is not { } labels)
            f.Add(ProfileFinding.Error("labels", "labels.required", "labels is missing.", "Add labels with rul_unit (steps or cycles) and rul_cap."));
        else
        {
            if (labels.RulUnit is null || !ImportedRulUnits.Contains(labels.RulUnit))
                f.Add(ProfileFinding.Error("labels.rul_unit", "labels.rul_unit", $"labels.rul_unit {Quote(labels.RulUnit)} is not one of {string.Join(", ", ImportedRulUnits)}.", "Use steps (rows), or cycles for a cycle counter."));
            if (labels.RulCap is not > 0)
                f.Add(ProfileFinding.Error("labels.rul_cap", "labels.rul_cap", $"labels.rul_cap must be greater than 0 (it is {Show(labels.RulCap)}).", "Set the cap in rows, e.g. 60 % of the median run length."));
        }
        CheckUnknownFields(profile, f);
        CheckPhysicsReadiness(profile, f);
        return new ProfileValidation(f);
    }

    private static void CheckImportedSensors(MachineProfile p, ImportSpec? spec, List<ProfileFinding> f)
    {
        var sensors = p.Sensors ?? [];
        if (sensors.Count == 0)
            f.Add(ProfileFinding.Error("sensors", "sensors.count", "The profile has no sensors.", "Mark at least one numeric column as a sensor."));
        else if (sensors.Count > MaxImportedSensors)
            f.Add(ProfileFinding.Error("sensors", "sensors.count", $"The profile has {sensors.Count} sensors; an imported machine has at most {MaxImportedSensors}.", "Drop the columns you do not need."));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var columns = spec?.Columns is { } c ? new HashSet<string>(c, StringComparer.Ordinal) : null;
        var sensorColumns = new HashSet<string>(spec?.Sensors ?? [], StringComparer.Ordinal);
        for (int i = 0; i < sensors.Count; i++)
        {
            var s = sensors[i];
            string at = $"sensors[{i}]";
            CheckSensorName(s, at, seen, f);
            if (s.ColumnName is { } column && columns is not null && !columns.Contains(column))
                f.Add(ProfileFinding.Error(at + ".column", "import.sensor_column", $"Sensor {Quote(s.Name)} reads column '{column}', which the imported table does not have.", "Set column to one of import.columns."));
            else if (s.ColumnName is { } col && spec is not null && !sensorColumns.Contains(col))
                f.Add(ProfileFinding.Error(at + ".column", "import.sensor_column", $"Sensor {Quote(s.Name)} reads column '{col}', which import.sensors does not list.", "Add the column to import.sensors, or remove the sensor."));
            if (s.Range is { Min: { } min, Max: { } max } && min > max)
                f.Add(ProfileFinding.Error(at + ".range", "sensors.range", $"Sensor {Quote(s.Name)} has range min {Show(min)} above max {Show(max)}.", "Swap them, or re-import to take the observed range."));
        }
    }

    private static void CheckImportRoles(ImportSpec? spec, List<ProfileFinding> f)
    {
        if (spec is null) return;
        if (spec.OrderKind is { } kind && !OrderKinds.Contains(kind))
            f.Add(ProfileFinding.Error("import.order_kind", "import.order_kind", $"import.order_kind '{kind}' is not counter, timestamp or number.", "Use counter for 1, 2, 3..., timestamp for times, number otherwise."));
        if (spec.OrderStep is { } step && step is not > 0)
            f.Add(ProfileFinding.Error("import.order_step", "import.order_step", $"import.order_step must be greater than 0 (it is {Show(step)}).", "Set how far the order column advances per row."));
        if (spec.Columns is not { } columns) return;
        var known = new HashSet<string>(columns, StringComparer.Ordinal);
        var roleOf = new Dictionary<string, string>(StringComparer.Ordinal);
        void Role(string? column, string role)
        {
            if (column is null) return;
            if (!known.Contains(column))
                f.Add(ProfileFinding.Error($"import.{role}", "import.unknown_column", $"import.{role} names '{column}', which is not in import.columns.", "Use a column of the imported table."));
            else if (!roleOf.TryAdd(column, role))
                f.Add(ProfileFinding.Error($"import.{role}", "import.one_role", $"Column '{column}' is in import.{roleOf[column]} and import.{role}.", "Give each column one role."));
        }
        Role(spec.RunIdColumn, "run_id_column");
        Role(spec.OrderColumn, "order_column");
        Role(spec.CensoredColumn, "censored_column");
        foreach (var column in spec.Sensors ?? []) Role(column, "sensors");
        foreach (var column in spec.Context ?? []) Role(column, "context");
        foreach (var column in spec.Labels ?? []) Role(column, "labels");
        foreach (var column in spec.Dropped ?? []) Role(column, "dropped");
        foreach (var column in spec.Constants?.Keys ?? Enumerable.Empty<string>()) Role(column, "constants");
        foreach (var column in columns.Where(c => !roleOf.ContainsKey(c)))
            f.Add(ProfileFinding.Error("import.columns", "import.one_role", $"Column '{column}' has no role.", "List it in sensors, context, labels, dropped or constants."));
        if (spec.FailureModeColumn is { } fm && !(spec.Labels ?? []).Contains(fm))
            f.Add(ProfileFinding.Error("import.failure_mode_column", "import.failure_mode_column", $"import.failure_mode_column '{fm}' is not one of import.labels.", "Name a label column, or remove it (one mode, unknown)."));
    }

    private static void CheckImportedFailureModes(MachineProfile p, List<ProfileFinding> f)
    {
        var modes = p.FailureModes ?? [];
        if (modes.Count == 0)
            f.Add(ProfileFinding.Error("failure_modes", "failure_modes.count", "The profile has no failure modes.", "Add one mode with id unknown, or the values of the failure-mode label column."));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < modes.Count; i++)
        {
            if (!ProfileVocabulary.IsSnakeCase(modes[i].Id))
                f.Add(ProfileFinding.Error($"failure_modes[{i}].id", "failure_modes.id", $"Failure mode id {Quote(modes[i].Id)} is not snake_case.", "Use lower case letters, digits and '_'."));
            else if (!ids.Add(modes[i].Id!))
                f.Add(ProfileFinding.Error($"failure_modes[{i}].id", "failure_modes.id", $"Failure mode id '{modes[i].Id}' is used twice.", "Give each mode its own id."));
            if (modes[i].RunShare is { } share && share is < 0 or > 1)
                f.Add(ProfileFinding.Error($"failure_modes[{i}].run_share", "failure_modes.run_share", $"run_share {Show(share)} is outside 0..1.", "Use the share of runs that end in this mode."));
        }
    }

    /// <summary>Warnings naming what physics-based seeding would need; the imported seed data does not.</summary>
    private static void CheckPhysicsReadiness(MachineProfile p, List<ProfileFinding> f)
    {
        const string Fix = "Nothing to do for an imported machine (its seed data is the imported table); fill these in only to seed it from physics.";
        var sensors = p.Sensors ?? [];
        void Missing(string what, IEnumerable<string?> names)
        {
            var list = names.ToList();
            if (list.Count > 0)
                f.Add(ProfileFinding.Warning("sensors", "import.physics_seeding", $"For physics-based seeding, {list.Count} sensor(s) lack {what}: {string.Join(", ", list.Take(8))}{(list.Count > 8 ? ", ..." : "")}.", Fix));
        }
        Missing("a unit", sensors.Where(s => string.IsNullOrWhiteSpace(s.Unit)).Select(s => s.Name));
        Missing("a sensor_type", sensors.Where(s => s.SensorType is null).Select(s => s.Name));
        Missing("warning/critical thresholds", sensors.Where(s => s.Warning is null || s.Critical is null).Select(s => s.Name));
        Missing("a normal band", sensors.Where(s => s.Normal is null).Select(s => s.Name));
        foreach (var (mode, i) in (p.FailureModes ?? []).Select((m, i) => (m, i)))
        {
            var lacks = new List<string>();
            if (mode.TimeToFailure is null) lacks.Add("time_to_failure");
            if (mode.Effects is not { Count: > 0 }) lacks.Add("effects");
            if (mode.FailureCriterion is null) lacks.Add("failure_criterion");
            if (mode.Progression is null) lacks.Add("progression");
            if (lacks.Count > 0)
                f.Add(ProfileFinding.Warning($"failure_modes[{i}]", "import.physics_seeding", $"For physics-based seeding, failure mode {Quote(mode.Id)} lacks {string.Join(", ", lacks)}.", Fix));
        }
        if (string.IsNullOrWhiteSpace(p.Manufacturer) || string.IsNullOrWhiteSpace(p.Model))
            f.Add(ProfileFinding.Warning("manufacturer", "import.physics_seeding", "For physics-based seeding, manufacturer and model are missing.", Fix));
    }
}
