using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>
/// The column roles of an imported machine's seed table, resolved from the profile's <c>import</c> section and checked
/// against the table: what the run-table generator learns (sensors, context, labels), what it writes back unchanged
/// (constants) and what it leaves out (the original run id column, dropped columns). Kept in the model file, so
/// generation needs nothing else.
/// </summary>
/// <param name="Columns">The seed table's columns in order (added ones included).</param>
/// <param name="CategoricalContext">Context columns that hold text (an operating mode): generated as states of the context chain.</param>
/// <param name="Constants">Column name to its one value, as text (numbers in invariant round-trip form).</param>
/// <param name="NumericColumns">Every column of the seed table that holds numbers (so generated data keeps each column's kind).</param>
public sealed record RunTableSchema(
    IReadOnlyList<string> Columns,
    string? RunIdColumn,
    string? OrderColumn,
    string OrderKind,
    double OrderStep,
    double OrderStart,
    IReadOnlyList<string> Sensors,
    IReadOnlyList<string> NumericContext,
    IReadOnlyList<string> CategoricalContext,
    IReadOnlyList<string> Labels,
    string? FailureModeColumn,
    IReadOnlyList<string> Dropped,
    IReadOnlyDictionary<string, string> Constants,
    string? CensoredColumn,
    double RulCap,
    IReadOnlyList<string> NumericColumns,
    IReadOnlyList<string> DateTimeColumns)
{
    /// <summary>The failure mode of every run when the table has no failure-mode column.</summary>
    public const string UnknownFailureMode = "unknown";

    /// <summary>The columns of generated data: run_id and step first, then the table's own columns (without its run id column and dropped ones), then rul and rul_capped.</summary>
    public IReadOnlyList<string> OutputColumns =>
    [
        ImportedColumns.RunId, ImportedColumns.Step,
        .. Columns.Where(c => !ImportedColumns.Added.Contains(c) && c != RunIdColumn && !Dropped.Contains(c)),
        ImportedColumns.Rul, ImportedColumns.RulCapped,
    ];

    /// <summary>Columns that identify or order rows rather than describe the machine: left out of row-level quality scores.</summary>
    public IReadOnlyList<string> IdentifierColumns => IdentifiersOf(RunIdColumn, OrderColumn);

    /// <summary>The identifier columns of an imported profile's tables (see <see cref="IdentifierColumns"/>).</summary>
    public static IReadOnlyList<string> IdentifiersOf(ImportSpec spec) => IdentifiersOf(spec.RunIdColumn, spec.OrderColumn);

    private static IReadOnlyList<string> IdentifiersOf(string? runIdColumn, string? orderColumn) =>
        new[] { ImportedColumns.RunId, ImportedColumns.Step, runIdColumn, orderColumn }.OfType<string>().Distinct().ToList();

    /// <summary>Resolves the roles of an imported profile against its seed table; every problem is named with its fix.</summary>
    public static RunTableSchema From(MachineProfile profile, Table seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(seed);
        var spec = profile.Import ?? throw new ArgumentException("The profile has no import section: it describes a physics-seeded machine, not a table of runs.", nameof(profile));
        foreach (string added in ImportedColumns.Added)
            if (!seed.Has(added)) throw new ArgumentException($"The seed table has no '{added}' column; import the file again (import adds run_id, step, rul and rul_capped).", nameof(seed));

        var sensors = spec.Sensors ?? [];
        if (sensors.Count == 0) throw new ArgumentException("The import section lists no sensor columns: map at least one numeric column as a sensor.", nameof(profile));
        foreach (string sensor in sensors) RequireColumn(seed, sensor, "sensor", numeric: true);
        var context = spec.Context ?? [];
        foreach (string column in context) RequireColumn(seed, column, "context", numeric: null);
        var labels = spec.Labels ?? [];
        foreach (string column in labels) RequireColumn(seed, column, "label", numeric: null);
        if (spec.FailureModeColumn is { } failure && !labels.Contains(failure))
            throw new ArgumentException($"The failure-mode column '{failure}' must also be listed among the label columns.", nameof(profile));
        if (spec.CensoredColumn is { } censored) RequireColumn(seed, censored, "censored", numeric: null);
        if (spec.OrderColumn is { } order) RequireColumn(seed, order, "order", numeric: true);

        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in spec.Constants ?? [])
        {
            RequireColumn(seed, name, "constant", numeric: null);
            constants[name] = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new ArgumentException($"The constant of column '{name}' must be a number or a text, not {value.ValueKind}.", nameof(profile)),
            };
        }
        var roles = sensors.Concat(context).Concat(labels).Concat(constants.Keys).ToList();
        var twice = roles.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Column '{twice.Key}' has more than one role in the import mapping; give it one.", nameof(profile));
        if (labels.Any(l => sensors.Contains(l))) throw new ArgumentException("A label column cannot also be a sensor.", nameof(profile));

        var accounted = roles.Concat(ImportedColumns.Added).Concat(spec.Dropped ?? []).Append(spec.RunIdColumn).Append(spec.OrderColumn).Append(spec.CensoredColumn).ToHashSet();
        var unmapped = seed.ColumnNames.Where(c => !accounted.Contains(c)).ToList();
        if (unmapped.Count > 0)
            throw new ArgumentException($"Column(s) {string.Join(", ", unmapped)} have no role in the import mapping: map each as a sensor, context, label or constant column, or drop it.", nameof(profile));
        double rulCap = profile.Labels?.RulCap is > 0 and var cap ? cap : throw new ArgumentException("labels.rul_cap must be a positive number of steps.", nameof(profile));
        return new RunTableSchema(
            seed.ColumnNames.ToList(), spec.RunIdColumn, spec.OrderColumn, spec.OrderKind ?? "counter", spec.OrderStep ?? 1, spec.OrderStart ?? 1,
            sensors.ToList(),
            context.Where(c => seed[c].IsNumberColumn).ToList(),
            context.Where(c => !seed[c].IsNumberColumn).ToList(),
            labels.ToList(), spec.FailureModeColumn, (spec.Dropped ?? []).ToList(), constants, spec.CensoredColumn, rulCap,
            seed.Columns.Where(c => c.IsNumberColumn).Select(c => c.Name).ToList(),
            seed.Columns.Where(c => c.Kind == ColumnKind.DateTime).Select(c => c.Name).ToList());
    }

    private static void RequireColumn(Table seed, string name, string role, bool? numeric)
    {
        var column = seed.Find(name) ?? throw new ArgumentException($"The {role} column '{name}' is not in the seed table; fix the import mapping.");
        if (numeric == true && !column.IsNumberColumn)
            throw new ArgumentException($"The {role} column '{name}' holds text; a {role} column must be numeric (map it as a label or context column instead).");
    }

    /// <summary>True for a censored run (one that did not fail): any of its rows says true, yes or 1 in the censored column.</summary>
    public bool[] CensoredRuns(Table seed, IReadOnlyList<int[]> runs)
    {
        var result = new bool[runs.Count];
        if (CensoredColumn is null) return result;
        var column = seed[CensoredColumn];
        for (int k = 0; k < runs.Count; k++) result[k] = runs[k].Any(r => IsTrue(column, r));
        return result;
    }

    private static bool IsTrue(Column column, int row) => column.Numbers is { } numbers
        ? numbers[row] != 0 && !double.IsNaN(numbers[row])
        : column.Labels![row]?.Trim().ToLowerInvariant() is "true" or "yes" or "1" or "censored";
}
