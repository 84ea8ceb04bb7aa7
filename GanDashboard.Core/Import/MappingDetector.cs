using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GanDashboard.Core.Import;

/// <summary>
/// Chooses the role of every column from the first pass's statistics and the user's choices: the run id (a named id
/// or a whole-number/text column whose values form contiguous blocks), the order (monotone within runs or a named
/// time column), constants, identifier-like columns, context (named settings/load/ambient/mode, or a whole-number
/// code with few values), labels (text constant within runs) and sensors (the remaining numbers).
/// </summary>
internal static partial class MappingDetector
{
    [GeneratedRegex("^(unit|unit_?(id|nr|no|number)|id|run|run_?(id|nr|no|number)|engine|engine_?(id|nr|no|number)|asset|asset_?id|machine|machine_?id|serial|serial_?(no|number)|sn|equipment|equipment_?id|device|device_?id|bearing|battery|cell|turbine|pump|motor|vehicle|trajectory|series|sequence_?id|specimen|tool|part_?id)$")]
    private static partial Regex RunIdName();

    [GeneratedRegex("^(cycle|cycles|time|time_?cycles|timestamp|datetime|date|date_?time|step|t|time_?s|seconds|secs?|minutes|mins?|hours?|hrs?|days?|index|idx|seq|sequence|age|op_?hours|operating_?hours|time_?in_?cycles|sample|sample_?no|record|tick)$")]
    private static partial Regex OrderName();

    [GeneratedRegex("(setting|set_?point|setpoint|load|ambient|mode|regime|condition|operating|altitude|alt|mach|throttle|tra|tla|environment|op_?cond)")]
    private static partial Regex ContextName();

    [GeneratedRegex("(fail|fault|cause|defect)")]
    private static partial Regex FailureName();

    [GeneratedRegex("^(censored|is_?censored|censor|right_?censored|suspended|suspension)$")]
    private static partial Regex CensoredName();

    [GeneratedRegex(@"^[-+]?\d+,\d+$")]
    private static partial Regex DecimalComma();

    private const int FewCodes = 6;
    private const int MaxCategories = 100;

    public static int? CensoredIndex(IReadOnlyList<string> header, ImportOptions options)
    {
        if (options.Censored is { } chosen && chosen != ImportOptions.None)
        {
            int i = IndexOf(header, chosen);
            if (i < 0) throw new ImportException(Unknown(chosen, "--censored", header));
            return i;
        }
        if (options.Censored == ImportOptions.None) return null;
        for (int i = 0; i < header.Count; i++)
            if (CensoredName().IsMatch(Snake(header[i]))) return i;
        return null;
    }

