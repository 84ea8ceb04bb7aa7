namespace GanDashboard.Core.Profiles;

public static partial class ProfileValidator
{
    private static void CheckSensors(MachineProfile p, List<ProfileFinding> f)
    {
        var sensors = p.Sensors ?? [];
        if (sensors.Count == 0)
            f.Add(ProfileFinding.Error("sensors", "sensors.count", "The profile has no sensors.", "Add between 1 and 50 sensors."));
        else if (sensors.Count > ProfileVocabulary.MaxSensors)
            f.Add(ProfileFinding.Error("sensors", "sensors.count", $"The profile has {sensors.Count} sensors; at most {ProfileVocabulary.MaxSensors} are allowed.", "Keep the sensors that matter for the failure modes, or split the machine into several profiles."));
        else if (sensors.Count < ProfileVocabulary.FewSensors)
            f.Add(ProfileFinding.Warning("sensors", "sensors.count", $"The profile has only {sensors.Count} sensor(s); fewer than {ProfileVocabulary.FewSensors} give the model little to learn from.", "Add the other sensors the machine has (temperatures, vibration, current...)."));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < sensors.Count; i++)
        {
            var s = sensors[i];
            string at = $"sensors[{i}]";
            CheckSensorName(s, at, seen, f);
            if (string.IsNullOrWhiteSpace(s.Unit))
                f.Add(ProfileFinding.Error(at + ".unit", "sensors.unit", $"Sensor {Quote(s.Name)} has no unit.", "Enter the unit, e.g. °C, mm/s, A, bar, rpm or %."));
            else CheckUnitSuffix(s, at, f);
            CheckSensorType(s, at, f);
            CheckBands(s, at, f);
            CheckThresholds(s, at, f);
            CheckNoise(s, at, f);
        }
    }

    private static void CheckSensorName(SensorSpec s, string at, HashSet<string> seen, List<ProfileFinding> f)
    {
        if (!ProfileVocabulary.IsSnakeCase(s.Name))
            f.Add(ProfileFinding.Error(at + ".name", "sensors.name", $"Sensor name {Quote(s.Name)} is not snake_case.", "Use lower case letters, digits and '_' and end with the unit, e.g. bearing_temp_c."));
        else if (ProfileVocabulary.ReservedColumnNames.Contains(s.Name!))
            f.Add(ProfileFinding.Error(at + ".name", "sensors.reserved_name", $"Sensor name '{s.Name}' is reserved for a column the generator writes.", $"Rename it, e.g. {s.Name}_sensor; reserved: {string.Join(", ", ProfileVocabulary.ReservedColumnNames.Order(StringComparer.Ordinal))}."));
        else if (!seen.Add(s.Name!))
            f.Add(ProfileFinding.Error(at + ".name", "sensors.duplicate_name", $"Sensor name '{s.Name}' is used twice.", "Give each sensor its own name (e.g. add _de/_nde or a number)."));
    }

    private static void CheckUnitSuffix(SensorSpec s, string at, List<ProfileFinding> f)
    {
        if (s.Name is null) return;
        foreach (var (suffix, units) in ProfileVocabulary.UnitSuffixes)
        {
            if (!s.Name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (!units.Contains(s.Unit!.Trim(), StringComparer.Ordinal))
                f.Add(ProfileFinding.Warning(at + ".unit", "sensors.unit_suffix", $"Sensor '{s.Name}' ends in '{suffix}' but its unit is '{s.Unit}'.", $"Use unit '{units[0]}' or rename the sensor to match its unit."));
            return; // the longest matching suffix decides (_mm_s before _s-like endings)
        }
    }

    private static void CheckSensorType(SensorSpec s, string at, List<ProfileFinding> f)
    {
        string allowed = string.Join(", ", ProfileVocabulary.SensorTypes);
        if (string.IsNullOrWhiteSpace(s.SensorType))
            f.Add(ProfileFinding.Error(at + ".sensor_type", "sensors.sensor_type", $"Sensor {Quote(s.Name)} has no sensor_type.", $"Use one of {allowed}."));
        else if (!ProfileVocabulary.IsSnakeCase(s.SensorType))
            f.Add(ProfileFinding.Error(at + ".sensor_type", "sensors.sensor_type", $"sensor_type '{s.SensorType}' is not a lower-case word.", $"Use one of {allowed}."));
        else if (!ProfileVocabulary.SensorTypes.Contains(s.SensorType))
            f.Add(ProfileFinding.Warning(at + ".sensor_type", "sensors.sensor_type", $"sensor_type '{s.SensorType}' is not a known type; it is treated as 'other'.", $"Use one of {allowed}."));
    }

    private static void CheckBands(SensorSpec s, string at, List<ProfileFinding> f)
    {
        if (s.Range is not { Min: { } rMin, Max: { } rMax })
        {
            f.Add(ProfileFinding.Error(at + ".range", "sensors.range", $"Sensor {Quote(s.Name)} needs range.min and range.max (the physical measuring range).", "Enter the transmitter's measuring range, e.g. 0 to 50 mm/s."));
            rMin = double.NegativeInfinity;
            rMax = double.PositiveInfinity;
        }
        else if (rMin >= rMax)
            f.Add(ProfileFinding.Error(at + ".range", "sensors.range", $"range.min ({Show(rMin)}) must be below range.max ({Show(rMax)}).", "Swap or correct the two values."));

        if (s.Normal is not { Min: { } nMin, Typical: { } typical, Max: { } nMax })
        {
            f.Add(ProfileFinding.Error(at + ".normal", "sensors.normal", $"Sensor {Quote(s.Name)} needs normal.min, normal.typical and normal.max (the healthy band; typical at rated load).", "Enter the band seen on a healthy machine."));
            return;
        }
        // Each link of range.min <= normal.min <= typical <= normal.max <= range.max, reported where it breaks.
        (string Path, string Left, double L, string Right, double R)[] chain =
        [
            (at + ".normal.min", "range.min", rMin, "normal.min", nMin),
            (at + ".normal.typical", "normal.min", nMin, "normal.typical", typical),
            (at + ".normal.max", "normal.typical", typical, "normal.max", nMax),
            (at + ".normal.max", "normal.max", nMax, "range.max", rMax),
        ];
        foreach (var (path, left, l, right, r) in chain)
            if (l > r)
                f.Add(ProfileFinding.Error(path, "sensors.normal_order", $"{left} ({Show(l)}) is above {right} ({Show(r)}); the order must be range.min <= normal.min <= typical <= normal.max <= range.max.", $"Correct {left} or {right}.")
                    with { AlsoConcerns = [$"{at}.{(path.EndsWith(right, StringComparison.Ordinal) ? left : right)}"] });
    }

    private static void CheckThresholds(SensorSpec s, string at, List<ProfileFinding> f)
    {
        switch (s.Direction)
        {
            case null:
                f.Add(ProfileFinding.Error(at + ".direction", "sensors.direction", $"Sensor {Quote(s.Name)} has no direction.", "Use increasing (thresholds above normal), decreasing (below normal, e.g. flow) or none (a context sensor)."));
                return;
            case "increasing":
                Ordered(at, s, [("normal.max", s.Normal?.Max), ("warning", s.Warning), ("critical", s.Critical), ("range.max", s.Range?.Max)], f);
                break;
            case "decreasing":
                Ordered(at, s, [("range.min", s.Range?.Min), ("critical", s.Critical), ("warning", s.Warning), ("normal.min", s.Normal?.Min)], f);
                break;
            case "none":
                if (s.Warning is not null || s.Critical is not null)
                    f.Add(ProfileFinding.Warning(at + ".direction", "sensors.direction", $"Sensor '{s.Name}' is a context sensor (direction none) but has thresholds; they are never crossed by degradation.", "Set direction to increasing or decreasing, or remove the thresholds."));
                break;
            default:
                f.Add(ProfileFinding.Error(at + ".direction", "sensors.direction", $"direction '{s.Direction}' is not known.", "Use increasing, decreasing or none."));
                break;
        }
    }

    /// <summary>
    /// Checks that the present values of a chain rise strictly, skipping null thresholds, e.g.
    /// normal.max &lt; warning &lt; critical &lt;= range.max for an increasing sensor. Only critical may touch the range end.
    /// </summary>
    private static void Ordered(string at, SensorSpec s, (string Name, double? V)[] chain, List<ProfileFinding> f)
    {
        var present = chain.Where(x => x.V is not null).ToList();
        for (int k = 0; k + 1 < present.Count; k++)
        {
            var (left, right) = (present[k], present[k + 1]);
            bool mayEqual = (left.Name, right.Name) is ("critical", "range.max") or ("range.min", "critical");
            if (mayEqual ? left.V <= right.V : left.V < right.V) continue;
            string threshold = left.Name is "warning" or "critical" ? left.Name : right.Name;
            string other = threshold == left.Name ? right.Name : left.Name;
            bool up = s.Direction == "increasing";
            f.Add(ProfileFinding.Error($"{at}.{threshold}", "sensors.thresholds",
                $"{left.Name} ({Show(left.V)}) must be {(mayEqual ? "at most" : "below")} {right.Name} ({Show(right.V)}) for {(up ? "an increasing" : "a decreasing")} sensor (order: {ThresholdOrder(s.Direction)}).",
                up
                    ? "Put the thresholds above the normal band: warning above normal.max, critical above warning and within range.max; or set direction to decreasing."
                    : "Put the thresholds below the normal band: warning below normal.min, critical below warning and within range.min; or set direction to increasing.")
                with { AlsoConcerns = [$"{at}.{other}"] });
        }
    }

    private static string ThresholdOrder(string? direction) => direction == "increasing"
        ? "normal.max < warning < critical <= range.max"
        : "range.min <= critical < warning < normal.min";

    private static void CheckNoise(SensorSpec s, string at, List<ProfileFinding> f)
    {
        if (s.NoiseStd is not { } noise) return;
        if (noise < 0)
        {
            f.Add(ProfileFinding.Error(at + ".noise_std", "sensors.noise", $"noise_std ({Show(noise)}) is negative.", "Enter the measurement noise as a standard deviation >= 0 (0 for none)."));
            return;
        }
        if (s.Normal is { Min: { } nMin, Max: { } nMax } && noise > 0.5 * (nMax - nMin))
            f.Add(ProfileFinding.Warning(at + ".noise_std", "sensors.noise", $"noise_std ({Show(noise)}) exceeds half the normal band ({Show(nMax - nMin)}); the healthy signal would drown in noise.", "Check the value: noise is usually a few percent of the normal band."));
    }
}
