using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanDashboard.Core.Import;

/// <summary>
/// How a user's own table of runs maps onto a machine (the profile's <c>import</c> section). A profile with this section
/// is an imported machine: its seed data is the user's table with <see cref="ImportedColumns"/> added, its sensors name
/// the columns that hold them (<see cref="Profiles.SensorSpec.Column"/>), and generation writes the table's own columns
/// back under their original names (what <see cref="Dropped"/> lists is left out; <see cref="Constants"/> come back with
/// their constant). Every column of the seed table appears in exactly one of the role lists, or is one of
/// <see cref="ImportedColumns.Added"/>.
/// </summary>
public sealed record ImportSpec
{
    /// <summary>The file the runs came from (name only), for the machine page.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The seed table's original columns in file order, after renames (<see cref="Renamed"/>).</summary>
    public List<string>? Columns { get; init; }

    /// <summary>The column that identifies runs; null when the whole file is one run.</summary>
    public string? RunIdColumn { get; init; }

    /// <summary>The column that orders rows within a run (cycle, step or timestamp); null: file order.</summary>
    public string? OrderColumn { get; init; }

    /// <summary><c>counter</c> (1, 2, ... per run), <c>timestamp</c> (advances by <see cref="OrderStep"/> seconds) or <c>number</c> (advances by <see cref="OrderStep"/>).</summary>
    public string? OrderKind { get; init; }

    /// <summary>How far the order column advances per row (the sampling interval in seconds for timestamps).</summary>
    public double? OrderStep { get; init; }

    /// <summary>The order column's value at each run's first row: the median over the real runs.</summary>
    public double? OrderStart { get; init; }

    /// <summary>Numeric sensor columns the model generates (also listed as profile sensors, with <c>column</c> set).</summary>
    public List<string>? Sensors { get; init; }

    /// <summary>Operating settings, load, ambient or an operating mode: generated as conditions (numeric or categorical).</summary>
    public List<string>? Context { get; init; }

    /// <summary>Categorical label columns (constant within a run), e.g. the failure mode.</summary>
    public List<string>? Labels { get; init; }

    /// <summary>The label column whose values are the failure modes; null: one mode, <c>unknown</c>.</summary>
    public string? FailureModeColumn { get; init; }

    /// <summary>Columns the user chose to leave out of generated data (identifier-like ones, for instance).</summary>
    public List<string>? Dropped { get; init; }

    /// <summary>Columns holding one value in every row: generated data repeats it (text or number).</summary>
    public Dictionary<string, JsonElement>? Constants { get; init; }

    /// <summary>A column marking runs that did not fail (true/1/yes on the run's rows); null: every run ends in failure.</summary>
    public string? CensoredColumn { get; init; }

    /// <summary>Input columns renamed because their names clash with added ones (original name to new name).</summary>
    public Dictionary<string, string>? Renamed { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>The columns an import adds to the user's table (and that generated data has in place of the run id column).</summary>
public static class ImportedColumns
{
    /// <summary>Runs numbered 1, 2, ... in the order of their first row in the file.</summary>
    public const string RunId = "run_id";
    /// <summary>0, 1, ... within a run, after sorting by the order column.</summary>
    public const string Step = "step";
    /// <summary>Rows to the run's last row (0 there); NaN in censored runs.</summary>
    public const string Rul = "rul";
    /// <summary>min(rul, the profile's labels.rul_cap); NaN in censored runs.</summary>
    public const string RulCapped = "rul_capped";

    public static readonly IReadOnlyList<string> Added = [RunId, Step, Rul, RulCapped];
}
