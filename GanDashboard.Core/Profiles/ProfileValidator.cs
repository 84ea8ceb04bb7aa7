using System.Globalization;
using System.Text.Json;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Checks a profile against every rule of the schema (notes: profiles-and-seed.md sections 1 and 5).
/// Errors reject the profile; warnings are shown to the user. Rules never special-case a machine type.
/// </summary>
public static partial class ProfileValidator
{
    /// <param name="existingMachineIds">Ids already taken by stored profiles, models or datasets (checked for uniqueness).</param>
    public static ProfileValidation Validate(MachineProfile profile, ISet<string>? existingMachineIds = null)
    {
        if (profile.IsImported) return ValidateImported(profile, existingMachineIds);
        var findings = new List<ProfileFinding>();
        CheckIdentity(profile, existingMachineIds, findings);
        CheckSensors(profile, findings);
        CheckOperatingModes(profile, findings);
        CheckFailureModes(profile, findings);
        CheckSampling(profile, findings);
        CheckLabels(profile, findings);
        CheckUnknownFields(profile, findings);
        return new ProfileValidation(findings);
    }

    private static void CheckIdentity(MachineProfile p, ISet<string>? existingIds, List<ProfileFinding> f)
    {
        if (p.SchemaVersion is null)
            f.Add(ProfileFinding.Warning("schema_version", "schema.version", "schema_version is missing; version 1.0 is assumed.", "Add \"schema_version\": \"1.0\"."));
        else if (p.SchemaVersion != ProfileVocabulary.SchemaVersion)
            f.Add(ProfileFinding.Warning("schema_version", "schema.version", $"schema_version '{p.SchemaVersion}' is not the supported version {ProfileVocabulary.SchemaVersion}; fields are read as version 1.0.", "Set schema_version to \"1.0\" after checking the fields."));

        if (MachineIds.Problem(p.MachineId) is { } idProblem)
            f.Add(ProfileFinding.Error("machine_id", "identity.machine_id", idProblem, "Use lower snake_case: <machine_type>_<maker>_<model or site>_<number>, e.g. motor_siemens_1la7_001."));
        else if (existingIds is not null && existingIds.Contains(p.MachineId!))
            f.Add(ProfileFinding.Error("machine_id", "identity.machine_id_unique", $"machine_id '{p.MachineId}' is already used by a stored profile, model or dataset.", "Choose another id, e.g. increase the trailing number."));

        if (string.IsNullOrWhiteSpace(p.MachineType))
            f.Add(ProfileFinding.Error("machine_type", "identity.machine_type", "machine_type is missing.", $"Add a snake_case word such as {string.Join(", ", ProfileVocabulary.KnownMachineTypes.Order(StringComparer.Ordinal))}."));
        else if (!ProfileVocabulary.IsSnakeCase(p.MachineType))
            f.Add(ProfileFinding.Error("machine_type", "identity.machine_type", $"machine_type '{p.MachineType}' is not a snake_case word.", "Use lower case letters, digits and '_' only, e.g. motor or heat_exchanger."));
        else if (MachineIds.IsSafe(p.MachineId) && !p.MachineId!.StartsWith(p.MachineType + "_", StringComparison.Ordinal))
            f.Add(ProfileFinding.Error("machine_id", "identity.prefix", $"machine_id '{p.MachineId}' does not start with its machine_type '{p.MachineType}_'.", $"Rename it to {p.MachineType}_<maker>_<number>, or correct machine_type."));

        CheckName(p.Manufacturer, "manufacturer", f);
        CheckName(p.Model, "model", f);
    }

    private static void CheckName(string? value, string path, List<ProfileFinding> f)
    {
        if (value is null || value.Trim().Length < 2)
            f.Add(ProfileFinding.Error(path, "identity." + path, $"{path} must have at least 2 characters{(value is null ? " (it is missing)" : "")}.", $"Enter the {path} as on the rating plate."));
    }

