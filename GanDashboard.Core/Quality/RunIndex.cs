using System.Globalization;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality;

/// <summary>The rows of each run of a run-to-failure table, in step order (or file order without a step column).</summary>
public sealed class RunIndex
{
    public const string RunIdColumn = "run_id";
    public const string StepColumn = "step";

    private RunIndex(IReadOnlyList<string> runIds, IReadOnlyList<int[]> rows)
    {
        RunIds = runIds;
        Rows = rows;
    }

    /// <summary>Run ids in order of first appearance.</summary>
    public IReadOnlyList<string> RunIds { get; }

    /// <summary>Row numbers of each run, ordered by step.</summary>
    public IReadOnlyList<int[]> Rows { get; }

    public int Count => RunIds.Count;

    /// <summary>The runs of a table with a run_id column; null for a table without runs.</summary>
    public static RunIndex? Of(Table table)
    {
        if (table.Find(RunIdColumn) is not { } idColumn) return null;
        var order = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var ids = new List<string>();
        for (int r = 0; r < table.RowCount; r++)
        {
            string id = KeyOf(idColumn, r);
            if (!order.TryGetValue(id, out var rows))
            {
                order[id] = rows = [];
                ids.Add(id);
            }
            rows.Add(r);
        }
        var steps = table.Find(StepColumn)?.Numbers;
        var grouped = ids.Select(id =>
        {
            var rows = order[id].ToArray();
            if (steps is not null) Array.Sort(rows, (a, b) => steps[a].CompareTo(steps[b]));
            return rows;
        }).ToList();
        return new RunIndex(ids, grouped);
    }

    /// <summary>A value of any column as text, for grouping and matching (numbers round-trip exactly).</summary>
    public static string KeyOf(Column column, int row) =>
        column.Numbers is { } numbers ? numbers[row].ToString("R", CultureInfo.InvariantCulture) : column.Labels![row] ?? "";

    /// <summary>
    /// Splits a real table into (train, holdout): a fixed-seed share of whole runs, or of rows for a table without
    /// runs, so no run is on both sides.
    /// </summary>
    public static (Table Train, Table Holdout) HoldOut(Table table, double fraction, int seed)
    {
        var random = new Random(seed);
        var runs = Of(table);
        List<int[]> units = runs is not null
            ? runs.Rows.ToList()
            : Enumerable.Range(0, table.RowCount).Select(r => new[] { r }).ToList();
        if (units.Count < 2) throw new InvalidDataException("At least two runs (or rows) are needed to hold some out.");
        var shuffled = units.OrderBy(_ => random.Next()).ToList();
        int holdoutCount = Math.Clamp((int)Math.Round(units.Count * fraction), 1, units.Count - 1);
        var holdout = shuffled.Take(holdoutCount).SelectMany(u => u).Order().ToArray();
        var train = shuffled.Skip(holdoutCount).SelectMany(u => u).Order().ToArray();
        return (table.Take(train), table.Take(holdout));
    }
}
