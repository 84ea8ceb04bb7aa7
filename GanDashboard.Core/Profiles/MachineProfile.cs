using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanDashboard.Core.Profiles;

// The machine profile schema (version 1.0). Every field is nullable so that a parsed profile can be
// validated field by field and its findings name exactly what is missing; ProfileValidator decides
// what is required. JSON, YAML and Excel all parse into these records (see ProfileParser).

/// <summary>One machine: identity, nameplate, sampling, operating modes, sensors and failure modes.</summary>
public sealed record MachineProfile
{
    public string? SchemaVersion { get; init; }
    public string? MachineId { get; init; }
    public string? MachineType { get; init; }
    public string? Manufacturer { get; init; }
    public string? Model { get; init; }
    public string? Description { get; init; }
    /// <summary>Nameplate values (rated power, speed, ambient_ref_c...): free-form numbers and text.</summary>
    public Dictionary<string, JsonElement>? OperationalParameters { get; init; }
    public SamplingSpec? Sampling { get; init; }
    public List<OperatingMode>? OperatingModes { get; init; }
    public List<SensorSpec>? Sensors { get; init; }
    public List<FailureMode>? FailureModes { get; init; }
    public LabelSpec? Labels { get; init; }
    public List<string>? References { get; init; }
    /// <summary>Present on a machine made from the user's own runs: how its table maps onto runs, sensors and labels.</summary>
    public Import.ImportSpec? Import { get; init; }

    /// <summary>Fields the schema does not know: kept when stored, reported as a warning.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The reference ambient temperature (°C) from <c>operational_parameters.ambient_ref_c</c>, 25 when absent.</summary>
    [JsonIgnore]
    public double AmbientReferenceC =>
        OperationalParameters?.GetValueOrDefault("ambient_ref_c") is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : 25.0;

    public SensorSpec? FindSensor(string? name) => Sensors?.FirstOrDefault(s => s.Name == name);

    /// <summary>True for a machine made from the user's own runs rather than from physics.</summary>
    [JsonIgnore]
    public bool IsImported => Import is not null;
}

public sealed record SamplingSpec
{
    public double? IntervalS { get; init; }
    public string? Aggregation { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record OperatingMode
{
    public string? Name { get; init; }
    public double? Weight { get; init; }
    public double? LoadFraction { get; init; }
    public double? MeanDwellSteps { get; init; }
    /// <summary>Per-sensor baseline overrides in this mode (sensor name to value).</summary>
    public Dictionary<string, double>? SensorBaselines { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record SensorSpec
{
    public string? Name { get; init; }
    public string? DisplayName { get; init; }
    /// <summary>The table column holding this sensor when it differs from <see cref="Name"/> (an imported table keeps its own column names).</summary>
    public string? Column { get; init; }
    public string? SensorType { get; init; }
    public string? Unit { get; init; }
    public ValueRange? Range { get; init; }
    public NormalBand? Normal { get; init; }
    public double? Warning { get; init; }
    public double? Critical { get; init; }
    /// <summary><c>increasing</c>, <c>decreasing</c> or <c>none</c> (a context sensor).</summary>
    public string? Direction { get; init; }
    public double? NoiseStd { get; init; }
    public LoadResponse? LoadResponse { get; init; }
    public bool? AmbientCoupled { get; init; }
    public SensorDynamics? Dynamics { get; init; }
    public bool? Observable { get; init; }
    public bool? IsCritical { get; init; }
    public string? ThresholdSource { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The table column that holds this sensor's values.</summary>
    [JsonIgnore]
    public string? ColumnName => Column ?? Name;

    /// <summary>The threshold named by a failure criterion's <c>level</c> (warning or critical).</summary>
    public double? Threshold(string? level) => level switch { "warning" => Warning, "critical" => Critical, _ => null };
}

public sealed record ValueRange
{
    public double? Min { get; init; }
    public double? Max { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record NormalBand
{
    public double? Min { get; init; }
    public double? Typical { get; init; }
    public double? Max { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record LoadResponse
{
    public double? NoLoadValue { get; init; }
    public double? Exponent { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>A context sensor's own motion, e.g. <c>mean_reverting_random_walk</c> with <c>step_std</c> and <c>reversion</c>.</summary>
public sealed record SensorDynamics
{
    public string? Type { get; init; }
    public double? StepStd { get; init; }
    public double? Reversion { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record FailureMode
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Component { get; init; }
    public double? RunShare { get; init; }
    public TimeToFailure? TimeToFailure { get; init; }
    public FractionRange? OnsetFraction { get; init; }
    public Progression? Progression { get; init; }
    public AgeAcceleration? AgeAcceleration { get; init; }
    public List<Effect>? Effects { get; init; }
    public FailureCriterion? FailureCriterion { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Time to failure: <c>weibull</c> (shape, scale), <c>lognormal</c> (mu, sigma) or <c>uniform</c>, truncated to [min, max].</summary>
public sealed record TimeToFailure
{
    public string? Unit { get; init; }
    public string? Distribution { get; init; }
    public double? Shape { get; init; }
    public double? Scale { get; init; }
    public double? Mu { get; init; }
    public double? Sigma { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record FractionRange
{
    public double? Min { get; init; }
    public double? Max { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Damage law D(tau): linear, power (exponent), exponential (rate), three_phase, step, paris.</summary>
public sealed record Progression
{
    public string? Law { get; init; }
    public double? Rate { get; init; }
    public double? Exponent { get; init; }
    public double? BreakInFraction { get; init; }
    public double? BreakInShare { get; init; }
    public double? AccelExponent { get; init; }
    public double? InitialFraction { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Arrhenius 10 K rule: age runs 2^((T - ref_value) / doubling_interval) times faster.</summary>
public sealed record AgeAcceleration
{
    public string? Type { get; init; }
    public string? DriverSensor { get; init; }
    public double? RefValue { get; init; }
    public double? DoublingInterval { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>How damage moves one sensor: exactly one of reach (share of the way to critical), delta (absolute) or relative (share of baseline).</summary>
public sealed record Effect
{
    public string? Sensor { get; init; }
    public double? Reach { get; init; }
    public double? Delta { get; init; }
    public double? Relative { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record FailureCriterion
{
    public string? Sensor { get; init; }
    /// <summary><c>warning</c> or <c>critical</c>.</summary>
    public string? Level { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record LabelSpec
{
    public string? RulUnit { get; init; }
    public double? RulCap { get; init; }
    public List<string>? HealthStates { get; init; }
    public List<string>? Emit { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}
