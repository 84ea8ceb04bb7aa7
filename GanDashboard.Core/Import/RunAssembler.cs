using System.Globalization;
using System.Text;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>What the second pass needs to know about the input columns.</summary>
internal sealed record ImportPlan(
    IReadOnlyList<string> Names, IReadOnlyList<ImportedKind> Kinds, IReadOnlyList<bool> Whole, int? RunIndex, int? OrderIndex,
    int? CensoredIndex, int? RulIndex, IReadOnlyList<int> Generated, IReadOnlyList<int> Labels, IReadOnlyList<int> Sensors,
    ColumnScan? RunScan, bool Grouped, long Rows, double RulCap, MissingValues Missing);

/// <summary>What the second pass measured on the runs it wrote.</summary>
internal sealed record AssembledRuns(
    long Rows, long DroppedRows, List<int> Lengths, List<bool> Censored, List<string?> FailureModes, double[] Min, double[] Max,
    List<double> FirstOrders, List<double> OrderSteps, bool UnitSteps, List<RunTrajectory> Trajectories);

/// <summary>
/// The second pass: groups rows into runs (streamed run by run when the file holds each run's rows together, else
/// through temporary bucket files by run), sorts each run by its order column, checks it (duplicated orders, one-row
/// runs, labels that change within a run, a <c>rul</c> column that is not rows-to-end), fills or drops missing values
/// as chosen, numbers the runs and steps, adds <c>rul</c> and <c>rul_capped</c>, and writes the seed table in row
/// groups. Memory holds one run plus one row group when rows come grouped.
/// </summary>
internal sealed class RunAssembler(ImportPlan plan, Func<Table, Task> write)
{
    private const int RowsPerGroup = 65_536;
    private const int MaxProblems = 20;
    private const int TrajectoryRuns = 3, TrajectorySensors = 6, TrajectoryPoints = 200;

    private readonly List<ImportProblem> _problems = [];
    private readonly OutputBatch _batch = new(plan);
    private readonly double[] _min = Enumerable.Repeat(double.PositiveInfinity, plan.Names.Count).ToArray();
    private readonly double[] _max = Enumerable.Repeat(double.NegativeInfinity, plan.Names.Count).ToArray();
    private readonly List<int> _lengths = [];
    private readonly List<bool> _censored = [];
    private readonly List<string?> _modes = [];
    private readonly List<double> _firstOrders = [];
    private readonly List<double> _orderSteps = [];
    private readonly List<RunTrajectory> _trajectories = [];
    private bool _unitSteps = true;
    private long _rows, _dropped;

    public async Task<AssembledRuns> RunAsync(IRowSource source, string spillFolder, CancellationToken ct)
    {
        if (plan.Grouped) await ReadGroupedAsync(source, ct);
        else await ReadSpilledAsync(source, spillFolder, ct);
        if (_batch.Count > 0) await write(_batch.Flush());
        if (_problems.Count > 0) throw new ImportException(_problems);
        return new AssembledRuns(_rows, _dropped, _lengths, _censored, _modes, _min, _max, _firstOrders, _orderSteps, _unitSteps, _trajectories);
    }

    private async Task ReadGroupedAsync(IRowSource source, CancellationToken ct)
    {
        var buffer = new RowBuffer(plan);
        int current = -1;
        var finished = new HashSet<int>();
        while (source.Read())
        {
            int slot = SlotOf(source);
            if (slot != current && buffer.Count > 0)
            {
                finished.Add(current);
                await FinishAsync(buffer, Enumerable.Range(0, buffer.Count).ToArray(), current);
                buffer.Clear();
                ct.ThrowIfCancellationRequested();
            }
            if (finished.Contains(slot))
                throw new ImportException(new ImportProblem($"Run '{Key(slot)}' appears again at line {source.LineNumber} after other runs.", "Keep each run's rows together, or let the import regroup them.", plan.RunIndex is { } r ? plan.Names[r] : null, source.LineNumber));
            current = slot;
            buffer.Add(source, slot);
        }
        if (buffer.Count > 0) await FinishAsync(buffer, Enumerable.Range(0, buffer.Count).ToArray(), current);
    }

