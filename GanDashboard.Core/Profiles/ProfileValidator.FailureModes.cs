namespace GanDashboard.Core.Profiles;

public static partial class ProfileValidator
{
    private const double SumTolerance = 0.01;
    private const double MaxIntervalS = 7 * 86400;
    private const int MinStepsToFailure = 10;
    private const double FewMeanSteps = 50, ManyMeanSteps = 5000;

    private static void CheckOperatingModes(MachineProfile p, List<ProfileFinding> f)
    {
        var modes = p.OperatingModes ?? [];
        if (modes.Count == 0)
        {
            f.Add(ProfileFinding.Error("operating_modes", "operating_modes.count", "The profile has no operating modes.", "Add at least one mode, e.g. {name: normal, weight: 1, load_fraction: 1, mean_dwell_steps: 10}."));
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < modes.Count; i++)
        {
            var m = modes[i];
            string at = $"operating_modes[{i}]";
            if (string.IsNullOrWhiteSpace(m.Name))
                f.Add(ProfileFinding.Error(at + ".name", "operating_modes.name", "The operating mode has no name.", "Name it in snake_case, e.g. full_load."));
            else if (!names.Add(m.Name))
                f.Add(ProfileFinding.Error(at + ".name", "operating_modes.name", $"Operating mode name '{m.Name}' is used twice.", "Give each mode its own name."));
            if (m.Weight is not >= 0)
                f.Add(ProfileFinding.Error(at + ".weight", "operating_modes.weight", $"weight must be >= 0 (it is {Show(m.Weight)}).", "Enter the share of time spent in this mode (weights sum to 1)."));
            if (m.LoadFraction is not (>= 0 and <= 1.5))
                f.Add(ProfileFinding.Error(at + ".load_fraction", "operating_modes.load_fraction", $"load_fraction must be between 0 and 1.5 (it is {Show(m.LoadFraction)}).", "Enter the load as a fraction of rated load, e.g. 0.8."));
            if (m.MeanDwellSteps is not >= 1)
                f.Add(ProfileFinding.Error(at + ".mean_dwell_steps", "operating_modes.mean_dwell_steps", $"mean_dwell_steps must be at least 1 (it is {Show(m.MeanDwellSteps)}).", "Enter how many sampling steps the machine stays in this mode on average."));
            foreach (var (sensor, value) in m.SensorBaselines ?? [])
            {
                string path = $"{at}.sensor_baselines.{sensor}";
                if (p.FindSensor(sensor) is not { } spec)
                    f.Add(ProfileFinding.Error(path, "operating_modes.sensor_baselines", $"sensor_baselines names '{sensor}', which is not a sensor of this profile.", "Use a name from sensors[].name or remove the entry."));
                else if (spec.Range is { Min: { } lo, Max: { } hi } && (value < lo || value > hi))
                    f.Add(ProfileFinding.Error(path, "operating_modes.sensor_baselines", $"Baseline {Show(value)} for '{sensor}' lies outside its range [{Show(lo)}, {Show(hi)}].", "Enter a value inside the sensor's range."));
            }
            CheckLoadWithinBands(p, m, at, f);
        }
        double sum = modes.Sum(m => m.Weight ?? 0);
        if (Math.Abs(sum - 1) > SumTolerance)
            f.Add(ProfileFinding.Error("operating_modes", "operating_modes.weights_sum", $"Operating mode weights sum to {Show(sum)}, not 1.", "Scale the weights so they add up to 1 (±0.01)."));
    }

