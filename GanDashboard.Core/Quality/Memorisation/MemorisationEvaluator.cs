using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.Memorisation;

/// <summary>
/// Exact copies of real rows, and SDMetrics' DCROverfittingProtection and DCRBaselineProtection (see <see cref="Dcr"/>)
/// of the synthetic rows against training rows and unseen rows.
/// </summary>
public static class MemorisationEvaluator
{
    /// <summary>Reference rows per side above which rows are sampled (the distances are brute force).</summary>
    public const int DefaultReferenceRowsMax = 50_000;

    /// <param name="train">Real rows the generator learnt from.</param>
    /// <param name="unseen">Real rows it never saw.</param>
    /// <param name="columns">The columns compared (identifiers excluded by the caller).</param>
    /// <param name="sampleRows">At most this many synthetic rows.</param>
    /// <param name="referenceRowsMax">At most this many rows of each reference side (all of them below it).</param>
    public static MemorisationResult Evaluate(Table train, Table unseen, Table synthetic, IReadOnlyList<string> columns, int sampleRows, int seed,
        int referenceRowsMax = DefaultReferenceRowsMax)
    {
        var notes = new List<string>();
        var realRows = Table.Concat([train.Select(columns), unseen.Select(columns)]);
        var syntheticRows = synthetic.Select(columns);
        int matches = CountExactMatches(realRows, syntheticRows);

        var random = new Random(seed);
        // Equal-sized training and unseen samples (SDMetrics' num_rows_subsample does the same): a larger reference
        // set is closer to everything, which would bias the share toward it. With runs, as many whole training runs as
        // there are unseen runs first: rows sampled across many runs are more varied than rows of a few.
        // Each side is then taken whole (trimmed to the smaller row count): distances are range-normalised by the
        // reference side's own range, and the range of a few thousand sampled rows depends on which extreme rows were
        // drawn. On one CNC model the share closer to training swung from 0.42 to 0.88 between row samples of the same
        // runs; with whole sides it rests on the runs alone.
        (train, unseen) = MatchRunCounts(train, unseen, random);
        int referenceSample = Math.Min(Math.Min(train.RowCount, unseen.RowCount), referenceRowsMax);
        int syntheticSample = Math.Min(synthetic.RowCount, sampleRows);
        DcrOverfittingProtection? overfitting = null;
        DcrBaselineProtection? baseline = null;
        if (referenceSample > 0 && syntheticSample > 0 && columns.Count > 0)
        {
            notes.Add($"Distances use {syntheticSample} of {synthetic.RowCount} synthetic rows against {referenceSample} training and {referenceSample} unseen rows.");
            var trainSample = train.Select(columns).Take(Sample(train.RowCount, referenceSample, random));
            var unseenSample = unseen.Select(columns).Take(Sample(unseen.RowCount, referenceSample, random));
            var syntheticPoints = syntheticRows.Take(Sample(synthetic.RowCount, syntheticSample, random));
            var toTrain = Dcr.Distances(syntheticPoints, trainSample, columns);
            var toUnseen = Dcr.Distances(syntheticPoints, unseenSample, columns);
            overfitting = Dcr.OverfittingProtection(toTrain, toUnseen);
            baseline = Dcr.BaselineProtection(trainSample, syntheticPoints, columns, seed);
        }
        return new MemorisationResult(synthetic.RowCount, realRows.RowCount, matches,
            synthetic.RowCount == 0 ? 0 : (double)matches / synthetic.RowCount, overfitting?.CloserToTraining, syntheticSample, referenceSample,
            baseline?.SyntheticMedianDcr, null, columns, notes)
        {
            OverfittingProtection = overfitting,
            BaselineProtection = baseline,
            TrainingRuns = RunIndex.Of(train)?.Count,
            UnseenRuns = RunIndex.Of(unseen)?.Count,
        };
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
}
