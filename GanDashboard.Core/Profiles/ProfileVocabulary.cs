using System.Text.RegularExpressions;

namespace GanDashboard.Core.Profiles;

/// <summary>The words the schema knows (notes: profiles-and-seed.md sections 1 and 5).</summary>
public static partial class ProfileVocabulary
{
    public const string SchemaVersion = "1.0";
    public const int MaxSensors = 50;
    public const int FewSensors = 5;

    /// <summary>Column names the seed generator writes itself; a sensor may not take one.</summary>
    public static readonly IReadOnlySet<string> ReservedColumnNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "timestamp", "run_id", "step", "rul", "rul_capped", "health_index", "health_state",
        "failure_mode", "operating_mode", "load_fraction", "machine_id",
    };

    /// <summary>Label columns that <c>labels.emit</c> may name.</summary>
    public static readonly IReadOnlySet<string> LabelColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "run_id", "step", "timestamp", "operating_hours", "operating_mode", "load_fraction",
        "health_index", "health_state", "failure_mode", "rul", "rul_capped",
    };

    /// <summary>Machine types that get an icon; any other snake_case word is accepted too.</summary>
    public static readonly IReadOnlySet<string> KnownMachineTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "motor", "pump", "compressor", "fan", "cnc", "gearbox", "conveyor", "turbine", "chiller", "hydraulic",
    };

    public static readonly IReadOnlySet<string> SensorTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "temperature", "vibration", "current", "voltage", "power", "speed", "pressure", "flow", "performance",
        "leakage", "acoustic", "wear", "torque", "level", "humidity", "other",
    };

    public static readonly IReadOnlyList<string> Directions = ["increasing", "decreasing", "none"];

    public static readonly IReadOnlyList<string> HealthStates = ["healthy", "degrading", "warning", "critical"];

    public static readonly IReadOnlyList<string> Distributions = ["weibull", "lognormal", "uniform"];

    public static readonly IReadOnlyList<string> Laws = ["linear", "power", "exponential", "three_phase", "step", "paris"];

    public static readonly IReadOnlyList<string> CriterionLevels = ["warning", "critical"];

    public const string ArrheniusRule = "arrhenius_10k_rule";

    /// <summary>Seconds per time unit (<c>time_to_failure.unit</c>, <c>labels.rul_unit</c>).</summary>
    public static readonly IReadOnlyDictionary<string, double> TimeUnitSeconds = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["s"] = 1, ["min"] = 60, ["h"] = 3600, ["d"] = 86400,
    };

    /// <summary>Name suffixes that promise a unit, with the unit spellings that keep the promise.</summary>
    public static readonly IReadOnlyList<(string Suffix, string[] Units)> UnitSuffixes =
    [
        ("_mm_s", ["mm/s"]),
        ("_rpm", ["rpm", "1/min", "min^-1", "min-1", "r/min"]),
        ("_bar", ["bar", "bar(g)", "barg", "bar(a)", "bara"]),
        ("_pct", ["%"]),
        ("_c", ["°C", "degC", "C", "℃"]),
        ("_a", ["A"]),
    ];

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SnakeCase();

    public static bool IsSnakeCase(string? word) => !string.IsNullOrEmpty(word) && SnakeCase().IsMatch(word);
}