    private static void CheckLabels(MachineProfile p, List<ProfileFinding> f)
    {
        if (p.Labels is not { } labels)
        {
            f.Add(ProfileFinding.Error("labels", "labels.required", "labels is missing.", "Add labels with rul_unit (the time-to-failure unit) and rul_cap."));
            return;
        }
        if (labels.RulUnit is null || !ProfileVocabulary.TimeUnitSeconds.ContainsKey(labels.RulUnit))
            f.Add(ProfileFinding.Error("labels.rul_unit", "labels.rul_unit", $"labels.rul_unit {Quote(labels.RulUnit)} is not one of s, min, h, d.", "Set it to the failure modes' time_to_failure.unit."));
        else
        {
            foreach (var (mode, i) in (p.FailureModes ?? []).Select((m, i) => (m, i)))
                if (mode.TimeToFailure?.Unit is { } unit && ProfileVocabulary.TimeUnitSeconds.ContainsKey(unit) && unit != labels.RulUnit)
                    f.Add(ProfileFinding.Error("labels.rul_unit", "labels.rul_unit", $"labels.rul_unit '{labels.RulUnit}' differs from failure_modes[{i}].time_to_failure.unit '{unit}'.", $"Use one time unit for RUL and every time to failure (e.g. both '{unit}')."));
        }
        if (labels.RulCap is not > 0)
            f.Add(ProfileFinding.Error("labels.rul_cap", "labels.rul_cap", $"labels.rul_cap must be greater than 0 (it is {Show(labels.RulCap)}).", "Set the RUL cap in rul_unit, e.g. about the length of the degradation phase."));
        if (labels.HealthStates is { } states && !states.SequenceEqual(ProfileVocabulary.HealthStates))
            f.Add(ProfileFinding.Warning("labels.health_states", "labels.health_states", $"labels.health_states [{string.Join(", ", states)}] differs from the states the generator writes.", $"Use [{string.Join(", ", ProfileVocabulary.HealthStates)}]."));
        foreach (var (column, i) in (labels.Emit ?? []).Select((c, i) => (c, i)))
            if (!ProfileVocabulary.LabelColumns.Contains(column))
                f.Add(ProfileFinding.Warning($"labels.emit[{i}]", "labels.emit", $"'{column}' is not a label column the generator knows; it is ignored.", $"Use one of {string.Join(", ", ProfileVocabulary.LabelColumns)}."));
    }

    private static void CheckUnknownFields(MachineProfile p, List<ProfileFinding> f)
    {
        Unknown("", p.Extra, f);
        Unknown("sampling.", p.Sampling?.Extra, f);
        Unknown("labels.", p.Labels?.Extra, f);
        foreach (var (m, i) in (p.OperatingModes ?? []).Select((m, i) => (m, i)))
            Unknown($"operating_modes[{i}].", m.Extra, f);
        foreach (var (s, i) in (p.Sensors ?? []).Select((s, i) => (s, i)))
        {
            Unknown($"sensors[{i}].", s.Extra, f);
            Unknown($"sensors[{i}].range.", s.Range?.Extra, f);
            Unknown($"sensors[{i}].normal.", s.Normal?.Extra, f);
            Unknown($"sensors[{i}].load_response.", s.LoadResponse?.Extra, f);
            Unknown($"sensors[{i}].dynamics.", s.Dynamics?.Extra, f);
        }
        foreach (var (m, i) in (p.FailureModes ?? []).Select((m, i) => (m, i)))
        {
            Unknown($"failure_modes[{i}].", m.Extra, f);
            Unknown($"failure_modes[{i}].time_to_failure.", m.TimeToFailure?.Extra, f);
            Unknown($"failure_modes[{i}].onset_fraction.", m.OnsetFraction?.Extra, f);
            Unknown($"failure_modes[{i}].progression.", m.Progression?.Extra, f);
            Unknown($"failure_modes[{i}].age_acceleration.", m.AgeAcceleration?.Extra, f);
            Unknown($"failure_modes[{i}].failure_criterion.", m.FailureCriterion?.Extra, f);
            foreach (var (e, j) in (m.Effects ?? []).Select((e, j) => (e, j)))
                Unknown($"failure_modes[{i}].effects[{j}].", e.Extra, f);
        }
    }

    private static void Unknown(string prefix, Dictionary<string, JsonElement>? extra, List<ProfileFinding> f)
    {
        foreach (string key in (extra?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
            f.Add(ProfileFinding.Warning(prefix + key, "schema.unknown_field", $"'{prefix}{key}' is not part of the schema; it is kept but not used.", "Remove it, or check its spelling against the schema (snake_case names)."));
    }

    internal static string Show(double? value) => value is { } v ? v.ToString("0.######", CultureInfo.InvariantCulture) : "missing";

    internal static string Quote(string? value) => value is null ? "(missing)" : $"'{value}'";
}
