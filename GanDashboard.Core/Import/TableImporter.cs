using System.Globalization;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>An import's outcome: the mapping used, the preview and the inferred profile; the seed table is on disk.</summary>
public sealed record ImportResult(ImportMapping Mapping, ImportPreview Preview, MachineProfile Profile);

/// <summary>
/// Imports a user's table of runs (CSV with any common separator, or Parquet): a first pass learns each column,
/// the mapping is detected (or taken from <see cref="ImportOptions"/>), a second pass writes the seed table
/// (run_id, step, the file's columns, rul, rul_capped; grouped by run, sorted by step) and the profile is inferred.
/// Any problem throws <see cref="ImportException"/> before the seed file exists.
/// </summary>
public static class TableImporter
{
    private static readonly string[] Clashing = [ImportedColumns.RunId, ImportedColumns.Step, ImportedColumns.RulCapped];

    public static async Task<ImportResult> ImportAsync(string dataPath, ImportOptions options, string seedPath, CancellationToken ct = default)
    {
        string sourceName = options.SourceName ?? Path.GetFileName(dataPath);
        var file = new FileInfo(dataPath);
        if (!file.Exists) throw new FileNotFoundException($"No such data file: {dataPath}", dataPath);
        if (file.Length == 0) throw new ImportException(new ImportProblem($"'{sourceName}' is empty.", "Export the table of runs with a header row and at least two rows per run."));
        if (file.Length > options.MaxBytes)
            throw new ImportException(new ImportProblem($"'{sourceName}' has {file.Length / 1048576.0:0.#} MB; the limit is {options.MaxBytes / 1048576.0:0.#} MB.",
                "Split the file into several imports (append runs later), or raise GanDashboard:Import:MaxBytes."));

        // Pass 1: what each column holds.
        List<ColumnScan> scans;
        IReadOnlyList<string> header;
        string layout;
        int? censoredIndex;
        long rows = 0;
        using (var source = await OpenAsync(dataPath, sourceName, ct))
        {
            header = source.Header;
            layout = source.Layout;
            if (header.Count > ImportOptions.MaxColumns)
                throw new ImportException(new ImportProblem($"'{sourceName}' has {header.Count} columns; at most {ImportOptions.MaxColumns} can be imported.",
                    "Leave out columns you do not need before importing (or check the separator: a wrong one can split text into many columns)."));
            censoredIndex = MappingDetector.CensoredIndex(header, options);
            scans = header.Select((h, i) => new ColumnScan(h, i)).ToList();
            while (source.Read())
            {
                bool censored = censoredIndex is { } ci && (source.TryGetNumber(ci, out double v) ? v == 1 : ColumnScan.IsTruthy(source.Field(ci)));
                foreach (var scan in scans) scan.Add(source, censored);
                rows++;
                if ((rows & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            }
        }
        if (rows == 0) throw new ImportException(new ImportProblem($"'{sourceName}' has a header but no rows of data.", "Export the runs' rows too."));

        var (names, renamed, rulIndex) = Rename(header, options);
        if (rulIndex is { } rIdx && scans[rIdx].Kind != ImportedKind.Numeric)
            throw new ImportException(new ImportProblem("The file's 'rul' column holds text or gaps; the import adds its own 'rul'.", "Drop it (--drop rul: kept as 'rul_input') or fix it.", "rul"));
        var (mapping, runIndex, orderIndex) = MappingDetector.Detect(header, names, scans, rows, options, censoredIndex, renamed, rulIndex);
        var runScan = runIndex is { } ri ? scans[ri] : null;

        double rulCap = options.RulCap ?? DefaultRulCap(runScan, rows);
        if (rulCap is not > 0 || !double.IsFinite(rulCap))
            throw new ImportException(new ImportProblem($"The RUL cap must be a positive number (it is {rulCap}).", "Give --rul-cap a number of rows, e.g. 125."));

        var indexOf = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var plan = new ImportPlan(
            names, scans.Select(s => s.Kind == ImportedKind.NumericWithText ? ImportedKind.Text : s.Kind).ToList(), scans.Select(s => s.AllWhole && s.NaN + s.Empty + s.Infinite == 0 && s.Kind == ImportedKind.Numeric).ToList(),
            runIndex, orderIndex, censoredIndex, rulIndex,
            mapping.Sensors.Concat(mapping.Context).Select(n => indexOf[n]).ToList(),
            mapping.Labels.Select(n => indexOf[n]).ToList(), mapping.Sensors.Select(n => indexOf[n]).ToList(),
            runScan, runScan is null || runScan.Transitions + 1 == runScan.Keys.Count, rows, rulCap, mapping.Missing);

        // Pass 2: runs, written to a temporary file that replaces the seed file only when every check passed.
        AssembledRuns? runs = null;
        string spill = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(seedPath))!, $".import_{Guid.NewGuid():N}");
        bool csv = seedPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        try
        {
            await TableFile.WriteAtomicallyAsync(seedPath, async stream =>
            {
                await using var sink = new SeedSink(stream, csv, CompleteColumns(plan, scans));
                // Row groups are written on a second thread while the next runs are parsed.
                var groups = System.Threading.Channels.Channel.CreateBounded<Table>(2);
                var writer = Task.Run(async () =>
                {
                    await foreach (var group in groups.Reader.ReadAllAsync(ct)) await sink.WriteAsync(group);
                }, ct);
                try
                {
                    using var source = await OpenAsync(dataPath, sourceName, ct);
                    runs = await new RunAssembler(plan, t => groups.Writer.WriteAsync(t, ct).AsTask()).RunAsync(source, spill, ct);
                    groups.Writer.Complete();
                }
                catch (Exception e)
                {
                    groups.Writer.TryComplete(e);
                    await Task.WhenAny(writer); // the reader's error is the one to report
                    throw;
                }
                await writer;
            }, ct);
        }
        finally
        {
            if (Directory.Exists(spill)) Directory.Delete(spill, recursive: true);
        }

        string? orderKind = mapping.OrderKind;
        double? orderStep = null, orderStart = null;
        if (orderIndex is not null)
        {
            if (orderKind == "number" && plan.Whole[orderIndex.Value] && runs!.UnitSteps) orderKind = "counter";
            orderStep = orderKind == "counter" ? 1 : Median(runs!.OrderSteps);
            orderStart = Median(runs!.FirstOrders);
        }
        mapping = mapping with { OrderKind = orderKind };
        if (runs!.DroppedRows > 0 && options.RulCap is null)
            mapping.Notices.Add($"{runs.DroppedRows} rows with missing values were dropped; the default RUL cap was computed on the run lengths before dropping.");
        var profile = ImportedProfile.Build(sourceName, options.MachineId, header, names, scans, mapping, plan, runs, orderStep, orderStart, rulCap);
        var preview = BuildPreview(sourceName, layout, header, names, scans, mapping, runs, rulCap);
        return new ImportResult(mapping, preview, profile);
    }

