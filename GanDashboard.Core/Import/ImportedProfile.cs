using GanDashboard.Core.Profiles;

namespace GanDashboard.Core.Import;

/// <summary>
/// The profile of an imported machine: sensors are the sensor columns (lower snake_case names, the original as
/// display name, observed ranges), the sampling interval comes from a timestamp order column (else one step),
/// failure modes from the failure-mode label column (else one mode <c>unknown</c>), and the <c>import</c> section
/// records the mapping. No physics fields: physics-based seeding cannot use it (the validator says what is missing).
/// </summary>
public static class ImportedProfile
{
    public const string MachineType = "imported";

    internal static MachineProfile Build(string sourceName, string? machineId, IReadOnlyList<string> header, IReadOnlyList<string> names,
        IReadOnlyList<ColumnScan> scans, ImportMapping mapping, ImportPlan plan, AssembledRuns runs, double? orderStep, double? orderStart, double rulCap)
    {
        string id = machineId ?? MachineIdFor(sourceName);
        if (MachineIds.Problem(id) is { } problem)
            throw new ImportException(new ImportProblem(problem, "Choose another --machine-id (lower snake_case, three words or more, e.g. turbofan_fleet_001)."));

        var sensorNames = new HashSet<string>(StringComparer.Ordinal);
        var sensors = new List<SensorSpec>();
        foreach (string column in mapping.Sensors)
        {
            int i = MappingDetector.IndexOf(names, column);
            string name = MappingDetector.Snake(header[i]);
            if (name.Length == 0 || !char.IsAsciiLetterLower(name[0])) name = "sensor_" + name;
            if (ProfileVocabulary.ReservedColumnNames.Contains(name)) name += "_sensor";
            string unique = name;
            for (int k = 2; !sensorNames.Add(unique); k++) unique = $"{name}_{k}";
            sensors.Add(new SensorSpec
            {
                Name = unique,
                DisplayName = header[i],
                Column = column,
                Range = new ValueRange { Min = runs.Min[i], Max = runs.Max[i] },
            });
        }

        var modes = new List<FailureMode>();
        if (mapping.FailureModeColumn is not null)
        {
            var modeIds = new HashSet<string>(StringComparer.Ordinal);
            var failed = runs.FailureModes.Where((_, r) => !runs.Censored[r]).ToList();
            foreach (var group in failed.GroupBy(m => m ?? "unknown").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                string modeId = MappingDetector.Snake(group.Key);
                if (modeId.Length == 0 || !char.IsAsciiLetterLower(modeId[0])) modeId = "mode_" + modeId;
                string uniqueId = modeId;
                for (int k = 2; !modeIds.Add(uniqueId); k++) uniqueId = $"{modeId}_{k}";
                modes.Add(new FailureMode { Id = uniqueId, Name = group.Key, RunShare = Math.Round((double)group.Count() / Math.Max(1, failed.Count), 4) });
            }
        }
        if (modes.Count == 0) modes.Add(new FailureMode { Id = "unknown", Name = "Unknown", RunShare = 1 });

        var spec = new ImportSpec
        {
            SourceFile = sourceName,
            Columns = names.Where((_, i) => i != plan.RulIndex).ToList(),
            RunIdColumn = mapping.RunIdColumn,
            OrderColumn = mapping.OrderColumn,
            OrderKind = mapping.OrderKind,
            OrderStep = orderStep,
            OrderStart = orderStart,
            Sensors = mapping.Sensors,
            Context = mapping.Context,
            Labels = mapping.Labels,
            FailureModeColumn = mapping.FailureModeColumn,
            Dropped = mapping.Dropped.Select(d => d.Column).ToList(),
            Constants = mapping.Constants,
            CensoredColumn = mapping.CensoredColumn,
            Renamed = mapping.Renamed,
        };
        int censored = runs.Censored.Count(c => c);
        return new MachineProfile
        {
            SchemaVersion = ProfileVocabulary.SchemaVersion,
            MachineId = id,
            MachineType = MachineType,
            Description = $"Imported from {sourceName}: {runs.Lengths.Count} runs ({censored} censored), {runs.Rows} rows.",
            Sampling = new SamplingSpec { IntervalS = mapping.OrderKind == "timestamp" && orderStep is > 0 ? orderStep : 1 },
            Sensors = sensors,
            FailureModes = modes,
            Labels = new LabelSpec { RulUnit = mapping.OrderKind == "counter" ? "cycles" : "steps", RulCap = rulCap },
            Import = spec,
        };
    }

    /// <summary>The file name in lower snake_case, made a valid id (prefixed <c>imported_</c> and numbered when it has fewer than three words).</summary>
    public static string MachineIdFor(string sourceName)
    {
        string id = MappingDetector.Snake(Path.GetFileNameWithoutExtension(sourceName));
        if (id.Length == 0 || !char.IsAsciiLetterLower(id[0]) || id.Split('_').Length < 3) id = "imported_" + id;
        if (id.Split('_', StringSplitOptions.RemoveEmptyEntries).Length < 3) id += "_001";
        if (id.Length > MachineIds.MaxLength) id = id[..MachineIds.MaxLength].TrimEnd('_');
        return id;
    }
}
