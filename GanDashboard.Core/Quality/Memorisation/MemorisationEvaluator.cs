using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.Memorisation;

/// <summary>Exact copies of real rows and distance to closest record (training vs held-out) of synthetic rows.</summary>
public static class MemorisationEvaluator
{
    /// <param name="train">Real rows the generator learnt from.</param>
    /// <param name="holdout">Real rows it did not see (or, without a given holdout, rows set aside from the real table).</param>
    /// <param name="columns">The columns compared (identifiers excluded by the caller).</param>
    public static MemorisationResult Evaluate(Table train, Table holdout, Table synthetic, IReadOnlyList<string> columns, int sampleRows, int seed)
    {
        var notes = new List<string>();
        var realRows = Table.Concat([train.Select(columns), holdout.Select(columns)]);
        var syntheticRows = synthetic.Select(columns);
        int matches = CountExactMatches(realRows, syntheticRows);

        var random = new Random(seed);
        // With runs, compare as many whole training runs as there are held-out runs: rows sampled across many
        // runs are more varied than rows of a few runs, which would pull synthetic rows towards the training side.
        (train, holdout) = MatchRunCounts(train, holdout, random);
        int referenceSample = Math.Min(Math.Min(train.RowCount, holdout.RowCount), sampleRows);
        int syntheticSample = Math.Min(synthetic.RowCount, sampleRows);
        double? share = null, medianTrain = null, medianHoldout = null;
        if (referenceSample > 0 && syntheticSample > 0)
        {
            // Equal-sized training and holdout samples, so a generator that generalises lands at 0.5.
            if (referenceSample < Math.Max(train.RowCount, holdout.RowCount) || syntheticSample < synthetic.RowCount)
                notes.Add($"Distances use {syntheticSample} sampled synthetic rows against {referenceSample} training and {referenceSample} held-out rows.");
            var space = DistanceSpace.Fit(train.Select(columns));
            var trainPoints = space.Encode(train.Select(columns), Sample(train.RowCount, referenceSample, random));
            var holdoutPoints = space.Encode(holdout.Select(columns), Sample(holdout.RowCount, referenceSample, random));
            var syntheticPoints = space.Encode(syntheticRows, Sample(synthetic.RowCount, syntheticSample, random));
            var toTrain = new double[syntheticPoints.Length];
            var toHoldout = new double[syntheticPoints.Length];
            Parallel.For(0, syntheticPoints.Length, i =>
            {
                toTrain[i] = space.Nearest(syntheticPoints[i], trainPoints);
                toHoldout[i] = space.Nearest(syntheticPoints[i], holdoutPoints);
            });
            double closer = 0;
            for (int i = 0; i < toTrain.Length; i++) closer += toTrain[i] < toHoldout[i] ? 1 : toTrain[i] == toHoldout[i] ? 0.5 : 0;
            share = closer / toTrain.Length;
            medianTrain = Median(toTrain);
            medianHoldout = Median(toHoldout);
        }
        return new MemorisationResult(synthetic.RowCount, realRows.RowCount, matches,
            synthetic.RowCount == 0 ? 0 : (double)matches / synthetic.RowCount, share, syntheticSample, referenceSample,
            medianTrain, medianHoldout, columns, notes);
    }

    private static (Table Train, Table Holdout) MatchRunCounts(Table train, Table holdout, Random random)
    {
        if (RunIndex.Of(train) is not { } trainRuns || RunIndex.Of(holdout) is not { } holdoutRuns) return (train, holdout);
        static Table Keep(Table table, RunIndex runs, int count, Random random)
        {
            if (count >= runs.Count) return table;
            var chosen = Sample(runs.Count, count, random);
            return table.Take(chosen.SelectMany(i => runs.Rows[i]).Order().ToArray());
        }
        int common = Math.Min(trainRuns.Count, holdoutRuns.Count);
        return (Keep(train, trainRuns, common, random), Keep(holdout, holdoutRuns, common, random));
    }

