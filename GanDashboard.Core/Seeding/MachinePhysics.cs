using GanDashboard.Core.Profiles;

namespace GanDashboard.Core.Seeding;

public enum SensorDirection { None, Increasing, Decreasing }

/// <summary>One sensor with every default resolved (design note section 5).</summary>
public sealed record SensorPhysics(
    int Index, string Name, double RangeMin, double RangeMax, double NormalMin, double Typical, double NormalMax,
    double? Warning, double? Critical, SensorDirection Direction, double NoiseStd, bool AmbientCoupled,
    double? WalkStepStd, double WalkReversion, double? NoLoadValue, double LoadExponent)
{
    /// <summary>The healthy value at a load: no_load + (typical - no_load) x load^exponent, or typical without a load response.</summary>
    public double AtLoad(double load) =>
        NoLoadValue is { } noLoad ? noLoad + (Typical - noLoad) * Math.Pow(Math.Max(load, 0), LoadExponent) : Typical;

    /// <summary>+1 when degradation raises the value (or the sensor is a context sensor), -1 when it lowers it.</summary>
    public int Sign => Direction == SensorDirection.Decreasing ? -1 : 1;

    public bool IsContext => Direction == SensorDirection.None;

    /// <summary>True when <paramref name="value"/> is at or beyond <paramref name="threshold"/> in the failure direction.</summary>
    public bool IsBeyond(double value, double threshold) => Direction == SensorDirection.Decreasing ? value <= threshold : value >= threshold;

    public double Clip(double value) => Math.Clamp(value, RangeMin, RangeMax);
}

/// <summary>An operating mode with its resolved baseline (before ambient coupling) for every sensor.</summary>
public sealed record ModePhysics(string Name, double Weight, double LoadFraction, double MeanDwellSteps, double[] Baselines);

public enum EffectKind { Absolute, Relative }

/// <summary>
/// How damage moves one sensor at D = 1. <c>reach</c> and <c>delta</c> become an absolute shift
/// (reach x (critical - typical), signed towards critical); <c>relative</c> stays a fraction of the baseline.
/// </summary>
public sealed record EffectPhysics(int Sensor, EffectKind Kind, double Amount);

public enum TimeToFailureDistribution { Weibull, Lognormal, Uniform }

/// <summary>One failure mode, resolved: times are in seconds.</summary>
public sealed record FailurePhysics(
    int Index, string Id, double RunShare,
    TimeToFailureDistribution Distribution, double ParameterA, double ParameterB, double MinSeconds, double MaxSeconds, double UnitSeconds,
    double OnsetMin, double OnsetMax, Progression Progression,
    int ArrheniusDriver, double ArrheniusReference, double ArrheniusDoubling,
    EffectPhysics[] Effects, int CriterionSensor, string CriterionLevel, double CriterionThreshold)
{
    public bool IsSudden => Progression.Law == "step";
    public bool HasAgeAcceleration => ArrheniusDriver >= 0;
}

/// <summary>
/// A machine profile compiled into the numbers the seed generator and the run checks need. Compiling
/// applies the defaults of the design note and rejects what cannot be simulated with an
/// <see cref="InvalidProfileException"/> that names the field; the full rule set is ProfileValidator's.
/// </summary>
public sealed class MachinePhysics
{
    public static readonly IReadOnlyList<string> DefaultHealthStates = ["healthy", "degrading", "warning", "critical"];

    private MachinePhysics(string machineId, double intervalSeconds, SensorPhysics[] sensors, ModePhysics[] modes, FailurePhysics[] failureModes,
        string rulUnit, double rulUnitSeconds, double rulCap, int ambientSensor, double ambientReference, string[] healthStates)
    {
        MachineId = machineId;
        IntervalSeconds = intervalSeconds;
        Sensors = sensors;
        Modes = modes;
        FailureModes = failureModes;
        RulUnit = rulUnit;
        RulUnitSeconds = rulUnitSeconds;
        RulCap = rulCap;
        AmbientSensor = ambientSensor;
        AmbientReference = ambientReference;
        HealthStates = healthStates;
    }

