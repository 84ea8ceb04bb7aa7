using System.Text.Json;
using System.Text.Json.Nodes;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Converts the original product's formats into a draft profile (notes section 1 "Compatibility", section 5
/// "Legacy formats"). They carry no failure modes, sampling or modes: the draft gets errors for what the user
/// must add and warnings for every value that was assumed.
/// </summary>
internal static class LegacyProfileConverter
{
    private const string TemplateKey = "baseline_normal_operation";
    private static readonly string[] IdentityKeys = ["schema_version", "machine_id", "machine_type", "manufacturer", "model", "description", "operational_parameters"];

    public static ProfileSourceFormat? Detect(JsonObject root)
    {
        if (root.ContainsKey(TemplateKey)) return ProfileSourceFormat.LegacyTemplate;
        bool oldSensors = root["sensors"] is JsonArray sensors
            && sensors.Any(s => s is JsonObject o && (o.ContainsKey("min_value") || o.ContainsKey("max_value")));
        return oldSensors && !root.ContainsKey("failure_modes") ? ProfileSourceFormat.LegacyUpload : null;
    }

    public static (MachineProfile Profile, List<ProfileFinding> Findings) Convert(JsonObject root, ProfileSourceFormat format)
    {
        var findings = new List<ProfileFinding>();
        var sensors = format == ProfileSourceFormat.LegacyTemplate ? FromTemplate(root, findings) : FromUpload(root, findings);
        string[] consumed = [.. IdentityKeys, "sensors", TemplateKey];
        var profile = new MachineProfile
        {
            SchemaVersion = ProfileVocabulary.SchemaVersion,
            MachineId = Text(root["machine_id"], "machine_id"),
            MachineType = Text(root["machine_type"], "machine_type"),
            Manufacturer = Text(root["manufacturer"], "manufacturer"),
            Model = Text(root["model"], "model"),
            Description = Text(root["description"], "description"),
            OperationalParameters = root["operational_parameters"] is JsonObject op
                ? op.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal)
                : null,
            Sensors = sensors,
            Extra = root.Where(p => !consumed.Contains(p.Key)).ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal) is { Count: > 0 } extra ? extra : null,
        };
        string source = format == ProfileSourceFormat.LegacyTemplate ? "the legacy baseline template" : "the legacy upload format";
        findings.Insert(0, ProfileFinding.Warning("", "legacy.draft", $"Converted from {source} into a draft profile (schema_version 1.0).", "Complete the draft in the editor; it becomes a machine once it has no errors."));
        findings.Add(ProfileFinding.Error("sampling.interval_s", "legacy.missing", $"{Capital(source)} has no sampling interval.", "Enter sampling.interval_s (e.g. 3600 for hourly rows)."));
        findings.Add(ProfileFinding.Error("operating_modes", "legacy.missing", $"{Capital(source)} has no operating modes.", "Add at least one mode with name, weight, load_fraction and mean_dwell_steps."));
        findings.Add(ProfileFinding.Error("failure_modes", "legacy.missing", $"{Capital(source)} has no failure modes.", "Add the failure modes: time to failure, progression law, effects on sensors, failure criterion."));
        findings.Add(ProfileFinding.Error("labels", "legacy.missing", $"{Capital(source)} has no labels.", "Add labels.rul_unit (the time-to-failure unit) and labels.rul_cap."));
        return (profile, findings);
    }

    private static List<SensorSpec> FromUpload(JsonObject root, List<ProfileFinding> findings)
    {
        var result = new List<SensorSpec>();
        if (root["sensors"] is not JsonArray sensors) return result;
        for (int i = 0; i < sensors.Count; i++)
        {
            string at = $"sensors[{i}]";
            if (sensors[i] is not JsonObject s)
                throw new ProfileFormatException($"'{at}' must be an object with name, unit, min_value, max_value. Fix: correct that entry.");
            result.Add(new SensorSpec
            {
                Name = Text(s["name"], at + ".name"),
                DisplayName = Text(s["display_name"], at + ".display_name"),
                SensorType = Text(s["sensor_type"], at + ".sensor_type"),
                Unit = Text(s["unit"], at + ".unit"),
                Range = new ValueRange { Min = Number(s["min_value"], at + ".min_value"), Max = Number(s["max_value"], at + ".max_value") },
                Direction = "increasing",
                IsCritical = Flag(s["is_critical"], at + ".is_critical"),
            });
            findings.Add(ProfileFinding.Warning(at + ".direction", "legacy.assumed", $"Sensor {Quoted(s["name"])}: direction assumed 'increasing' (the legacy format has none).", "Set decreasing for flow/efficiency-like sensors, none for context sensors."));
            findings.Add(ProfileFinding.Error(at + ".normal", "legacy.missing", $"Sensor {Quoted(s["name"])} has no normal band in the legacy format (min_value/max_value became the range).", "Enter normal.min, normal.typical and normal.max, and the warning/critical thresholds."));
        }
        return result;
    }

    private static List<SensorSpec> FromTemplate(JsonObject root, List<ProfileFinding> findings)
    {
        var result = new List<SensorSpec>();
        if (root[TemplateKey] is not JsonObject groups)
            throw new ProfileFormatException($"'{TemplateKey}' must map sensor groups to sensors. Fix: use {TemplateKey}: {{group: {{sensor: {{min, typical, max, alarm, trip, unit}}}}}}.");
        foreach (var (group, groupNode) in groups)
        {
            if (groupNode is not JsonObject members)
                throw new ProfileFormatException($"'{TemplateKey}.{group}' must map sensor names to {{min, typical, max, alarm, trip, unit}}. Fix: correct that group.");
            foreach (var (name, node) in members)
            {
                string legacy = $"{TemplateKey}.{group}.{name}";
                if (node is not JsonObject b)
                    throw new ProfileFormatException($"'{legacy}' must be an object {{min, typical, max, alarm, trip, unit}}. Fix: correct that sensor.");
                string at = $"sensors[{result.Count}]";
                var normal = new NormalBand { Min = Number(b["min"], legacy + ".min"), Typical = Number(b["typical"], legacy + ".typical"), Max = Number(b["max"], legacy + ".max") };
                double? alarm = Number(b["alarm"], legacy + ".alarm"), trip = Number(b["trip"], legacy + ".trip");
                string direction = InferDirection(normal, alarm ?? trip);
                var range = AssumeRange([normal.Min, normal.Typical, normal.Max, alarm, trip]);
                result.Add(new SensorSpec
                {
                    Name = name,
                    SensorType = SensorTypeOf(group, at, findings),
                    Unit = Text(b["unit"], legacy + ".unit"),
                    Range = range,
                    Normal = normal,
                    Warning = alarm,
                    Critical = trip,
                    Direction = direction,
                });
                findings.Add(ProfileFinding.Warning(at + ".direction", "legacy.assumed", $"Sensor '{name}': direction '{direction}' inferred from where alarm/trip lie relative to the normal band.", "Check the direction."));
                if (range is not null)
                    findings.Add(ProfileFinding.Warning(at + ".range", "legacy.assumed", $"Sensor '{name}': range [{ProfileValidator.Show(range.Min)}, {ProfileValidator.Show(range.Max)}] assumed (the template has no measuring range).", "Enter the transmitter's real measuring range."));
            }
        }
        return result;
    }

    private static string InferDirection(NormalBand normal, double? threshold) => threshold switch
    {
        null => "none",
        { } t when normal.Max is { } max && t > max => "increasing",
        { } t when normal.Min is { } min && t < min => "decreasing",
        _ => "increasing",
    };

    /// <summary>The known values widened by their spread on each side, not below 0 when all values are non-negative.</summary>
    private static ValueRange? AssumeRange(double?[] values)
    {
        var known = values.OfType<double>().ToList();
        if (known.Count == 0) return null;
        double lo = known.Min(), hi = known.Max();
        double spread = hi > lo ? hi - lo : Math.Max(Math.Abs(hi), 1);
        return new ValueRange { Min = lo >= 0 ? Math.Max(0, lo - spread) : lo - spread, Max = hi + spread };
    }

    private static string SensorTypeOf(string group, string at, List<ProfileFinding> findings)
    {
        string word = group.Trim().ToLowerInvariant();
        if (ProfileVocabulary.SensorTypes.Contains(word)) return word;
        if (word.EndsWith('s') && ProfileVocabulary.SensorTypes.Contains(word[..^1])) return word[..^1];
        findings.Add(ProfileFinding.Warning(at + ".sensor_type", "legacy.assumed", $"Group '{group}' is not a sensor type; 'other' assumed.", $"Pick one of {string.Join(", ", ProfileVocabulary.SensorTypes)}."));
        return "other";
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Quoted(JsonNode? name) => name is JsonValue v && v.TryGetValue(out string? s) ? $"'{s}'" : "(unnamed)";

    private static string? Text(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw WrongType(path, "text"),
    };

    private static double? Number(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.Deserialize<double>(), // YAML integers are held as long
        _ => throw WrongType(path, "a number"),
    };

    private static bool? Flag(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw WrongType(path, "true or false"),
    };

    private static ProfileFormatException WrongType(string path, string expected) =>
        new($"'{path}' must be {expected}. Fix: correct the value of {path}.");
}