    /// <summary>Synthetic rows equal, value for value, to some real row.</summary>
    internal static int CountExactMatches(Table real, Table synthetic)
    {
        var byHash = new Dictionary<int, List<int>>();
        for (int r = 0; r < real.RowCount; r++)
        {
            int hash = RowHash(real, r);
            if (!byHash.TryGetValue(hash, out var rows)) byHash[hash] = rows = [];
            rows.Add(r);
        }
        int matches = 0;
        for (int s = 0; s < synthetic.RowCount; s++)
            if (byHash.TryGetValue(RowHash(synthetic, s), out var candidates) && candidates.Any(r => RowsEqual(real, r, synthetic, s))) matches++;
        return matches;
    }

    private static int RowHash(Table table, int row)
    {
        var hash = new HashCode();
        foreach (var column in table.Columns)
        {
            if (column.Numbers is { } numbers) hash.Add(double.IsNaN(numbers[row]) ? double.NaN : numbers[row] + 0.0);
            else hash.Add(column.Labels![row]);
        }
        return hash.ToHashCode();
    }

    private static bool RowsEqual(Table a, int rowA, Table b, int rowB)
    {
        for (int c = 0; c < a.Columns.Count; c++)
        {
            var (x, y) = (a.Columns[c], b.Columns[c]);
            bool equal = x.Numbers is { } nx && y.Numbers is { } ny
                ? nx[rowA].Equals(ny[rowB])
                : x.Labels is { } lx && y.Labels is { } ly && lx[rowA] == ly[rowB];
            if (!equal) return false;
        }
        return true;
    }

    private static int[] Sample(int count, int take, Random random)
    {
        var rows = Enumerable.Range(0, count).ToArray();
        if (take >= count) return rows;
        random.Shuffle(rows);
        return rows[..take];
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Gower-style distance: numbers scaled by the training range (|a - b| / range), labels 0 when equal and 1
    /// otherwise, summed over columns; a missing value is 0 from another missing value and 1 from anything else.
    /// </summary>
    private sealed class DistanceSpace
    {
        private readonly List<(string Name, double Min, double Range)> _numbers = [];
        private readonly List<(string Name, Dictionary<string, int> Codes)> _labels = [];

        public static DistanceSpace Fit(Table train)
        {
            var space = new DistanceSpace();
            foreach (var column in train.Columns)
            {
                if (column.Numbers is { } values)
                {
                    var present = values.Where(v => !double.IsNaN(v)).ToArray();
                    double min = present.Length == 0 ? 0 : present.Min(), max = present.Length == 0 ? 0 : present.Max();
                    space._numbers.Add((column.Name, min, max > min ? max - min : 1));
                }
                else space._labels.Add((column.Name, new Dictionary<string, int>(StringComparer.Ordinal)));
            }
            return space;
        }

        /// <summary>Each sampled row as scaled numbers followed by label codes (NaN for missing).</summary>
        public double[][] Encode(Table table, int[] rows)
        {
            var points = new double[rows.Length][];
            for (int i = 0; i < rows.Length; i++) points[i] = new double[_numbers.Count + _labels.Count];
            for (int c = 0; c < _numbers.Count; c++)
            {
                var (name, min, range) = _numbers[c];
                var values = table[name].Numbers!;
                for (int i = 0; i < rows.Length; i++) points[i][c] = (values[rows[i]] - min) / range;
            }
            for (int c = 0; c < _labels.Count; c++)
            {
                var (name, codes) = _labels[c];
                var labels = table[name].Labels!;
                for (int i = 0; i < rows.Length; i++)
                {
                    string? label = labels[rows[i]];
                    if (label is not null && !codes.TryGetValue(label, out _)) codes[label] = codes.Count;
                    points[i][_numbers.Count + c] = label is null ? double.NaN : codes[label];
                }
            }
            return points;
        }

        public double Nearest(double[] point, double[][] candidates)
        {
            double best = double.PositiveInfinity;
            int split = _numbers.Count;
            foreach (var candidate in candidates)
            {
                double d = 0;
                for (int c = 0; c < point.Length && d < best; c++)
                {
                    double a = point[c], b = candidate[c];
                    if (double.IsNaN(a) || double.IsNaN(b)) d += double.IsNaN(a) && double.IsNaN(b) ? 0 : 1;
                    else d += c < split ? Math.Abs(a - b) : (a == b ? 0 : 1);
                }
                if (d < best) best = d;
            }
            return best;
        }
    }
}