    /// <summary>
    /// A healthy machine in this mode must read inside each sensor's normal band, or the seed's own check "healthy rows
    /// within the normal band" fails (a fan at 60 % speed moves 60 % of its rated air flow). Sensors with a baseline for
    /// the mode are the user's statement of the healthy value and are not second-guessed.
    /// </summary>
    private static void CheckLoadWithinBands(MachineProfile p, OperatingMode m, string at, List<ProfileFinding> f)
    {
        if (m.LoadFraction is not (>= 0 and <= 1.5) || m.LoadFraction is not { } load) return;
        foreach (var s in p.Sensors ?? [])
        {
            if (s.LoadResponse is not { NoLoadValue: { } noLoad } response || s.Normal is not { Min: { } min, Typical: { } typical, Max: { } max }) continue;
            if (s.Name is not null && m.SensorBaselines?.ContainsKey(s.Name) == true) continue;
            double value = noLoad + (typical - noLoad) * Math.Pow(load, response.Exponent ?? 1.0);
            if (value >= min && value <= max) continue;
            f.Add(ProfileFinding.Warning(at + ".load_fraction", "operating_modes.load_outside_band",
                $"At load {Show(load)} in mode '{m.Name}', sensor '{s.Name}' reads about {Show(Math.Round(value, 3))} when healthy, outside its normal band [{Show(min)}, {Show(max)}]; the seed data's healthy-rows check will fail.",
                $"Widen {s.Name}'s normal band to cover this mode, or give the mode a sensor_baselines entry for {s.Name}."));
        }
    }

    private static void CheckFailureModes(MachineProfile p, List<ProfileFinding> f)
    {
        var modes = p.FailureModes ?? [];
        if (modes.Count == 0)
        {
            f.Add(ProfileFinding.Error("failure_modes", "failure_modes.count", "The profile has no failure modes.", "Add at least one failure mode with its time to failure, progression, effects and failure criterion."));
            return;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < modes.Count; i++)
        {
            var m = modes[i];
            string at = $"failure_modes[{i}]";
            if (!ProfileVocabulary.IsSnakeCase(m.Id))
                f.Add(ProfileFinding.Error(at + ".id", "failure_modes.id", $"Failure mode id {Quote(m.Id)} is missing or not snake_case.", "Use a snake_case id, e.g. bearing_wear_de."));
            else if (!ids.Add(m.Id!))
                f.Add(ProfileFinding.Error(at + ".id", "failure_modes.id", $"Failure mode id '{m.Id}' is used twice.", "Give each failure mode its own id."));
            if (m.RunShare is not (>= 0 and <= 1))
                f.Add(ProfileFinding.Error(at + ".run_share", "failure_modes.run_share", $"run_share must be between 0 and 1 (it is {Show(m.RunShare)}).", "Enter the share of runs that end in this failure (shares sum to 1)."));
            CheckTimeToFailure(m.TimeToFailure, at + ".time_to_failure", f);
            if (m.OnsetFraction is not { Min: { } oMin, Max: { } oMax } || oMin < 0 || oMin > oMax || oMax >= 1)
                f.Add(ProfileFinding.Error(at + ".onset_fraction", "failure_modes.onset", $"onset_fraction must satisfy 0 <= min <= max < 1 (it is [{Show(m.OnsetFraction?.Min)}, {Show(m.OnsetFraction?.Max)}]).", "Enter when degradation starts as a fraction of the time to failure, e.g. min 0.5, max 0.8."));
            CheckProgression(m.Progression, at + ".progression", f);
            CheckAgeAcceleration(p, m.AgeAcceleration, at + ".age_acceleration", f);
            CheckEffectsAndCriterion(p, m, at, f);
        }
        double sum = modes.Sum(m => m.RunShare ?? 0);
        if (Math.Abs(sum - 1) > SumTolerance)
            f.Add(ProfileFinding.Error("failure_modes", "failure_modes.run_share_sum", $"run_share values sum to {Show(sum)}, not 1.", "Scale the shares so they add up to 1 (±0.01)."));
    }