    public string MachineId { get; }
    public double IntervalSeconds { get; }
    public IReadOnlyList<SensorPhysics> Sensors { get; }
    public IReadOnlyList<ModePhysics> Modes { get; }
    public IReadOnlyList<FailurePhysics> FailureModes { get; }
    public string RulUnit { get; }
    public double RulUnitSeconds { get; }
    public double RulCap { get; }

    /// <summary>
    /// The context sensor that measures ambient temperature (direction none, a temperature whose name
    /// contains "ambient"), or -1. When present, ambient-coupled sensors follow its noiseless value;
    /// when absent they follow a hidden ambient walk around <see cref="AmbientReference"/> (see RunSimulator).
    /// </summary>
    public int AmbientSensor { get; }
    public double AmbientReference { get; }

    /// <summary>The four health state names (healthy, degrading, warning, critical) in order of severity.</summary>
    public IReadOnlyList<string> HealthStates { get; }

    /// <summary>RUL lost per step, in the profile's RUL unit.</summary>
    public double RulPerStep => IntervalSeconds / RulUnitSeconds;

    /// <summary>A sensor's noiseless healthy value in a mode at an ambient temperature.</summary>
    public double Baseline(int mode, int sensor, double ambient)
    {
        double value = Modes[mode].Baselines[sensor];
        return Sensors[sensor].AmbientCoupled ? value + (ambient - AmbientReference) : value;
    }

    public int ModeIndex(string? name)
    {
        for (int m = 0; m < Modes.Count; m++) if (Modes[m].Name == name) return m;
        return -1;
    }

    public int FailureModeIndex(string? id)
    {
        for (int f = 0; f < FailureModes.Count; f++) if (FailureModes[f].Id == id) return f;
        return -1;
    }

    public static MachinePhysics From(MachineProfile profile, double? rulCapOverride = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        string machineId = string.IsNullOrWhiteSpace(profile.MachineId) ? throw new InvalidProfileException("machine_id", "The profile needs a machine_id.") : profile.MachineId;
        double interval = profile.Sampling?.IntervalS ?? throw new InvalidProfileException("sampling.interval_s", "The sampling interval is missing.");
        if (!(interval >= 1)) throw new InvalidProfileException("sampling.interval_s", "The sampling interval must be at least 1 s.");

        var sensors = CompileSensors(profile.Sensors);
        var modes = CompileModes(profile.OperatingModes, sensors);
        var failureModes = CompileFailureModes(profile.FailureModes, sensors, modes);

        string rulUnit = profile.Labels?.RulUnit ?? throw new InvalidProfileException("labels.rul_unit", "The RUL unit is missing.");
        double rulUnitSeconds = TimeUnits.SecondsPer(rulUnit) ?? throw new InvalidProfileException("labels.rul_unit", $"Unknown unit '{rulUnit}'; use s, min, h or d.");
        double rulCap = rulCapOverride ?? profile.Labels?.RulCap ?? throw new InvalidProfileException("labels.rul_cap", "The RUL cap is missing.");
        if (!(rulCap > 0)) throw new InvalidProfileException("labels.rul_cap", "The RUL cap must be positive.");

        int ambient = Array.FindIndex(sensors, s => s.IsContext && s.Name.Contains("ambient", StringComparison.Ordinal)
            && profile.Sensors![s.Index].SensorType == "temperature");
        var states = profile.Labels?.HealthStates is { Count: 4 } named ? named.ToArray() : DefaultHealthStates.ToArray();
        return new MachinePhysics(machineId, interval, sensors, modes, failureModes, rulUnit, rulUnitSeconds, rulCap, ambient, profile.AmbientReferenceC, states);
    }