    public static (ImportMapping Mapping, int? RunIndex, int? OrderIndex) Detect(
        IReadOnlyList<string> header, IReadOnlyList<string> names, IReadOnlyList<ColumnScan> scans, long rows,
        ImportOptions options, int? censoredIndex, Dictionary<string, string> renamed, int? rulIndex)
    {
        var notices = new List<string>();
        foreach (var (from, to) in renamed) notices.Add($"Column '{from}' is renamed '{to}': the import adds a column of that name.");
        var problems = new List<ImportProblem>();
        var taken = new HashSet<int>();
        if (censoredIndex is { } ci) taken.Add(ci);
        if (rulIndex is { } ri) taken.Add(ri);

        int? runIndex = ChooseRunId(header, names, scans, rows, options, notices, problems);
        if (runIndex is { } r) taken.Add(r);
        long runChanges = runIndex is { } rr ? scans[rr].Transitions : 0;
        bool grouped = runIndex is not { } g || scans[g].Transitions + 1 == scans[g].Keys.Count;

        int? orderIndex = ChooseOrder(header, names, scans, options, runIndex, runChanges, grouped, taken, notices, problems);
        if (orderIndex is { } o) taken.Add(o);

        var context = new List<string>();
        var labels = new List<string>();
        var sensors = new List<string>();
        var dropped = new List<DroppedColumn>();
        var constants = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var user = new Dictionary<int, string>();
        foreach (var (list, role) in new[] { (options.Sensors, "sensors"), (options.Context, "context"), (options.Labels, "labels"), (options.Drop, "drop") })
        {
            foreach (string column in list ?? [])
            {
                int i = IndexOf(header, column, names);
                if (i < 0) { problems.Add(Unknown(column, "--" + role, header)); continue; }
                if (taken.Contains(i) || user.ContainsKey(i))
                {
                    problems.Add(new ImportProblem($"Column '{column}' is given two roles ({role} and another).", "Name each column in one of --run-id, --order, --sensors, --context, --labels, --drop, --censored only.", column));
                    continue;
                }
                user[i] = role;
            }
        }

        for (int i = 0; i < scans.Count; i++)
        {
            if (taken.Contains(i)) continue;
            var s = scans[i];
            string name = names[i];
            if (user.TryGetValue(i, out string? role))
            {
                if (role == "drop") dropped.Add(new DroppedColumn(name, "chosen by the user"));
                else if (role == "sensors")
                {
                    sensors.Add(name);
                    if (s.Kind is not (ImportedKind.Numeric or ImportedKind.NumericWithText))
                        problems.Add(new ImportProblem($"The sensor column '{name}' holds text (e.g. '{s.FirstText}' at line {s.FirstTextLine}).", $"Make it context or a label (--context/--labels {name}), or drop it.", name, s.FirstTextLine));
                    else if (s.Kind == ImportedKind.NumericWithText) problems.Add(TextInNumbers(s, name, "sensor"));
                }
                else if (role == "labels") labels.Add(name);
                else
                {
                    context.Add(name);
                    if (s.Kind == ImportedKind.NumericWithText) problems.Add(TextInNumbers(s, name, "context"));
                }
                continue;
            }
            var kind = s.Kind;
            if (kind == ImportedKind.Empty) { dropped.Add(new DroppedColumn(name, "it has no values")); continue; }
            if (s.Distinct == 1 && s.Empty + s.NaN + s.Infinite == 0)
            {
                constants[name] = kind is ImportedKind.Numeric
                    ? JsonSerializer.SerializeToElement(double.Parse(s.Keys[0], CultureInfo.InvariantCulture))
                    : JsonSerializer.SerializeToElement(s.Keys[0]);
                notices.Add($"'{name}' holds one value ({s.Keys[0]}) in every row: left out of the model, written back with that value.");
                continue;
            }
            if (kind == ImportedKind.Text && s.FirstText is { } sample && DecimalComma().IsMatch(sample))
            {
                problems.Add(new ImportProblem(
                    $"Column '{name}' holds numbers written with a decimal comma ('{sample}' at line {s.FirstTextLine}); numbers must use a decimal point.",
                    "Export the file with a decimal point (e.g. a semicolon-separated file with 12.5, not 12,5), or drop the column.", name, s.FirstTextLine));
                continue;
            }
            switch (kind)
            {
                case ImportedKind.Text or ImportedKind.Boolean:
                    if (s.Distinct is not { } d || d > MaxCategories && d * 2 > rows)
                        dropped.Add(new DroppedColumn(name, $"identifier-like: {(s.Distinct is { } n ? n.ToString(CultureInfo.InvariantCulture) : "too many")} distinct values in {rows} rows"));
                    else if (runIndex is not null && s.Transitions <= runChanges && grouped) labels.Add(name);
                    else if (d <= MaxCategories) context.Add(name);
                    else dropped.Add(new DroppedColumn(name, $"text with {d} distinct values that change within runs"));
                    break;
                case ImportedKind.DateTime:
                    dropped.Add(new DroppedColumn(name, "a second time column (the order column orders the rows)"));
                    break;
                case ImportedKind.NumericWithText:
                    sensors.Add(name);
                    problems.Add(TextInNumbers(s, name, "sensor"));
                    break;
                default:
                    if (s.AllWhole && s.Ties == 0 && s.Decreases == 0 && s.Distinct == rows && rows > 2)
                        dropped.Add(new DroppedColumn(name, "identifier-like: a row number (it rises by row through the whole file)"));
                    else if (runIndex is { } rid && s.AllWhole && s.Distinct == scans[rid].Keys.Count && s.Transitions == runChanges)
                        dropped.Add(new DroppedColumn(name, $"identifier-like: it changes exactly where '{names[rid]}' does (a second run id)"));
                    else if (runIndex is not null && orderIndex is { } oid && grouped && s.AllWhole && s.Ties == 0 && s.Decreases <= runChanges)
                        // A cycle counter or hour meter beside a timestamp: generated as a sensor it would come back noisy and out of step.
                        dropped.Add(new DroppedColumn(name, $"a second order column: it counts up within every run ('{names[oid]}' orders the rows)"));
                    else if (ContextName().IsMatch(Snake(header[i])))
                    {
                        context.Add(name);
                        notices.Add($"'{name}' is context (an operating condition) by its name.");
                    }
                    else if (s.AllWhole && s.Distinct is { } codes and >= 2 and <= FewCodes)
                    {
                        context.Add(name);
                        notices.Add($"'{name}' is context: a whole-number code with {codes} values (an operating mode or setting).");
                    }
                    else sensors.Add(name);
                    break;
            }
        }

        // NaN, infinite or empty values in generated columns: counted per column, refused unless the user chose how to fill them.
        var missing = sensors.Concat(context).Select(n => scans[IndexOf(names, n)])
            .Where(s => s.Kind is ImportedKind.Numeric && s.Empty + s.NaN + s.Infinite > 0).ToList();
        if (missing.Count > 0 && options.Missing == MissingValues.Refuse)
        {
            foreach (var s in missing)
                problems.Add(new ImportProblem(
                    $"Column '{names[s.Index]}' has {s.Empty} empty, {s.NaN} NaN and {s.Infinite} infinite values (first at line {s.FirstMissingLine}).",
                    "Fill them in the file, drop the column (--drop), or choose --missing drop (leave those rows out) or --missing interpolate (linear within the run).",
                    names[s.Index], s.FirstMissingLine));
        }
        else if (missing.Count > 0)
        {
            notices.Add($"{(options.Missing == MissingValues.Drop ? "Rows are dropped" : "Values are interpolated within runs")} where {string.Join(", ", missing.Select(s => $"'{names[s.Index]}' ({s.Empty + s.NaN + s.Infinite})"))} have no finite value.");
        }
        if (sensors.Count == 0)
            problems.Add(new ImportProblem("No column is left to generate as a sensor: every column is an id, order, constant, context, label or dropped.",
                "Keep at least one numeric column that varies (remove it from --context/--labels/--drop)."));
        if (problems.Count > 0) throw new ImportException(problems);

        string? failureColumn = labels.FirstOrDefault(l => FailureName().IsMatch(Snake(l))) ?? labels.FirstOrDefault();
        if (failureColumn is not null) notices.Add($"Failure modes are the values of '{failureColumn}'.");
        if (censoredIndex is { } cidx) notices.Add($"Runs with a true value in '{names[cidx]}' are censored (they did not fail): no RUL labels.");

        var mapping = new ImportMapping
        {
            RunIdColumn = runIndex is { } a ? names[a] : null,
            OrderColumn = orderIndex is { } b ? names[b] : null,
            OrderKind = orderIndex is { } ok ? (scans[ok].Kind == ImportedKind.DateTime ? "timestamp" : "number") : null,
            Sensors = sensors,
            Context = context,
            Labels = labels,
            FailureModeColumn = failureColumn,
            CensoredColumn = censoredIndex is { } c2 ? names[c2] : null,
            Dropped = dropped,
            Constants = constants,
            Renamed = renamed,
            RulFromFile = rulIndex is not null,
            Missing = options.Missing,
            Notices = notices,
        };
        return (mapping, runIndex, orderIndex);
    }

