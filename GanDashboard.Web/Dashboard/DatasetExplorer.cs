using System.Globalization;
using GanDashboard.Core.Caching;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Looks inside stored datasets for the preview grids and charts: pages, column statistics, distributions,
/// run trajectories. The last few tables read stay in memory so paging and sorting do not re-read the file.
/// </summary>
public sealed class DatasetExplorer(IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths)
{
    private const int HistogramBins = 20;
    private const int MaxCategories = 12;
    private readonly LruCache<Guid, Table> _tables = new(3);

    public async Task<Table> TableAsync(Guid datasetId, CancellationToken ct = default)
    {
        if (_tables.TryGet(datasetId, out var cached)) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string relative = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => d.FilePath).SingleOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException($"No dataset {datasetId}; it may have been deleted with its machine.");
        var table = await TableFile.ReadAsync(paths.Full(relative), ct);
        _tables.Set(datasetId, table);
        return table;
    }

    /// <summary>One page of rows, optionally sorted by a column (missing values last).</summary>
    public async Task<DatasetPage> PageAsync(Guid datasetId, int page, int pageSize, string? sortColumn, bool descending, CancellationToken ct = default)
    {
        var table = await TableAsync(datasetId, ct);
        IEnumerable<int> order = Enumerable.Range(0, table.RowCount);
        if (sortColumn is not null && table.Find(sortColumn) is { } column)
        {
            order = column.Numbers is { } numbers
                ? (descending ? order.OrderByDescending(i => double.IsNaN(numbers[i]) ? double.MinValue : numbers[i])
                              : order.OrderBy(i => double.IsNaN(numbers[i]) ? double.MaxValue : numbers[i]))
                : (descending ? order.OrderByDescending(i => column.Labels![i], StringComparer.Ordinal)
                              : order.OrderBy(i => column.Labels![i] ?? "\uffff", StringComparer.Ordinal));
        }
        var rows = order.Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(i => (IReadOnlyList<string>)table.Columns.Select(c => Format(c, i)).ToList()).ToList();
        return new DatasetPage(table.ColumnNames.ToList(), rows, table.RowCount);
    }

    public async Task<IReadOnlyList<ColumnStatistics>> StatisticsAsync(Guid datasetId, CancellationToken ct = default)
    {
        var table = await TableAsync(datasetId, ct);
        return table.Columns.Select(Statistics).ToList();
    }

    /// <summary>Statistics of one column; numbers ignore missing values.</summary>
    public static ColumnStatistics Statistics(Column column)
    {
        if (column.Numbers is { } numbers)
        {
            var present = numbers.Where(v => !double.IsNaN(v)).ToArray();
            if (present.Length == 0) return new ColumnStatistics(column.Name, column.Kind.ToString(), numbers.Length, null, null, null, null, 0, null);
            double mean = present.Average();
            double std = Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, present.Length - 1));
            return new ColumnStatistics(column.Name, column.Kind.ToString(), numbers.Length - present.Length, mean, std, present.Min(), present.Max(),
                present.Distinct().Count(), null);
        }
        var labels = column.Labels!;
        var counts = labels.Where(l => l is not null).GroupBy(l => l!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        return new ColumnStatistics(column.Name, column.Kind.ToString(), labels.Count(l => l is null), null, null, null, null, counts.Count, counts.FirstOrDefault()?.Key);
    }

    /// <summary>The column's distribution in two datasets over shared bins (equal-width bins over both ranges, or the commonest labels).</summary>
    public async Task<DistributionComparison?> CompareAsync(Guid referenceId, Guid comparedId, string columnName, CancellationToken ct = default)
    {
        var reference = (await TableAsync(referenceId, ct)).Find(columnName);
        var compared = (await TableAsync(comparedId, ct)).Find(columnName);
        return reference is null || compared is null ? null : Compare(reference, compared);
    }

    public static DistributionComparison? Compare(Column reference, Column compared)
    {
        if (reference.Numbers is { } a && compared.Numbers is { } b)
        {
            var all = a.Concat(b).Where(v => !double.IsNaN(v)).ToArray();
            if (all.Length == 0) return null;
            double min = all.Min(), max = all.Max();
            double width = max > min ? (max - min) / HistogramBins : 1;
            var labels = Enumerable.Range(0, HistogramBins).Select(i => (min + (i + 0.5) * width).ToString("G3", CultureInfo.InvariantCulture)).ToList();
            return new DistributionComparison(reference.Name, labels, Histogram(a, min, width), Histogram(b, min, width));
        }
        if (reference.Labels is { } x && compared.Labels is { } y)
        {
            var top = x.Concat(y).Where(l => l is not null).GroupBy(l => l!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).Take(MaxCategories).Select(g => g.Key).ToList();
            return new DistributionComparison(reference.Name, top, Shares(x, top), Shares(y, top));
        }
        return null;
    }

    /// <summary>A sensor over the steps of the first <paramref name="runs"/> runs of a run-to-failure dataset.</summary>
    public async Task<RunTrajectories?> TrajectoriesAsync(Guid datasetId, string sensor, int runs, CancellationToken ct = default)
    {
        var table = await TableAsync(datasetId, ct);
        if (table.Find(SeedColumns.RunId) is not { } runColumn || table.Find(sensor)?.Numbers is not { } values) return null;
        var runIds = RunKeys(runColumn);
        var chosen = runIds.Distinct().Take(runs).ToList();
        var series = chosen.Select(run => (IReadOnlyList<double>)Enumerable.Range(0, table.RowCount)
            .Where(i => runIds[i] == run).Select(i => values[i]).ToList()).ToList();
        return new RunTrajectories(sensor, chosen, series);
    }

    /// <summary>Counts runs whose RUL never increases from one step to the next.</summary>
    public async Task<RulMonotonicity?> RulMonotonicityAsync(Guid datasetId, CancellationToken ct = default)
    {
        var table = await TableAsync(datasetId, ct);
        if (table.Find(SeedColumns.RunId) is not { } runColumn || table.Find(SeedColumns.Rul)?.Numbers is not { } rul) return null;
        var runIds = RunKeys(runColumn);
        var last = new Dictionary<string, double>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rul.Length; i++)
        {
            if (last.TryGetValue(runIds[i], out double previous) && rul[i] > previous + 1e-9) broken.Add(runIds[i]);
            last[runIds[i]] = rul[i];
        }
        return new RulMonotonicity(last.Count, last.Count - broken.Count);
    }

    /// <summary>Numeric sensor-like columns worth charting (not ids, steps or timestamps).</summary>
    public static IReadOnlyList<string> ChartableColumns(Table table) =>
        table.Columns.Where(c => c.Kind != ColumnKind.DateTime && c.Name is not (SeedColumns.RunId or SeedColumns.Step or SeedColumns.Timestamp))
            .Select(c => c.Name).ToList();

    private static string[] RunKeys(Column runColumn) =>
        runColumn.Numbers is { } n
            ? n.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
            : runColumn.Labels!.Select(l => l ?? "").ToArray();

    private static double[] Histogram(double[] values, double min, double width)
    {
        var counts = new double[HistogramBins];
        int n = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) continue;
            counts[Math.Clamp((int)((v - min) / width), 0, HistogramBins - 1)]++;
            n++;
        }
        if (n > 0) for (int i = 0; i < counts.Length; i++) counts[i] /= n;
        return counts;
    }

    private static double[] Shares(string?[] labels, IReadOnlyList<string> categories)
    {
        int n = labels.Count(l => l is not null);
        return categories.Select(c => n == 0 ? 0 : (double)labels.Count(l => l == c) / n).ToArray();
    }

    private static string Format(Column column, int row)
    {
        if (column.IsMissing(row)) return "";
        if (column.Kind == ColumnKind.DateTime)
            return DateTime.UnixEpoch.AddSeconds(column.Numbers![row]).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (column.Numbers is { } numbers)
            return column.IsInteger ? numbers[row].ToString("0", CultureInfo.InvariantCulture) : numbers[row].ToString("G6", CultureInfo.InvariantCulture);
        return column.Labels![row]!;
    }
}