    private static SensorPhysics[] CompileSensors(List<SensorSpec>? specs)
    {
        if (specs is null || specs.Count == 0) throw new InvalidProfileException("sensors", "The profile needs at least one sensor.");
        var sensors = new SensorPhysics[specs.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            string at = $"sensors[{i}]";
            if (string.IsNullOrWhiteSpace(s.Name) || !names.Add(s.Name)) throw new InvalidProfileException($"{at}.name", "Each sensor needs a unique name.");
            double min = s.Range?.Min ?? throw new InvalidProfileException($"{at}.range.min", "The physical range is missing.");
            double max = s.Range?.Max ?? throw new InvalidProfileException($"{at}.range.max", "The physical range is missing.");
            if (!(min < max)) throw new InvalidProfileException($"{at}.range", "range.min must be below range.max.");
            double typical = s.Normal?.Typical ?? throw new InvalidProfileException($"{at}.normal.typical", "The typical value is missing.");
            var direction = s.Direction switch
            {
                "increasing" => SensorDirection.Increasing,
                "decreasing" => SensorDirection.Decreasing,
                "none" or null => SensorDirection.None,
                _ => throw new InvalidProfileException($"{at}.direction", $"Unknown direction '{s.Direction}'; use increasing, decreasing or none."),
            };
            double noise = s.NoiseStd ?? 0;
            if (!(noise >= 0)) throw new InvalidProfileException($"{at}.noise_std", "noise_std must be zero or positive.");
            double? walkStep = null;
            double reversion = 0;
            if (s.Dynamics is { } dynamics)
            {
                if (dynamics.Type != "mean_reverting_random_walk")
                    throw new InvalidProfileException($"{at}.dynamics.type", $"Unknown dynamics '{dynamics.Type}'; use mean_reverting_random_walk.");
                walkStep = dynamics.StepStd ?? throw new InvalidProfileException($"{at}.dynamics.step_std", "The random walk needs step_std.");
                reversion = dynamics.Reversion ?? 0;
                if (!(walkStep >= 0) || !(reversion is >= 0 and <= 1))
                    throw new InvalidProfileException($"{at}.dynamics", "step_std must be >= 0 and reversion within [0, 1].");
            }
            sensors[i] = new SensorPhysics(i, s.Name, min, max, s.Normal?.Min ?? typical, typical, s.Normal?.Max ?? typical,
                s.Warning, s.Critical, direction, noise, s.AmbientCoupled ?? false, walkStep, reversion,
                s.LoadResponse?.NoLoadValue, s.LoadResponse?.Exponent ?? 1.0);
        }
        return sensors;
    }

    private static ModePhysics[] CompileModes(List<OperatingMode>? specs, SensorPhysics[] sensors)
    {
        if (specs is null || specs.Count == 0) throw new InvalidProfileException("operating_modes", "The profile needs at least one operating mode.");
        var modes = new ModePhysics[specs.Count];
        for (int m = 0; m < specs.Count; m++)
        {
            var spec = specs[m];
            string at = $"operating_modes[{m}]";
            string name = string.IsNullOrWhiteSpace(spec.Name) ? throw new InvalidProfileException($"{at}.name", "Each operating mode needs a name.") : spec.Name;
            double weight = spec.Weight ?? throw new InvalidProfileException($"{at}.weight", "The mode weight is missing.");
            if (!(weight >= 0)) throw new InvalidProfileException($"{at}.weight", "Mode weights must be zero or positive.");
            double load = spec.LoadFraction ?? 1.0;
            double dwell = spec.MeanDwellSteps ?? 1.0;
            if (!(dwell >= 1)) throw new InvalidProfileException($"{at}.mean_dwell_steps", "The mean dwell must be at least 1 step.");
            var baselines = new double[sensors.Length];
            for (int s = 0; s < sensors.Length; s++)
                baselines[s] = spec.SensorBaselines?.TryGetValue(sensors[s].Name, out double v) == true ? v : sensors[s].AtLoad(load);
            foreach (string key in spec.SensorBaselines?.Keys ?? Enumerable.Empty<string>())
            {
                if (Array.FindIndex(sensors, s => s.Name == key) < 0)
                    throw new InvalidProfileException($"{at}.sensor_baselines.{key}", "The baseline names a sensor the profile does not have.");
            }
            modes[m] = new ModePhysics(name, weight, load, dwell, baselines);
        }
        if (!(modes.Sum(m => m.Weight) > 0)) throw new InvalidProfileException("operating_modes", "The mode weights must not all be zero.");
        return modes;
    }