    private static void CheckTimeToFailure(TimeToFailure? t, string at, List<ProfileFinding> f)
    {
        if (t is null)
        {
            f.Add(ProfileFinding.Error(at, "failure_modes.ttf", "time_to_failure is missing.", "Add unit, distribution (weibull, lognormal or uniform), its parameters and min/max."));
            return;
        }
        if (t.Unit is null || !ProfileVocabulary.TimeUnitSeconds.ContainsKey(t.Unit))
            f.Add(ProfileFinding.Error(at + ".unit", "failure_modes.ttf_unit", $"time_to_failure.unit {Quote(t.Unit)} is not one of s, min, h, d.", "Use s, min, h or d."));
        switch (t.Distribution)
        {
            case "weibull":
                if (t.Shape is not > 0) f.Add(ProfileFinding.Error(at + ".shape", "failure_modes.ttf_parameters", $"Weibull shape must be > 0 (it is {Show(t.Shape)}).", "Enter the Weibull shape beta, e.g. 1.5 for wear-out."));
                if (t.Scale is not > 0) f.Add(ProfileFinding.Error(at + ".scale", "failure_modes.ttf_parameters", $"Weibull scale must be > 0 (it is {Show(t.Scale)}).", "Enter the Weibull scale eta (characteristic life) in the time unit."));
                break;
            case "lognormal":
                if (t.Mu is null) f.Add(ProfileFinding.Error(at + ".mu", "failure_modes.ttf_parameters", "Lognormal mu is missing.", "Enter mu, the mean of ln(time to failure)."));
                if (t.Sigma is not > 0) f.Add(ProfileFinding.Error(at + ".sigma", "failure_modes.ttf_parameters", $"Lognormal sigma must be > 0 (it is {Show(t.Sigma)}).", "Enter sigma, the standard deviation of ln(time to failure)."));
                break;
            case "uniform":
                break;
            default:
                f.Add(ProfileFinding.Error(at + ".distribution", "failure_modes.ttf_distribution", $"Distribution {Quote(t.Distribution)} is not known.", "Use weibull, lognormal or uniform."));
                break;
        }
        if (t.Min is not > 0 || t.Max is null || t.Min >= t.Max)
            f.Add(ProfileFinding.Error(at + ".min", "failure_modes.ttf_bounds", $"time_to_failure needs 0 < min < max (it is [{Show(t.Min)}, {Show(t.Max)}]).", "Enter the shortest and longest plausible life; draws outside are redrawn."));
    }

    private static void CheckProgression(Progression? law, string at, List<ProfileFinding> f)
    {
        void Need(bool ok, string field, string what) { if (!ok) f.Add(ProfileFinding.Error($"{at}.{field}", "failure_modes.law_parameters", $"The {law!.Law} law needs {field} {what}.", $"Set progression.{field} {what}.")); }
        switch (law?.Law)
        {
            case null when law is null:
                f.Add(ProfileFinding.Error(at, "failure_modes.law", "progression is missing.", $"Add progression.law: one of {string.Join(", ", ProfileVocabulary.Laws)}."));
                break;
            case "linear" or "step":
                break;
            case "power":
                Need(law.Exponent is > 0, "exponent", "> 0");
                break;
            case "exponential":
                Need(law.Rate is { } b && b != 0, "rate", "!= 0 (e.g. 3 to 5 for a sharp late rise)");
                break;
            case "three_phase":
                Need(law.BreakInFraction is > 0 and < 1, "break_in_fraction", "in (0, 1)");
                Need(law.BreakInShare is >= 0 and < 1, "break_in_share", "in [0, 1)");
                Need(law.AccelExponent is > 0, "accel_exponent", "> 0");
                break;
            case "paris":
                Need(law.InitialFraction is > 0 and < 1, "initial_fraction", "in (0, 1)");
                Need(law.Exponent is > 0 and not 2, "exponent", "> 0 and != 2");
                break;
            default:
                f.Add(ProfileFinding.Error(at + ".law", "failure_modes.law", $"Progression law {Quote(law.Law)} is not known.", $"Use one of {string.Join(", ", ProfileVocabulary.Laws)}."));
                break;
        }
    }

    private static void CheckAgeAcceleration(MachineProfile p, AgeAcceleration? a, string at, List<ProfileFinding> f)
    {
        if (a is null) return;
        if (a.Type != ProfileVocabulary.ArrheniusRule)
            f.Add(ProfileFinding.Error(at + ".type", "failure_modes.age_acceleration", $"age_acceleration.type {Quote(a.Type)} is not known.", $"Use {ProfileVocabulary.ArrheniusRule}, or remove age_acceleration."));
        if (p.FindSensor(a.DriverSensor) is null)
            f.Add(ProfileFinding.Error(at + ".driver_sensor", "failure_modes.age_acceleration", $"driver_sensor {Quote(a.DriverSensor)} is not a sensor of this profile.", "Name the temperature sensor that drives ageing, e.g. winding_temp_c."));
        if (a.RefValue is null)
            f.Add(ProfileFinding.Error(at + ".ref_value", "failure_modes.age_acceleration", "age_acceleration.ref_value is missing.", "Enter the driver temperature at which ageing runs at its nominal rate."));
        if (a.DoublingInterval is not > 0)
            f.Add(ProfileFinding.Error(at + ".doubling_interval", "failure_modes.age_acceleration", $"doubling_interval must be > 0 (it is {Show(a.DoublingInterval)}).", "Enter the temperature rise that doubles the ageing rate, e.g. 10 (the 10 K rule)."));
    }

