using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.RunChecks;

/// <summary>Splits a table into runs by <c>run_id</c> (first-appearance order), each run's rows ordered by step, else timestamp.</summary>
public static class RunRows
{
    public static List<int[]> Find(Table table)
    {
        var id = table[SeedColumns.RunId];
        var runs = id.Numbers is { } numbers ? Group(numbers) : Group(id.Labels!.Select(l => l ?? "").ToArray());
        var order = table.Find(SeedColumns.Step)?.Numbers ?? table.Find(SeedColumns.Timestamp)?.Numbers;
        if (order is null) return runs;
        foreach (int[] rows in runs)
        {
            bool sorted = true;
            for (int k = 0; k + 1 < rows.Length && sorted; k++) sorted = order[rows[k]] <= order[rows[k + 1]];
            if (!sorted) Array.Sort(rows, (a, b) => order[a].CompareTo(order[b]));
        }
        return runs;
    }

    private static List<int[]> Group<TKey>(TKey[] keys) where TKey : notnull
    {
        // Seed data keeps each run contiguous: take blocks directly and fall back to a dictionary otherwise.
        var blocks = new List<int[]>();
        var seen = new HashSet<TKey>();
        int start = 0;
        for (int r = 1; r <= keys.Length; r++)
        {
            if (r < keys.Length && EqualityComparer<TKey>.Default.Equals(keys[r], keys[start])) continue;
            if (!seen.Add(keys[start])) return GroupScattered(keys);
            blocks.Add(Enumerable.Range(start, r - start).ToArray());
            start = r;
        }
        return blocks;
    }

    private static List<int[]> GroupScattered<TKey>(TKey[] keys) where TKey : notnull
    {
        var groups = new Dictionary<TKey, List<int>>();
        var order = new List<TKey>();
        for (int r = 0; r < keys.Length; r++)
        {
            if (!groups.TryGetValue(keys[r], out var rows)) { groups[keys[r]] = rows = []; order.Add(keys[r]); }
            rows.Add(r);
        }
        return order.Select(k => groups[k].ToArray()).ToList();
    }
}