    private static FailurePhysics[] CompileFailureModes(List<FailureMode>? specs, SensorPhysics[] sensors, ModePhysics[] modes)
    {
        if (specs is null || specs.Count == 0) throw new InvalidProfileException("failure_modes", "The profile needs at least one failure mode.");
        var result = new FailurePhysics[specs.Count];
        for (int f = 0; f < specs.Count; f++)
        {
            var spec = specs[f];
            string at = $"failure_modes[{f}]";
            string id = string.IsNullOrWhiteSpace(spec.Id) ? throw new InvalidProfileException($"{at}.id", "Each failure mode needs an id.") : spec.Id;
            double share = spec.RunShare ?? throw new InvalidProfileException($"{at}.run_share", "The run share is missing.");
            if (!(share >= 0)) throw new InvalidProfileException($"{at}.run_share", "Run shares must be zero or positive.");

            var ttf = spec.TimeToFailure ?? throw new InvalidProfileException($"{at}.time_to_failure", "The time to failure is missing.");
            double unit = TimeUnits.SecondsPer(ttf.Unit) ?? throw new InvalidProfileException($"{at}.time_to_failure.unit", $"Unknown unit '{ttf.Unit}'; use s, min, h or d.");
            var (distribution, a, b) = ttf.Distribution switch
            {
                "weibull" => (TimeToFailureDistribution.Weibull, Positive(ttf.Shape, $"{at}.time_to_failure.shape"), Positive(ttf.Scale, $"{at}.time_to_failure.scale")),
                "lognormal" => (TimeToFailureDistribution.Lognormal, ttf.Mu ?? throw new InvalidProfileException($"{at}.time_to_failure.mu", "The lognormal needs mu."),
                    Positive(ttf.Sigma, $"{at}.time_to_failure.sigma")),
                "uniform" => (TimeToFailureDistribution.Uniform, 0.0, 0.0),
                _ => throw new InvalidProfileException($"{at}.time_to_failure.distribution", $"Unknown distribution '{ttf.Distribution}'; use weibull, lognormal or uniform."),
            };
            double min = ttf.Min ?? 0;
            double max = ttf.Max ?? double.PositiveInfinity;
            if (distribution == TimeToFailureDistribution.Uniform && (ttf.Min is null || ttf.Max is null))
                throw new InvalidProfileException($"{at}.time_to_failure", "A uniform time to failure needs min and max.");
            if (!(min >= 0 && min < max)) throw new InvalidProfileException($"{at}.time_to_failure.min", "Need 0 <= min < max.");

            double onsetMin = spec.OnsetFraction?.Min ?? 0, onsetMax = spec.OnsetFraction?.Max ?? onsetMin;
            if (!(onsetMin >= 0 && onsetMin <= onsetMax && onsetMax < 1))
                throw new InvalidProfileException($"{at}.onset_fraction", "Need 0 <= onset.min <= onset.max < 1.");

            var progression = spec.Progression ?? throw new InvalidProfileException($"{at}.progression", "The progression law is missing.");
            try { _ = ProgressionLaw.Damage(progression, 0.5); }
            catch (InvalidProfileException e) { throw new InvalidProfileException($"{at}.{e.Field}", e.Message[(e.Field.Length + 2)..]); }

            int driver = -1;
            double reference = 0, doubling = 10;
            if (spec.AgeAcceleration is { } acceleration)
            {
                driver = Array.FindIndex(sensors, s => s.Name == acceleration.DriverSensor);
                if (driver < 0) throw new InvalidProfileException($"{at}.age_acceleration.driver_sensor", $"No sensor named '{acceleration.DriverSensor}'.");
                reference = acceleration.RefValue ?? throw new InvalidProfileException($"{at}.age_acceleration.ref_value", "The reference value is missing.");
                doubling = Positive(acceleration.DoublingInterval ?? 10, $"{at}.age_acceleration.doubling_interval");
            }

            var effects = CompileEffects(spec.Effects, sensors, at);
            var criterion = spec.FailureCriterion ?? throw new InvalidProfileException($"{at}.failure_criterion", "The failure criterion is missing.");
            int criterionSensor = Array.FindIndex(sensors, s => s.Name == criterion.Sensor);
            if (criterionSensor < 0) throw new InvalidProfileException($"{at}.failure_criterion.sensor", $"No sensor named '{criterion.Sensor}'.");
            var sensor = sensors[criterionSensor];
            string level = criterion.Level ?? "critical";
            double threshold = (level switch { "warning" => sensor.Warning, "critical" => sensor.Critical, _ => null })
                ?? throw new InvalidProfileException($"{at}.failure_criterion.level", $"Sensor '{sensor.Name}' has no {level} threshold.");
            if (sensor.IsContext) throw new InvalidProfileException($"{at}.failure_criterion.sensor", $"Sensor '{sensor.Name}' has direction none, so it cannot fail.");
            if (!MovesTowardsThreshold(effects, sensor, modes))
                throw new InvalidProfileException($"{at}.effects", $"No effect moves '{sensor.Name}' towards its {level} threshold, so the failure is unreachable.");

            result[f] = new FailurePhysics(f, id, share, distribution, a, b, min * unit, max * unit, unit, onsetMin, onsetMax, progression,
                driver, reference, doubling, effects, criterionSensor, level, threshold);
        }
        if (!(result.Sum(f => f.RunShare) > 0)) throw new InvalidProfileException("failure_modes", "The run shares must not all be zero.");
        return result;
    }