    private static void CheckEffectsAndCriterion(MachineProfile p, FailureMode m, string at, List<ProfileFinding> f)
    {
        var effects = m.Effects ?? [];
        for (int j = 0; j < effects.Count; j++)
        {
            var e = effects[j];
            string ep = $"{at}.effects[{j}]";
            var sensor = p.FindSensor(e.Sensor);
            if (sensor is null)
                f.Add(ProfileFinding.Error(ep + ".sensor", "failure_modes.effect_sensor", $"Effect names sensor {Quote(e.Sensor)}, which is not in sensors.", "Use a name from sensors[].name."));
            int kinds = (e.Reach is null ? 0 : 1) + (e.Delta is null ? 0 : 1) + (e.Relative is null ? 0 : 1);
            if (kinds != 1)
                f.Add(ProfileFinding.Error(ep, "failure_modes.effect_kind", $"An effect must use exactly one of reach, delta or relative (it uses {kinds}).", "Keep one: reach (share of the way to critical), delta (absolute change) or relative (share of baseline)."));
            if (e.Reach is not null && sensor is not null && sensor.Critical is null)
                f.Add(ProfileFinding.Error(ep + ".reach", "failure_modes.reach_threshold", $"reach is measured toward the critical threshold, but sensor '{sensor.Name}' has none.", "Give the sensor a critical threshold, or use delta or relative."));
        }

        var criterion = m.FailureCriterion;
        string cp = at + ".failure_criterion";
        if (criterion is null)
        {
            f.Add(ProfileFinding.Error(cp, "failure_modes.criterion", "failure_criterion is missing.", "Add {sensor: <the sensor that defines failure>, level: critical}."));
            return;
        }
        if (!ProfileVocabulary.CriterionLevels.Contains(criterion.Level ?? ""))
            f.Add(ProfileFinding.Error(cp + ".level", "failure_modes.criterion", $"failure_criterion.level {Quote(criterion.Level)} must be warning or critical.", "Use critical (or warning)."));
        if (p.FindSensor(criterion.Sensor) is not { } cs)
        {
            f.Add(ProfileFinding.Error(cp + ".sensor", "failure_modes.criterion", $"failure_criterion.sensor {Quote(criterion.Sensor)} is not in sensors.", "Name the sensor whose threshold defines failure."));
            return;
        }
        if (criterion.Level is "warning" or "critical" && cs.Threshold(criterion.Level) is null)
            f.Add(ProfileFinding.Error(cp + ".level", "failure_modes.criterion", $"Sensor '{cs.Name}' has no {criterion.Level} threshold, so the failure criterion can never be met.", $"Set sensors[].{criterion.Level} for '{cs.Name}' or pick another level."));
        if (cs.Direction is not ("increasing" or "decreasing"))
            f.Add(ProfileFinding.Error(cp + ".sensor", "failure_modes.criterion", $"Criterion sensor '{cs.Name}' has direction {Quote(cs.Direction)}; a context sensor cannot define failure.", "Set its direction to increasing or decreasing, or choose another criterion sensor."));
        if (!effects.Any(e => e.Sensor == cs.Name && e.Reach >= 1))
            f.Add(ProfileFinding.Error(cp + ".sensor", "failure_modes.criterion_reachable", $"No effect of this failure mode moves '{cs.Name}' with reach >= 1, so failure is never reached.", $"Add {{sensor: {cs.Name}, reach: 1.0}} to the effects."));

        for (int j = 0; j < effects.Count; j++)
            if (effects[j].Sensor != cs.Name && effects[j].Reach >= 1)
                f.Add(ProfileFinding.Warning($"{at}.effects[{j}].reach", "failure_modes.competing_reach", $"Sensor '{effects[j].Sensor}' also has reach >= 1 and may cross critical before the criterion sensor '{cs.Name}'.", "Lower its reach below 1 (e.g. 0.8) unless it should define failure instead."));
    }