    /// <summary>Numeric seed columns that can hold no NaN: stored as required doubles.</summary>
    private static HashSet<string> CompleteColumns(ImportPlan plan, List<ColumnScan> scans)
    {
        var complete = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < scans.Count; i++)
        {
            if (plan.Kinds[i] != ImportedKind.Numeric) continue;
            if (scans[i].Empty + scans[i].NaN + scans[i].Infinite == 0 || plan.Missing != MissingValues.Refuse && plan.Generated.Contains(i))
                complete.Add(plan.Names[i]);
        }
        if (plan.CensoredIndex is null) { complete.Add(ImportedColumns.Rul); complete.Add(ImportedColumns.RulCapped); }
        return complete;
    }

    private static Task<IRowSource> OpenAsync(string path, string name, CancellationToken ct) => RowSources.OpenAsync(path, name, ct);

    /// <summary>Names clashing with the added columns get <c>_input</c> (a <c>rul</c> the user drops too); a checked <c>rul</c> becomes the label.</summary>
    private static (List<string> Names, Dictionary<string, string> Renamed, int? RulIndex) Rename(IReadOnlyList<string> header, ImportOptions options)
    {
        var names = header.ToList();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        int? rulIndex = null;
        var used = new HashSet<string>(header, StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            bool isRul = names[i] == ImportedColumns.Rul;
            bool dropRul = isRul && (options.Drop ?? []).Any(d => d == ImportedColumns.Rul);
            if (isRul && !dropRul) { rulIndex = i; continue; }
            if (!Clashing.Contains(names[i]) && !isRul) continue;
            string name = names[i] + "_input";
            for (int k = 2; used.Contains(name); k++) name = $"{names[i]}_input{k}";
            used.Add(name);
            renamed[names[i]] = name;
            names[i] = name;
        }
        return (names, renamed, rulIndex);
    }

    /// <summary>60 % of the median length of the runs that failed, rounded (all runs when none failed).</summary>
    private static double DefaultRulCap(ColumnScan? runScan, long rows)
    {
        if (runScan is null) return Math.Max(1, Math.Round(0.6 * rows));
        var failed = runScan.Counts.Where((_, i) => !runScan.Censored[i]).Select(c => (double)c).ToList();
        if (failed.Count == 0) failed = runScan.Counts.Select(c => (double)c).ToList();
        return Math.Max(1, Math.Round(0.6 * Median(failed)));
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static ImportPreview BuildPreview(string sourceName, string layout, IReadOnlyList<string> header, IReadOnlyList<string> names,
        List<ColumnScan> scans, ImportMapping mapping, AssembledRuns runs, double rulCap)
    {
        var columns = new List<ColumnPreview>();
        for (int i = 0; i < names.Count; i++)
        {
            var s = scans[i];
            string name = names[i];
            var dropped = mapping.Dropped.FirstOrDefault(d => d.Column == name);
            string role = name == mapping.RunIdColumn ? "run_id" : name == mapping.OrderColumn ? "order" : name == mapping.CensoredColumn ? "censored"
                : mapping.RulFromFile && header[i] == ImportedColumns.Rul ? "rul" : mapping.Sensors.Contains(name) ? "sensor" : mapping.Context.Contains(name) ? "context"
                : mapping.Labels.Contains(name) ? "label" : mapping.Constants.ContainsKey(name) ? "constant" : "dropped";
            bool numbers = s.Numbers + s.Dates > 0;
            columns.Add(new ColumnPreview(name, name != header[i] ? header[i] : null, role, s.Kind.ToString().ToLowerInvariant(), s.Values, s.Empty + s.NaN + s.Infinite,
                s.Distinct, numbers ? s.Min : null, numbers ? s.Max : null, numbers ? s.Mean : null, numbers ? s.Std : null,
                dropped?.Reason ?? (role == "constant" ? "one value in every row" : null)));
        }
        var lengths = runs.Lengths;
        return new ImportPreview
        {
            SourceFile = sourceName,
            Layout = layout,
            Rows = runs.Rows,
            Runs = lengths.Count,
            CensoredRuns = runs.Censored.Count(c => c),
            DroppedRows = runs.DroppedRows,
            MinRunLength = lengths.Min(),
            MedianRunLength = Median(lengths.Select(l => (double)l).ToList()),
            MaxRunLength = lengths.Max(),
            RulCap = rulCap,
            Columns = columns,
            Trajectories = runs.Trajectories,
            RunLengthHistogram = Histogram(lengths),
        };
    }

    /// <summary>Up to 12 equal-width bins of whole run lengths.</summary>
    internal static List<LengthBin> Histogram(IReadOnlyList<int> lengths)
    {
        int min = lengths.Min(), max = lengths.Max();
        int bins = Math.Min(12, max - min + 1);
        int width = (max - min + bins) / bins;
        var result = new List<LengthBin>();
        for (int b = 0; b < bins; b++)
        {
            int from = min + b * width, to = b == bins - 1 ? max : from + width - 1;
            if (from > max) break;
            result.Add(new LengthBin(from, to, lengths.Count(l => l >= from && l <= to)));
        }
        return result;
    }

    /// <summary>Writes row groups to Parquet, or rows to CSV with the header once.</summary>
    private sealed class SeedSink(Stream stream, bool csv, IReadOnlySet<string> complete) : IAsyncDisposable
    {
        private readonly ParquetTableWriter? _parquet = csv ? null : new ParquetTableWriter(stream, complete);
        private readonly StreamWriter? _csv = csv ? new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) : null;
        private bool _header;

        public async Task WriteAsync(Table table)
        {
            if (_parquet is not null) { await _parquet.WriteAsync(table); return; }
            if (!_header) { Csv.Write(table, _csv!); _header = true; return; }
            var line = new System.Text.StringBuilder();
            for (int r = 0; r < table.RowCount; r++)
            {
                line.Clear();
                for (int c = 0; c < table.Columns.Count; c++)
                {
                    if (c > 0) line.Append(',');
                    line.Append(Csv.Format(table.Columns[c], r));
                }
                line.Append('\n');
                await _csv!.WriteAsync(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_parquet is not null) await _parquet.DisposeAsync();
            if (_csv is not null) await _csv.DisposeAsync();
        }
    }
}