    private async Task ReadSpilledAsync(IRowSource source, string spillFolder, CancellationToken ct)
    {
        int runs = plan.RunScan!.Keys.Count;
        int buckets = (int)Math.Clamp((plan.Rows + 199_999) / 200_000, 1, runs);
        int runsPerBucket = (runs + buckets - 1) / buckets;
        Directory.CreateDirectory(spillFolder);
        var files = Enumerable.Range(0, buckets).Select(b => Path.Combine(spillFolder, $"bucket_{b}.bin")).ToArray();
        try
        {
            var writers = files.Select(f => new BinaryWriter(new FileStream(f, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8)).ToArray();
            try
            {
                var row = new RowBuffer(plan);
                while (source.Read())
                {
                    int slot = SlotOf(source);
                    row.Clear();
                    row.Add(source, slot);
                    row.WriteRow(writers[slot / runsPerBucket], 0);
                }
            }
            finally
            {
                foreach (var w in writers) w.Dispose();
            }
            for (int b = 0; b < buckets; b++)
            {
                ct.ThrowIfCancellationRequested();
                var buffer = new RowBuffer(plan);
                using (var reader = new BinaryReader(new FileStream(files[b], FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16), Encoding.UTF8))
                {
                    while (reader.BaseStream.Position < reader.BaseStream.Length) buffer.ReadRow(reader);
                }
                var byRun = new SortedDictionary<int, List<int>>();
                for (int i = 0; i < buffer.Count; i++)
                {
                    if (!byRun.TryGetValue(buffer.Slots[i], out var rows)) byRun[buffer.Slots[i]] = rows = [];
                    rows.Add(i);
                }
                foreach (var (slot, rows) in byRun) await FinishAsync(buffer, rows.ToArray(), slot);
                File.Delete(files[b]);
            }
        }
        finally
        {
            foreach (var f in files) if (File.Exists(f)) File.Delete(f);
        }
    }

    private int SlotOf(IRowSource source)
    {
        if (plan.RunIndex is not { } r) return 0;
        int slot = plan.Kinds[r] == ImportedKind.Numeric && source.TryGetNumber(r, out double v)
            ? plan.RunScan!.SlotOf(v, null)
            : plan.RunScan!.SlotOf(double.NaN, source.Field(r).ToString());
        if (slot < 0) throw new InvalidDataException($"The file changed while it was imported (line {source.LineNumber} has a run id the first pass did not see).");
        return slot;
    }

    private string Key(int slot) => plan.RunScan is { } s ? s.Keys[slot] : "(the file)";

    private void Problem(ImportProblem problem)
    {
        if (_problems.Count < MaxProblems) _problems.Add(problem);
    }

    private async Task FinishAsync(RowBuffer buffer, int[] rows, int slot)
    {
        string key = Key(slot);
        // Order within the run.
        if (plan.OrderIndex is { } o)
        {
            var order = buffer.Numbers[o]!;
            var keys = Array.ConvertAll(rows, i => order[i]);
            bool sorted = true;
            for (int k = 1; k < keys.Length && sorted; k++) sorted = keys[k] >= keys[k - 1];
            if (!sorted)
            {
                var positions = Enumerable.Range(0, rows.Length).ToArray();
                Array.Sort(positions, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
                rows = Array.ConvertAll(positions, p => rows[p]);
                keys = Array.ConvertAll(positions, p => keys[p]);
            }
            for (int k = 1; k < keys.Length; k++)
            {
                if (keys[k] == keys[k - 1])
                {
                    Problem(new ImportProblem(
                        $"Run '{key}' has two rows at {plan.Names[o]} = {Show(keys[k], plan.Kinds[o])} (lines {buffer.Lines[rows[k - 1]]} and {buffer.Lines[rows[k]]}).",
                        "Remove the duplicated row, or choose another order column (--order) or run id (--run-id).", plan.Names[o], buffer.Lines[rows[k]]));
                    break;
                }
            }
        }

        // Missing values in generated columns.
        var filled = new Dictionary<int, double[]>();
        if (plan.Missing == MissingValues.Drop)
        {
            int before = rows.Length;
            rows = rows.Where(i => plan.Generated.All(c => plan.Kinds[c] != ImportedKind.Numeric || double.IsFinite(buffer.Numbers[c]![i]))).ToArray();
            _dropped += before - rows.Length;
        }
        else if (plan.Missing == MissingValues.Interpolate)
        {
            foreach (int c in plan.Generated)
            {
                if (plan.Kinds[c] != ImportedKind.Numeric) continue;
                var values = Array.ConvertAll(rows, i => buffer.Numbers[c]![i]);
                if (values.All(double.IsFinite)) continue;
                if (!Interpolate(values))
                {
                    Problem(new ImportProblem($"Run '{key}' has no finite value in '{plan.Names[c]}', so nothing can be interpolated.", "Fill the column for that run, use --missing drop, or drop the column.", plan.Names[c], buffer.Lines[rows[0]]));
                    return;
                }
                filled[c] = values;
            }
        }

        int n = rows.Length;
        if (n < 2)
        {
            Problem(new ImportProblem(
                n == 0 ? $"Run '{key}' has no row left after dropping rows with missing values." : $"Run '{key}' has one row (line {buffer.Lines[rows[0]]}): a run needs at least two.",
                "Remove that run from the file, or check the run id column (--run-id).", plan.RunIndex is { } ri ? plan.Names[ri] : null, n == 0 ? null : buffer.Lines[rows[0]]));
            return;
        }

        bool censored = false;
        if (plan.CensoredIndex is { } ci)
        {
            foreach (int i in rows)
                if (buffer.Texts[ci] is { } t ? t[i] is { } s && ColumnScan.IsTruthy(s) : buffer.Numbers[ci]![i] == 1) { censored = true; break; }
        }
        foreach (int c in plan.Labels)
        {
            for (int k = 1; k < n; k++)
            {
                if (!buffer.SameValue(c, rows[0], rows[k]))
                {
                    Problem(new ImportProblem($"The label column '{plan.Names[c]}' changes within run '{key}' (line {buffer.Lines[rows[k]]}): a label holds one value per run.",
                        $"Make it context instead (--context {plan.Names[c]}), or drop it.", plan.Names[c], buffer.Lines[rows[k]]));
                    break;
                }
            }
        }
        if (plan.RulIndex is { } rulColumn && !censored)
        {
            var given = buffer.Numbers[rulColumn];
            for (int k = 0; k < n; k++)
            {
                double expected = n - 1 - k;
                if (given is null || given[rows[k]] != expected)
                {
                    Problem(new ImportProblem(
                        $"The file's 'rul' column is not the rows to the run's last row: run '{key}' line {buffer.Lines[rows[k]]} has {(given is null ? "text" : Show(given[rows[k]], ImportedKind.Numeric))}, expected {expected}.",
                        "Drop it (--drop rul: it is kept as 'rul_input' and left out of generated data) or rename it in the file; the import computes rul itself.", "rul", buffer.Lines[rows[k]]));
                    break;
                }
            }
        }
        if (_problems.Count > 0) return; // nothing is written after the first problem; keep checking the rest of the file

        int runId = _lengths.Count + 1;
        _lengths.Add(n);
        _censored.Add(censored);
        _rows += n;
        if (plan.OrderIndex is { } oi)
        {
            var order = buffer.Numbers[oi]!;
            _firstOrders.Add(order[rows[0]]);
            for (int k = 1; k < n; k++)
            {
                double step = order[rows[k]] - order[rows[k - 1]];
                if (step != 1) _unitSteps = false;
                if (_orderSteps.Count < 100_000) _orderSteps.Add(step);
            }
        }
        _modes.Add(plan.Labels.Count > 0 ? buffer.Text(plan.Labels[0], rows[0]) : null);
        foreach (int c in plan.Generated)
        {
            if (plan.Kinds[c] != ImportedKind.Numeric) continue;
            for (int k = 0; k < n; k++)
            {
                double v = filled.TryGetValue(c, out var f) ? f[k] : buffer.Numbers[c]![rows[k]];
                if (v < _min[c]) _min[c] = v;
                if (v > _max[c]) _max[c] = v;
            }
        }
        if (runId <= TrajectoryRuns)
        {
            int every = Math.Max(1, (n + TrajectoryPoints - 1) / TrajectoryPoints);
            foreach (int c in plan.Sensors.Take(TrajectorySensors))
            {
                var steps = new List<int>();
                var values = new List<double>();
                for (int k = 0; k < n; k += every)
                {
                    steps.Add(k);
                    values.Add(filled.TryGetValue(c, out var f) ? f[k] : buffer.Numbers[c]![rows[k]]);
                }
                _trajectories.Add(new RunTrajectory(runId, key, n, plan.Names[c], steps, values));
            }
        }

        _batch.Append(buffer, rows, runId, censored, filled, plan.RulCap);
        if (_batch.Count >= RowsPerGroup) await write(_batch.Flush());
    }

    /// <summary>Fills non-finite values linearly between finite neighbours, with the nearest at the ends; false when none is finite.</summary>
    internal static bool Interpolate(double[] values)
    {
        int previous = -1;
        for (int k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k])) continue;
            if (previous < 0) for (int j = 0; j < k; j++) values[j] = values[k];
            else for (int j = previous + 1; j < k; j++) values[j] = values[previous] + (values[k] - values[previous]) * (j - previous) / (k - previous);
            previous = k;
        }
        if (previous < 0) return false;
        for (int j = previous + 1; j < values.Length; j++) values[j] = values[previous];
        return true;
    }

    private static string Show(double value, ImportedKind kind) => kind == ImportedKind.DateTime
        ? TimeStamps.FromUnixSeconds(value).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The rows of one run (or one spill bucket), column by column as they will be stored.</summary>
    private sealed class RowBuffer
    {
        private readonly ImportPlan _plan;

        public RowBuffer(ImportPlan plan)
        {
            _plan = plan;
            Numbers = plan.Kinds.Select(k => IsNumber(k) ? new List<double>() : null).ToArray();
            Texts = plan.Kinds.Select(k => IsNumber(k) ? null : new List<string?>()).ToArray();
        }

        public List<double>?[] Numbers { get; }
        public List<string?>?[] Texts { get; }
        public List<int> Lines { get; } = [];
        public List<int> Slots { get; } = [];
        public int Count => Lines.Count;

        public static bool IsNumber(ImportedKind kind) => kind is ImportedKind.Numeric or ImportedKind.DateTime or ImportedKind.Empty;

        public void Add(IRowSource source, int slot)
        {
            for (int c = 0; c < Numbers.Length; c++)
            {
                if (Numbers[c] is { } numbers)
                {
                    double v = double.NaN;
                    var field = source.Field(c);
                    if (!field.IsEmpty)
                    {
                        if (_plan.Kinds[c] == ImportedKind.DateTime) { if (!Csv.TryParseDate(field, out v)) v = double.NaN; }
                        else if (!source.TryGetNumber(c, out v)) v = double.NaN;
                    }
                    numbers.Add(v);
                }
                else
                {
                    var field = source.Field(c);
                    Texts[c]!.Add(field.IsEmpty ? null : _plan.Kinds[c] == ImportedKind.Boolean ? (char.ToUpperInvariant(field[0]) == 'T' ? "True" : "False") : field.ToString());
                }
            }
            Lines.Add(source.LineNumber);
            Slots.Add(slot);
        }

        public void Clear()
        {
            foreach (var n in Numbers) n?.Clear();
            foreach (var t in Texts) t?.Clear();
            Lines.Clear();
            Slots.Clear();
        }

        public bool SameValue(int column, int a, int b) =>
            Numbers[column] is { } n ? n[a].Equals(n[b]) : Texts[column]![a] == Texts[column]![b];

        public string? Text(int column, int row) =>
            Numbers[column] is { } n ? n[row].ToString("R", CultureInfo.InvariantCulture) : Texts[column]![row];

        public void WriteRow(BinaryWriter writer, int row)
        {
            writer.Write(Slots[row]);
            writer.Write(Lines[row]);
            for (int c = 0; c < Numbers.Length; c++)
            {
                if (Numbers[c] is { } n) writer.Write(n[row]);
                else
                {
                    string? text = Texts[c]![row];
                    writer.Write(text is not null);
                    if (text is not null) writer.Write(text);
                }
            }
        }

        public void ReadRow(BinaryReader reader)
        {
            Slots.Add(reader.ReadInt32());
            Lines.Add(reader.ReadInt32());
            for (int c = 0; c < Numbers.Length; c++)
            {
                if (Numbers[c] is { } n) n.Add(reader.ReadDouble());
                else Texts[c]!.Add(reader.ReadBoolean() ? reader.ReadString() : null);
            }
        }
    }

    /// <summary>Seed rows waiting to be written as one row group: run_id, step, the file's columns, rul, rul_capped.</summary>
    private sealed class OutputBatch(ImportPlan plan)
    {
        private readonly List<double> _runIds = [], _steps = [], _rul = [], _rulCapped = [];
        private readonly List<double>?[] _numbers = plan.Kinds.Select(k => RowBuffer.IsNumber(k) ? new List<double>() : null).ToArray();
        private readonly List<string?>?[] _texts = plan.Kinds.Select(k => RowBuffer.IsNumber(k) ? null : new List<string?>()).ToArray();

        public int Count => _steps.Count;

        public void Append(RowBuffer buffer, int[] rows, int runId, bool censored, Dictionary<int, double[]> filled, double rulCap)
        {
            int n = rows.Length;
            for (int k = 0; k < n; k++)
            {
                _runIds.Add(runId);
                _steps.Add(k);
                double rul = censored ? double.NaN : n - 1 - k;
                _rul.Add(rul);
                _rulCapped.Add(censored ? double.NaN : Math.Min(rul, rulCap));
            }
            for (int c = 0; c < _numbers.Length; c++)
            {
                if (c == plan.RulIndex) continue;
                if (_numbers[c] is { } numbers)
                {
                    if (filled.TryGetValue(c, out var values)) numbers.AddRange(values);
                    else
                    {
                        var source = buffer.Numbers[c]!;
                        foreach (int i in rows) numbers.Add(source[i]);
                    }
                }
                else
                {
                    var source = buffer.Texts[c]!;
                    var texts = _texts[c]!;
                    foreach (int i in rows) texts.Add(source[i]);
                }
            }
        }

        public Table Flush()
        {
            var columns = new List<Column>(plan.Names.Count + 4)
            {
                Column.Numeric(ImportedColumns.RunId, _runIds.ToArray(), isInteger: true),
                Column.Numeric(ImportedColumns.Step, _steps.ToArray(), isInteger: true),
            };
            for (int c = 0; c < _numbers.Length; c++)
            {
                if (c == plan.RulIndex) continue;
                string name = plan.Names[c];
                columns.Add(plan.Kinds[c] switch
                {
                    ImportedKind.DateTime => Column.DateTime(name, _numbers[c]!.ToArray()),
                    ImportedKind.Numeric or ImportedKind.Empty => Column.Numeric(name, _numbers[c]!.ToArray(), plan.Whole[c]),
                    ImportedKind.Boolean => Column.Boolean(name, _texts[c]!.ToArray()),
                    _ => Column.Categorical(name, _texts[c]!.ToArray()),
                });
                _numbers[c]?.Clear();
                _texts[c]?.Clear();
            }
            columns.Add(Column.Numeric(ImportedColumns.Rul, _rul.ToArray()));
            columns.Add(Column.Numeric(ImportedColumns.RulCapped, _rulCapped.ToArray()));
            _runIds.Clear(); _steps.Clear(); _rul.Clear(); _rulCapped.Clear();
            return new Table(columns);
        }
    }
}