    private static void CheckSampling(MachineProfile p, List<ProfileFinding> f)
    {
        if (p.Sampling?.IntervalS is not { } dt)
        {
            f.Add(ProfileFinding.Error("sampling.interval_s", "sampling.interval", "sampling.interval_s is missing.", "Enter the time between rows in seconds, e.g. 3600 for hourly or 86400 for daily means."));
            return;
        }
        if (dt is < 1 or > MaxIntervalS)
        {
            f.Add(ProfileFinding.Error("sampling.interval_s", "sampling.interval", $"sampling.interval_s ({Show(dt)}) must be between 1 s and 7 days ({MaxIntervalS:0} s).", "Pick an interval so that a run has 150-600 steps."));
            return;
        }
        var modes = p.FailureModes ?? [];
        double weightedSteps = 0, shareSum = 0;
        for (int i = 0; i < modes.Count; i++)
        {
            var t = modes[i].TimeToFailure;
            if (t?.Unit is null || !ProfileVocabulary.TimeUnitSeconds.TryGetValue(t.Unit, out double unitS) || t.Min is not > 0) continue;
            double minSteps = t.Min.Value * unitS / dt;
            if (minSteps < MinStepsToFailure)
                f.Add(ProfileFinding.Error($"failure_modes[{i}].time_to_failure.min", "sampling.min_steps",
                    $"The shortest time to failure ({Show(t.Min)} {t.Unit}) is only {minSteps:0.#} sampling steps of {Show(dt)} s; at least {MinStepsToFailure} are needed.",
                    $"Shorten sampling.interval_s to at most {Show(Math.Floor(t.Min.Value * unitS / MinStepsToFailure))} s or raise time_to_failure.min."));
            if (TruncatedMean(t) is { } mean && modes[i].RunShare is { } share and >= 0)
            {
                weightedSteps += share * mean * unitS / dt;
                shareSum += share;
            }
        }
        if (shareSum <= 0) return;
        double meanSteps = weightedSteps / shareSum;
        if (meanSteps < FewMeanSteps || meanSteps > ManyMeanSteps)
            f.Add(ProfileFinding.Warning("sampling.interval_s", "sampling.mean_run_length",
                $"A mean run has about {meanSteps:0} steps; under {FewMeanSteps:0} or over {ManyMeanSteps:0} steps makes poor training data.",
                $"Aim for 150-600 steps per run: an interval near {Show(Math.Round(dt * meanSteps / 300))} s gives about 300."));
    }

    /// <summary>Mean of the time-to-failure distribution truncated to [min, max] (numerical integration; null when undefined).</summary>
    internal static double? TruncatedMean(TimeToFailure t)
    {
        if (t.Min is not > 0 || t.Max is not { } max || max <= t.Min) return null;
        double min = t.Min.Value;
        Func<double, double>? pdf = t.Distribution switch
        {
            "weibull" when t.Shape is > 0 && t.Scale is > 0 => x => Math.Pow(x / t.Scale.Value, t.Shape.Value - 1) * Math.Exp(-Math.Pow(x / t.Scale.Value, t.Shape.Value)),
            "lognormal" when t.Mu is not null && t.Sigma is > 0 => x => Math.Exp(-Math.Pow(Math.Log(x) - t.Mu.Value, 2) / (2 * t.Sigma.Value * t.Sigma.Value)) / x,
            "uniform" => _ => 1.0,
            _ => null,
        };
        if (pdf is null) return null;
        const int Steps = 2000;
        double h = (max - min) / Steps, mass = 0, moment = 0;
        for (int k = 0; k < Steps; k++)
        {
            double x = min + (k + 0.5) * h;
            double d = pdf(x);
            mass += d;
            moment += d * x;
        }
        return mass > 0 && double.IsFinite(moment) ? moment / mass : (min + max) / 2;
    }
}