    private static int? ChooseRunId(IReadOnlyList<string> header, IReadOnlyList<string> names, IReadOnlyList<ColumnScan> scans, long rows,
        ImportOptions options, List<string> notices, List<ImportProblem> problems)
    {
        if (options.RunId == ImportOptions.None)
        {
            notices.Add("The whole file is one run (--run-id none).");
            return null;
        }
        if (options.RunId is { } chosen)
        {
            int i = IndexOf(header, chosen, names);
            if (i < 0) { problems.Add(Unknown(chosen, "--run-id", header)); return null; }
            if (scans[i].Distinct is null)
                problems.Add(new ImportProblem($"Column '{chosen}' has more than 200,000 distinct values or non-whole numbers: it cannot identify runs.", "Choose a column holding one id per run (--run-id), or --run-id none for one run per file.", chosen));
            else if (scans[i].Empty > 0)
                problems.Add(new ImportProblem($"The run id column '{chosen}' is empty at line {scans[i].FirstMissingLine}.", "Give every row its run's id.", chosen, scans[i].FirstMissingLine));
            notices.Add($"Runs are identified by '{names[i]}' (chosen): {scans[i].Keys.Count} runs.");
            return i;
        }
        var candidates = scans.Where(s => s.Distinct is { } d && d >= 2 && d * 2 <= rows && s.Empty + s.NaN + s.Infinite == 0
                && (s.Kind is ImportedKind.Text or ImportedKind.Numeric && s.AllWhole))
            .Select(s => new
            {
                Scan = s,
                Named = RunIdName().IsMatch(Snake(header[s.Index])),
                Contiguous = s.Transitions + 1 == s.Keys.Count,
                Resets = scans.Any(o => o != s && o.Decreases > 0 && o.Decreases <= s.Transitions && o.Decreases * 10 >= s.Transitions * 9),
            })
            .Where(c => c.Named || c.Contiguous)
            .OrderByDescending(c => c.Named).ThenByDescending(c => c.Contiguous).ThenByDescending(c => c.Resets).ThenBy(c => c.Scan.Index)
            .ToList();
        if (candidates.Count == 0)
        {
            problems.Add(new ImportProblem(
                "No column can identify runs: none is named like a unit or run id, and no whole-number or text column holds contiguous blocks of rows.",
                "Add a run id column (one value per run, e.g. unit), name it with --run-id COL, or use --run-id none if the whole file is one run."));
            return null;
        }
        var best = candidates[0];
        notices.Add($"Runs are identified by '{names[best.Scan.Index]}' ({(best.Named ? "its name" : "contiguous blocks of values")}): {best.Scan.Keys.Count} runs{(best.Contiguous ? "" : ", not grouped in the file (rows are regrouped through temporary files)")}.");
        return best.Scan.Index;
    }

