using System.Text.Json;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// The downloadable Excel template: every sheet and column of the layout, with one example row per sheet taken
/// from <see cref="Example"/>, a small but complete (valid) fan profile. Users overwrite the example rows.
/// </summary>
public static class ProfileExcelTemplate
{
    public static void Write(Stream output) => ProfileExcelWriter.Write(Example, output);

    /// <summary>A minimal valid profile: one mode, one failure mode, three sensors (the validator warns that 3 is few).</summary>
    public static MachineProfile Example { get; } = new()
    {
        SchemaVersion = ProfileVocabulary.SchemaVersion,
        MachineId = "fan_example_plant_001",
        MachineType = "fan",
        Manufacturer = "Example Fans",
        Model = "EF-400 axial fan",
        Description = "Template example: replace every row with your machine's data.",
        OperationalParameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["rated_power_kw"] = JsonSerializer.SerializeToElement(5.5),
            ["ambient_ref_c"] = JsonSerializer.SerializeToElement(25),
        },
        Sampling = new SamplingSpec { IntervalS = 86400, Aggregation = "daily mean" },
        OperatingModes = [new OperatingMode { Name = "full_load", Weight = 1.0, LoadFraction = 1.0, MeanDwellSteps = 10 }],
        Sensors =
        [
            new SensorSpec
            {
                Name = "vibration_rms_mm_s", DisplayName = "Bearing housing vibration velocity RMS", SensorType = "vibration", Unit = "mm/s",
                Range = new ValueRange { Min = 0, Max = 50 }, Normal = new NormalBand { Min = 0.5, Typical = 1.5, Max = 2.8 },
                Warning = 4.5, Critical = 7.1, Direction = "increasing", NoiseStd = 0.08, IsCritical = true,
                ThresholdSource = "ISO 10816-3 group 2 (example)",
            },
            new SensorSpec
            {
                Name = "bearing_temp_c", DisplayName = "Bearing temperature", SensorType = "temperature", Unit = "°C",
                Range = new ValueRange { Min = -20, Max = 150 }, Normal = new NormalBand { Min = 30, Typical = 50, Max = 65 },
                Warning = 85, Critical = 100, Direction = "increasing", NoiseStd = 0.5, AmbientCoupled = true,
                LoadResponse = new LoadResponse { NoLoadValue = 35, Exponent = 1.0 },
            },
            new SensorSpec
            {
                Name = "ambient_temp_c", DisplayName = "Ambient air temperature", SensorType = "temperature", Unit = "°C",
                Range = new ValueRange { Min = -30, Max = 60 }, Normal = new NormalBand { Min = 10, Typical = 25, Max = 40 },
                Direction = "none", NoiseStd = 0.3,
                Dynamics = new SensorDynamics { Type = "mean_reverting_random_walk", StepStd = 0.8, Reversion = 0.05 },
            },
        ],
        FailureModes =
        [
            new FailureMode
            {
                Id = "bearing_wear", Name = "Rolling bearing wear", Component = "fan bearing", RunShare = 1.0,
                TimeToFailure = new TimeToFailure { Unit = "h", Distribution = "weibull", Shape = 1.8, Scale = 9000, Min = 2500, Max = 25000 },
                OnsetFraction = new FractionRange { Min = 0.6, Max = 0.85 },
                Progression = new Progression { Law = "exponential", Rate = 4.0 },
                Effects =
                [
                    new Effect { Sensor = "vibration_rms_mm_s", Reach = 1.0 },
                    new Effect { Sensor = "bearing_temp_c", Reach = 0.5 },
                ],
                FailureCriterion = new FailureCriterion { Sensor = "vibration_rms_mm_s", Level = "critical" },
            },
        ],
        Labels = new LabelSpec { RulUnit = "h", RulCap = 2000, HealthStates = [.. ProfileVocabulary.HealthStates] },
        References = ["Example values for the template; not a real machine."],
    };
}