    private static EffectPhysics[] CompileEffects(List<Effect>? specs, SensorPhysics[] sensors, string at)
    {
        var effects = new List<EffectPhysics>();
        for (int e = 0; e < (specs?.Count ?? 0); e++)
        {
            var spec = specs![e];
            string here = $"{at}.effects[{e}]";
            int s = Array.FindIndex(sensors, x => x.Name == spec.Sensor);
            if (s < 0) throw new InvalidProfileException($"{here}.sensor", $"No sensor named '{spec.Sensor}'.");
            int given = (spec.Reach is null ? 0 : 1) + (spec.Delta is null ? 0 : 1) + (spec.Relative is null ? 0 : 1);
            if (given != 1) throw new InvalidProfileException(here, "An effect uses exactly one of reach, delta or relative.");
            if (spec.Reach is { } reach)
            {
                double critical = sensors[s].Critical ?? throw new InvalidProfileException($"{here}.reach", $"Sensor '{sensors[s].Name}' has no critical threshold to reach.");
                effects.Add(new EffectPhysics(s, EffectKind.Absolute, reach * (critical - sensors[s].Typical)));
            }
            else if (spec.Delta is { } delta) effects.Add(new EffectPhysics(s, EffectKind.Absolute, delta));
            else effects.Add(new EffectPhysics(s, EffectKind.Relative, spec.Relative!.Value));
        }
        return effects.ToArray();
    }

    // Damage grows without bound past tau = 1, so the failure is reachable when the combined effect
    // on the criterion sensor points towards its threshold in every mode.
    private static bool MovesTowardsThreshold(EffectPhysics[] effects, SensorPhysics sensor, ModePhysics[] modes) =>
        modes.All(mode => sensor.Sign * effects.Where(e => e.Sensor == sensor.Index)
            .Sum(e => e.Kind == EffectKind.Absolute ? e.Amount : e.Amount * mode.Baselines[sensor.Index]) > 0);

    private static double Positive(double? value, string field) =>
        value is > 0 ? value.Value : throw new InvalidProfileException(field, "The value must be positive.");
}