    private static int? ChooseOrder(IReadOnlyList<string> header, IReadOnlyList<string> names, IReadOnlyList<ColumnScan> scans, ImportOptions options,
        int? runIndex, long runChanges, bool grouped, HashSet<int> taken, List<string> notices, List<ImportProblem> problems)
    {
        if (options.Order == ImportOptions.None)
        {
            notices.Add("Rows stay in file order within runs (--order none).");
            return null;
        }
        if (options.Order is { } chosen)
        {
            int i = IndexOf(header, chosen, names);
            if (i < 0) { problems.Add(Unknown(chosen, "--order", header)); return null; }
            if (i == runIndex) { problems.Add(new ImportProblem($"'{chosen}' cannot be both the run id and the order column.", "Choose another --order (or --order none).", chosen)); return null; }
            if (scans[i].Kind is not (ImportedKind.Numeric or ImportedKind.DateTime))
                problems.Add(new ImportProblem($"The order column '{chosen}' holds text (e.g. '{scans[i].FirstText}' at line {scans[i].FirstTextLine}): it must hold numbers or dates.", "Choose a cycle, step or timestamp column (--order), or --order none for file order.", chosen, scans[i].FirstTextLine));
            else if (scans[i].Empty + scans[i].NaN + scans[i].Infinite > 0)
                problems.Add(new ImportProblem($"The order column '{chosen}' is empty or not finite at line {scans[i].FirstMissingLine}.", "Give every row its cycle, step or time.", chosen, scans[i].FirstMissingLine));
            notices.Add($"Rows are ordered by '{names[i]}' (chosen).");
            return i;
        }
        var candidates = scans.Where(s => !taken.Contains(s.Index) && s.Kind is ImportedKind.Numeric or ImportedKind.DateTime
                && s.Empty + s.NaN + s.Infinite == 0 && s.Distinct != 1)
            .Select(s => new
            {
                Scan = s,
                Named = OrderName().IsMatch(Snake(header[s.Index])),
                Monotone = grouped && s.Ties == 0 && s.Decreases <= runChanges,
                Time = s.Kind == ImportedKind.DateTime,
            })
            .Where(c => c.Named || c.Monotone && (c.Time || c.Scan.AllWhole) || c.Time)
            .OrderByDescending(c => c.Named && c.Monotone).ThenByDescending(c => c.Time && c.Monotone).ThenByDescending(c => c.Named)
            .ThenByDescending(c => c.Time).ThenByDescending(c => c.Monotone).ThenBy(c => c.Scan.Index)
            .ToList();
        if (candidates.Count == 0)
        {
            notices.Add("No cycle, step or time column was found: rows stay in file order within runs (choose one with --order).");
            return null;
        }
        var best = candidates[0];
        notices.Add($"Rows are ordered by '{names[best.Scan.Index]}' ({(best.Named ? "its name" : best.Time ? "a time column" : "it rises within every run")}{(best.Monotone ? "" : "; rows are sorted within runs")}).");
        return best.Scan.Index;
    }

    private static ImportProblem TextInNumbers(ColumnScan s, string name, string role) => new(
        $"The {role} column '{name}' holds text: '{s.FirstText}' at line {s.FirstTextLine} ({s.Texts} text values among {s.Numbers} numbers).",
        $"Correct or empty those cells, or drop the column (--drop {name}).", name, s.FirstTextLine);

    private static ImportProblem Unknown(string column, string flag, IReadOnlyList<string> header) => new(
        $"Column '{column}' ({flag}) is not in the file.",
        $"Use one of: {string.Join(", ", header.Take(40))}{(header.Count > 40 ? ", ..." : "")}.", column);

    /// <summary>The index of a column by its original or its seed-table name.</summary>
    internal static int IndexOf(IReadOnlyList<string> header, string column, IReadOnlyList<string>? names = null)
    {
        for (int i = 0; i < header.Count; i++)
            if (header[i] == column || names is not null && names[i] == column) return i;
        for (int i = 0; i < header.Count; i++)
            if (string.Equals(header[i], column, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>A name in lower snake_case: <c>Bearing Temp (°C)</c> becomes <c>bearing_temp_c</c>.</summary>
    public static string Snake(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 8);
        char previous = '_';
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])) && previous != '_')
                    text.Append('_');
                text.Append(char.ToLowerInvariant(c));
                previous = c;
            }
            else if (previous != '_')
            {
                text.Append('_');
                previous = '_';
            }
        }
        return text.ToString().Trim('_');
    }
}
