using GanDashboard.Core.Profiles;

namespace GanDashboard.Tests.Profiles;

/// <summary>One case per validation rule: a valid sample is broken in one place and the finding must name that place and rule.</summary>
public class ProfileValidatorRuleTests
{
    private static readonly MachineProfile Motor = ProfileSamples.Motor;
    private static readonly MachineProfile Pump = ProfileSamples.Load("pump_ksb_etanorm_002");
    private static readonly MachineProfile Cnc = ProfileSamples.Load("cnc_haas_vf2_004");

    private const FindingSeverity E = FindingSeverity.Error, W = FindingSeverity.Warning;

    private static readonly Dictionary<string, (Func<MachineProfile> Broken, string Path, string Rule, FindingSeverity Severity)> Cases = new()
    {
        ["id escapes a folder"] = (() => Motor with { MachineId = "../etc/motor_x_001" }, "machine_id", "identity.machine_id", E),
        ["id is absolute"] = (() => Motor with { MachineId = "/motor_x_001" }, "machine_id", "identity.machine_id", E),
        ["id has two words"] = (() => Motor with { MachineId = "motor_siemens" }, "machine_id", "identity.machine_id", E),
        ["id has double underscore"] = (() => Motor with { MachineId = "motor__siemens_001" }, "machine_id", "identity.machine_id", E),
        ["id is too long"] = (() => Motor with { MachineId = "motor_x_" + new string('1', 95) }, "machine_id", "identity.machine_id", E),
        ["id upper case"] = (() => Motor with { MachineId = "Motor_Siemens_001" }, "machine_id", "identity.machine_id", E),
        ["prefix differs from type"] = (() => Motor with { MachineType = "pump" }, "machine_id", "identity.prefix", E),
        ["type not snake_case"] = (() => Motor with { MachineType = "Electric Motor" }, "machine_type", "identity.machine_type", E),
        ["type missing"] = (() => Motor with { MachineType = null }, "machine_type", "identity.machine_type", E),
        ["manufacturer too short"] = (() => Motor with { Manufacturer = "S" }, "manufacturer", "identity.manufacturer", E),
        ["model missing"] = (() => Motor with { Model = null }, "model", "identity.model", E),
        ["schema version unknown"] = (() => Motor with { SchemaVersion = "2.0" }, "schema_version", "schema.version", W),

        ["no sensors"] = (() => Motor with { Sensors = [] }, "sensors", "sensors.count", E),
        ["more than 50 sensors"] = (() => Motor with { Sensors = [.. Enumerable.Range(0, 51).Select(i => Motor.Sensors![8] with { Name = $"speed_{i}_rpm" })] }, "sensors", "sensors.count", E),
        ["fewer than 5 sensors"] = (() => Motor with { Sensors = [.. Motor.Sensors!.Take(4)] }, "sensors", "sensors.count", W),
        ["name not snake_case"] = (() => Motor.WithSensor(3, s => s with { Name = "Frame Temp" }), "sensors[3].name", "sensors.name", E),
        ["name reserved"] = (() => Motor.WithSensor(3, s => s with { Name = "rul" }), "sensors[3].name", "sensors.reserved_name", E),
        ["name duplicated"] = (() => Motor.WithSensor(3, s => s with { Name = "winding_temp_c" }), "sensors[3].name", "sensors.duplicate_name", E),
        ["unit missing"] = (() => Motor.WithSensor(3, s => s with { Unit = " " }), "sensors[3].unit", "sensors.unit", E),
        ["sensor_type missing"] = (() => Motor.WithSensor(3, s => s with { SensorType = null }), "sensors[3].sensor_type", "sensors.sensor_type", E),
        ["sensor_type unknown word"] = (() => Motor.WithSensor(3, s => s with { SensorType = "thermal" }), "sensors[3].sensor_type", "sensors.sensor_type", W),
        ["range inverted"] = (() => Motor.WithSensor(3, s => s with { Range = new ValueRange { Min = 150, Max = -20 } }), "sensors[3].range", "sensors.range", E),
        ["range missing"] = (() => Motor.WithSensor(3, s => s with { Range = null }), "sensors[3].range", "sensors.range", E),
        ["normal missing"] = (() => Motor.WithSensor(3, s => s with { Normal = null }), "sensors[3].normal", "sensors.normal", E),
        ["normal below range"] = (() => Motor.WithSensor(3, s => s with { Normal = s.Normal! with { Min = -30 } }), "sensors[3].normal.min", "sensors.normal_order", E),
        ["typical above normal max"] = (() => Motor.WithSensor(3, s => s with { Normal = s.Normal! with { Typical = 80 } }), "sensors[3].normal.max", "sensors.normal_order", E),
        ["warning above critical"] = (() => Motor.WithSensor(3, s => s with { Warning = 110 }), "sensors[3].warning", "sensors.thresholds", E),
        ["warning inside normal band"] = (() => Motor.WithSensor(3, s => s with { Warning = 70 }), "sensors[3].warning", "sensors.thresholds", E),
        ["critical beyond range"] = (() => Motor.WithSensor(3, s => s with { Critical = 160 }), "sensors[3].critical", "sensors.thresholds", E),
        ["decreasing warning above normal min"] = (() => Pump.WithSensor(0, s => s with { Warning = 85 }), "sensors[0].warning", "sensors.thresholds", E),
        ["direction unknown"] = (() => Motor.WithSensor(3, s => s with { Direction = "up" }), "sensors[3].direction", "sensors.direction", E),
        ["direction missing"] = (() => Motor.WithSensor(3, s => s with { Direction = null }), "sensors[3].direction", "sensors.direction", E),
        ["noise negative"] = (() => Motor.WithSensor(3, s => s with { NoiseStd = -0.1 }), "sensors[3].noise_std", "sensors.noise", E),
        ["noise over half the band"] = (() => Motor.WithSensor(3, s => s with { NoiseStd = 30 }), "sensors[3].noise_std", "sensors.noise", W),
        ["unit does not match suffix"] = (() => Motor.WithSensor(3, s => s with { Unit = "K" }), "sensors[3].unit", "sensors.unit_suffix", W),

        ["interval missing"] = (() => Motor with { Sampling = null }, "sampling.interval_s", "sampling.interval", E),
        ["interval below 1 s"] = (() => Motor with { Sampling = new SamplingSpec { IntervalS = 0.5 } }, "sampling.interval_s", "sampling.interval", E),
        ["interval above 7 days"] = (() => Motor with { Sampling = new SamplingSpec { IntervalS = 8 * 86400 } }, "sampling.interval_s", "sampling.interval", E),
        ["shortest failure under 10 steps"] = (() => Cnc with { Sampling = new SamplingSpec { IntervalS = 120 } }, "failure_modes[1].time_to_failure.min", "sampling.min_steps", E),
        ["mean run over 5000 steps"] = (() => Motor with { Sampling = new SamplingSpec { IntervalS = 3600 } }, "sampling.interval_s", "sampling.mean_run_length", W),
        ["mean run under 50 steps"] = (() => Cnc with { Sampling = new SamplingSpec { IntervalS = 300 } }, "sampling.interval_s", "sampling.mean_run_length", W),

        ["no operating modes"] = (() => Motor with { OperatingModes = [] }, "operating_modes", "operating_modes.count", E),
        ["weights do not sum to 1"] = (() => Motor.WithMode(0, m => m with { Weight = 0.8 }), "operating_modes", "operating_modes.weights_sum", E),
        ["mode name duplicated"] = (() => Motor.WithMode(1, m => m with { Name = "three_shift" }), "operating_modes[1].name", "operating_modes.name", E),
        ["load fraction above 1.5"] = (() => Motor.WithMode(1, m => m with { LoadFraction = 1.6 }), "operating_modes[1].load_fraction", "operating_modes.load_fraction", E),
        ["dwell below one step"] = (() => Motor.WithMode(1, m => m with { MeanDwellSteps = 0.5 }), "operating_modes[1].mean_dwell_steps", "operating_modes.mean_dwell_steps", E),
        ["baseline names no sensor"] = (() => Cnc.WithMode(0, m => m with { SensorBaselines = new() { ["spindle_speed"] = 4000 } }), "operating_modes[0].sensor_baselines.spindle_speed", "operating_modes.sensor_baselines", E),
        ["baseline outside range"] = (() => Cnc.WithMode(0, m => m with { SensorBaselines = new() { ["spindle_speed_rpm"] = 9000 } }), "operating_modes[0].sensor_baselines.spindle_speed_rpm", "operating_modes.sensor_baselines", E),

        ["no failure modes"] = (() => Motor with { FailureModes = [] }, "failure_modes", "failure_modes.count", E),
        ["run shares do not sum to 1"] = (() => Motor.WithFailure(0, m => m with { RunShare = 0.3 }), "failure_modes", "failure_modes.run_share_sum", E),
        ["failure id duplicated"] = (() => Motor.WithFailure(1, m => m with { Id = "bearing_wear_de" }), "failure_modes[1].id", "failure_modes.id", E),
        ["weibull shape zero"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Shape = 0 } }), "failure_modes[0].time_to_failure.shape", "failure_modes.ttf_parameters", E),
        ["weibull scale negative"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Scale = -1 } }), "failure_modes[0].time_to_failure.scale", "failure_modes.ttf_parameters", E),
        ["lognormal without sigma"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Distribution = "lognormal", Mu = 9 } }), "failure_modes[0].time_to_failure.sigma", "failure_modes.ttf_parameters", E),
        ["distribution unknown"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Distribution = "gamma" } }), "failure_modes[0].time_to_failure.distribution", "failure_modes.ttf_distribution", E),
        ["ttf min not below max"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Min = 40000 } }), "failure_modes[0].time_to_failure.min", "failure_modes.ttf_bounds", E),
        ["ttf unit unknown"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Unit = "weeks" } }), "failure_modes[0].time_to_failure.unit", "failure_modes.ttf_unit", E),
        ["onset max reaches 1"] = (() => Motor.WithFailure(0, m => m with { OnsetFraction = new FractionRange { Min = 0.5, Max = 1.0 } }), "failure_modes[0].onset_fraction", "failure_modes.onset", E),
        ["onset min above max"] = (() => Motor.WithFailure(0, m => m with { OnsetFraction = new FractionRange { Min = 0.9, Max = 0.6 } }), "failure_modes[0].onset_fraction", "failure_modes.onset", E),
        ["law unknown"] = (() => Motor.WithFailure(0, m => m with { Progression = new Progression { Law = "quadratic" } }), "failure_modes[0].progression.law", "failure_modes.law", E),
        ["power law without exponent"] = (() => Motor.WithFailure(1, m => m with { Progression = new Progression { Law = "power" } }), "failure_modes[1].progression.exponent", "failure_modes.law_parameters", E),
        ["exponential law without rate"] = (() => Motor.WithFailure(0, m => m with { Progression = new Progression { Law = "exponential" } }), "failure_modes[0].progression.rate", "failure_modes.law_parameters", E),
        ["three phase without share"] = (() => Cnc.WithFailure(0, m => m with { Progression = m.Progression! with { BreakInShare = null } }), "failure_modes[0].progression.break_in_share", "failure_modes.law_parameters", E),
        ["paris exponent of 2"] = (() => Motor.WithFailure(0, m => m with { Progression = new Progression { Law = "paris", InitialFraction = 0.1, Exponent = 2 } }), "failure_modes[0].progression.exponent", "failure_modes.law_parameters", E),
        ["age driver unknown"] = (() => Motor.WithFailure(1, m => m with { AgeAcceleration = m.AgeAcceleration! with { DriverSensor = "stator_temp_c" } }), "failure_modes[1].age_acceleration.driver_sensor", "failure_modes.age_acceleration", E),
        ["effect names no sensor"] = (() => Motor.WithFailure(0, m => m.WithEffect(4, e => e with { Sensor = "current_a" })), "failure_modes[0].effects[4].sensor", "failure_modes.effect_sensor", E),
        ["effect uses two kinds"] = (() => Motor.WithFailure(0, m => m.WithEffect(4, e => e with { Delta = 0.5 })), "failure_modes[0].effects[4]", "failure_modes.effect_kind", E),
        ["effect uses no kind"] = (() => Motor.WithFailure(0, m => m.WithEffect(4, e => e with { Relative = null })), "failure_modes[0].effects[4]", "failure_modes.effect_kind", E),
        ["reach on a sensor without critical"] = (() => Motor.WithFailure(0, m => m.WithEffect(4, e => new Effect { Sensor = "speed_rpm", Reach = 0.2 })), "failure_modes[0].effects[4].reach", "failure_modes.reach_threshold", E),
        ["criterion level unknown"] = (() => Motor.WithFailure(0, m => m with { FailureCriterion = m.FailureCriterion! with { Level = "alarm" } }), "failure_modes[0].failure_criterion.level", "failure_modes.criterion", E),
        ["criterion sensor unknown"] = (() => Motor.WithFailure(0, m => m with { FailureCriterion = m.FailureCriterion! with { Sensor = "vibration" } }), "failure_modes[0].failure_criterion.sensor", "failure_modes.criterion", E),
        ["criterion threshold missing"] = (() => Pump.WithFailure(0, m => m with { FailureCriterion = new FailureCriterion { Sensor = "flow_rate_m3_h", Level = "critical" } }), "failure_modes[0].failure_criterion.level", "failure_modes.criterion", E),
        ["criterion on a context sensor"] = (() => Motor.WithFailure(0, m => m with { FailureCriterion = new FailureCriterion { Sensor = "ambient_temp_c", Level = "critical" } }), "failure_modes[0].failure_criterion.sensor", "failure_modes.criterion", E),
        ["criterion not reachable"] = (() => Motor.WithFailure(0, m => m.WithEffect(0, e => e with { Reach = 0.9 })), "failure_modes[0].failure_criterion.sensor", "failure_modes.criterion_reachable", E),
        ["another sensor reaches critical"] = (() => Motor.WithFailure(0, m => m.WithEffect(2, e => e with { Reach = 1.0 })), "failure_modes[0].effects[2].reach", "failure_modes.competing_reach", W),

        ["labels missing"] = (() => Motor with { Labels = null }, "labels", "labels.required", E),
        ["rul unit differs from ttf unit"] = (() => Motor with { Labels = Motor.Labels! with { RulUnit = "d" } }, "labels.rul_unit", "labels.rul_unit", E),
        ["rul cap zero"] = (() => Motor with { Labels = Motor.Labels! with { RulCap = 0 } }, "labels.rul_cap", "labels.rul_cap", E),
        ["emit names an unknown column"] = (() => Motor with { Labels = Motor.Labels! with { Emit = ["run_id", "remaining_life"] } }, "labels.emit[1]", "labels.emit", W),
        ["unknown field"] = (() => Motor.WithSensor(3, s => s with { Extra = new() { ["colour"] = System.Text.Json.JsonSerializer.SerializeToElement("red") } }), "sensors[3].colour", "schema.unknown_field", W),
        ["unknown nested field"] = (() => Motor.WithFailure(0, m => m with { TimeToFailure = m.TimeToFailure! with { Extra = new() { ["location"] = System.Text.Json.JsonSerializer.SerializeToElement(1) } } }), "failure_modes[0].time_to_failure.location", "schema.unknown_field", W),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Breaking_one_rule_reports_that_rule_at_the_field(string name)
    {
        var (broken, path, rule, severity) = Cases[name];

        var validation = ProfileValidator.Validate(broken());

        validation.Findings.Should().Contain(f => f.Path == path && f.Rule == rule && f.Severity == severity,
            "case '{0}' should be found; got: {1}", name, string.Join(" | ", validation.Findings));
        validation.Findings.Where(f => f.Rule == rule).Should().OnlyContain(f => f.Message.Length > 0 && f.Fix.Length > 0);
        if (severity == FindingSeverity.Error) validation.IsValid.Should().BeFalse();
    }

    [Fact]
    public void A_taken_machine_id_is_an_error()
    {
        var validation = ProfileValidator.Validate(Motor, new HashSet<string> { "motor_siemens_1la7_001" });

        validation.Errors.Should().ContainSingle(e => e.Path == "machine_id" && e.Rule == "identity.machine_id_unique");
    }

    [Theory]
    [InlineData(3, 110.0, null, "sensors[3].warning", "sensors[3].critical")] // warning above critical
    [InlineData(3, 70.0, null, "sensors[3].warning", "sensors[3].normal.max")] // warning inside the normal band
    [InlineData(3, null, 160.0, "sensors[3].critical", "sensors[3].range.max")] // critical beyond the range
    public void An_order_finding_also_names_the_level_it_is_compared_with(int sensor, double? warning, double? critical, string path, string other)
    {
        var profile = Motor.WithSensor(sensor, s => s with { Warning = warning ?? s.Warning, Critical = critical ?? s.Critical });

        var finding = ProfileValidator.Validate(profile).Errors.Should().ContainSingle(e => e.Rule == "sensors.thresholds").Subject;

        finding.Path.Should().Be(path);
        finding.AlsoConcerns.Should().Equal(other);
    }

    [Fact]
    public void A_broken_normal_band_order_names_both_ends()
    {
        var profile = Motor.WithSensor(3, s => s with { Normal = s.Normal! with { Min = 80 } }); // above typical (60)

        var finding = ProfileValidator.Validate(profile).Errors.Should().ContainSingle(e => e.Rule == "sensors.normal_order").Subject;

        finding.Path.Should().Be("sensors[3].normal.typical");
        finding.AlsoConcerns.Should().Equal("sensors[3].normal.min");
    }

    [Fact]
    public void Any_snake_case_machine_type_is_accepted_when_the_id_starts_with_it()
    {
        var profile = Motor with { MachineType = "heat_exchanger", MachineId = "heat_exchanger_alfa_001" };

        ProfileValidator.Validate(profile).Errors.Should().BeEmpty();
    }

    [Fact]
    public void A_mode_whose_load_puts_a_healthy_sensor_outside_its_normal_band_is_named_with_the_fix()
    {
        // Motor current follows the load (no_load 12 A); at 30 % load the motor draws far below the band of 26-30 A.
        var profile = Motor.WithSensor(6, s => s with { Normal = new NormalBand { Min = 26, Typical = 28, Max = 30 }, LoadResponse = new LoadResponse { NoLoadValue = 12, Exponent = 1 } })
            .WithMode(2, m => m with { LoadFraction = 0.3, SensorBaselines = null });

        var warning = ProfileValidator.Validate(profile).Warnings.Should()
            .ContainSingle(w => w.Rule == "operating_modes.load_outside_band" && w.Path == "operating_modes[2].load_fraction").Subject;
        warning.Message.Should().Contain("motor_current_a").And.Contain("16.8");
        warning.Fix.Should().Contain("sensor_baselines");

        var withBaseline = profile.WithMode(2, m => m with { SensorBaselines = new Dictionary<string, double> { ["motor_current_a"] = 16.8 } });
        ProfileValidator.Validate(withBaseline).Warnings.Should().NotContain(w => w.Path == "operating_modes[2].load_fraction", "a baseline states the mode's healthy value");
        ProfileValidator.Validate(Motor).Warnings.Should().NotContain(w => w.Rule == "operating_modes.load_outside_band", "the sample's bands cover its modes");
    }

    [Fact]
    public void Equal_critical_and_range_end_is_allowed()
    {
        var profile = Motor.WithSensor(3, s => s with { Critical = s.Range!.Max });

        ProfileValidator.Validate(profile).Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData("motor_siemens_1la7_001", true)]
    [InlineData("../motor_x_001", false)]
    [InlineData("motor_x_001/..", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("c:\\motor_x_001", false)]
    [InlineData("motor_x.001_a", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void MachineIds_IsSafe_accepts_only_ids_that_stay_inside_a_folder(string? id, bool safe)
    {
        MachineIds.IsSafe(id).Should().Be(safe);
        (MachineIds.Problem(id) is null).Should().Be(safe);
    }

    [Fact]
    public void An_id_with_path_characters_gets_a_message_about_folders()
    {
        ProfileValidator.Validate(Motor with { MachineId = "../motor_x_001" }).Errors
            .Single(e => e.Path == "machine_id").Message.Should().Contain("folder");
    }
}
