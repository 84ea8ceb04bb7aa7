namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// Repeats the seed rows of rare degradation conditions in the training set. A failure that shows only at its last
/// step (a tool chipping: six rows of 10,000 at 40 mm/s against about 1 mm/s elsewhere) or the last stretch of an
/// exponential wear law is seen too rarely for the decoder to learn it, and its synthetic runs ended without the
/// failure's signature. The network is conditional, so repeating rows by their condition leaves what it should learn,
/// the sensors given the condition, unchanged: it only spends more of the training on those conditions.
/// The transformer is fitted on the repeated rows too: otherwise its mixture pruned the rare values' component (six
/// rows are under its weight threshold) and the decoder could not express them at all.
/// Bins are (failure mode, degradation interval between <see cref="LatentPrior.DefaultKnots"/>); healthy rows (D = 0)
/// are never repeated.
/// </summary>
internal static class RareConditions
{
    /// <summary>Rows a degradation bin should have at least, as a share of the seed rows...</summary>
    private const double MinBinShare = 0.01;

    /// <summary>...reached by repeating its rows at most this many times.</summary>
    private const int MaxCopies = 20;

    /// <summary>How many times each seed row goes into the training set (1 for most).</summary>
    public static int[] Copies(RunAwareSpec spec, float[] conditions, int rows)
    {
        var knots = LatentPrior.DefaultKnots;
        int failures = spec.Skeletons.FailureModes.Count, dim = spec.ConditionDim;
        var bin = new int[rows];
        var counts = new int[failures * knots.Length];
        for (int r = 0; r < rows; r++)
        {
            bin[r] = -1;
            double d = conditions[(long)r * dim];
            if (d <= 0) continue;
            int f = -1;
            for (int i = 0; i < failures; i++) if (conditions[(long)r * dim + 1 + i] > 0) f = i;
            if (f < 0) continue;
            int k = 1;
            while (k < knots.Length - 1 && d > knots[k]) k++;
            bin[r] = f * knots.Length + k;
            counts[bin[r]]++;
        }
        double wanted = MinBinShare * rows;
        var copies = new int[rows];
        for (int r = 0; r < rows; r++)
            copies[r] = bin[r] < 0 ? 1 : Math.Clamp((int)Math.Ceiling(wanted / counts[bin[r]]), 1, MaxCopies);
        return copies;
    }

    /// <summary>Seed row indices with each repeated its number of copies, in seed order.</summary>
    public static int[] RepeatedRows(int[] copies)
    {
        var rows = new int[copies.Sum()];
        int at = 0;
        for (int r = 0; r < copies.Length; r++) for (int c = 0; c < copies[r]; c++) rows[at++] = r;
        return rows;
    }

    /// <summary>The rows (data and conditions, both row-major) with each repeated its number of copies, in seed order.</summary>
    public static (float[] Data, float[] Conditions, int Rows) Repeat(float[] data, int dataDim, float[] conditions, int conditionDim, int[] copies)
    {
        int rows = copies.Sum();
        var outData = new float[(long)rows * dataDim];
        var outConditions = new float[(long)rows * conditionDim];
        int at = 0;
        for (int r = 0; r < copies.Length; r++)
        {
            for (int c = 0; c < copies[r]; c++, at++)
            {
                data.AsSpan(r * dataDim, dataDim).CopyTo(outData.AsSpan(at * dataDim));
                conditions.AsSpan(r * conditionDim, conditionDim).CopyTo(outConditions.AsSpan(at * conditionDim));
            }
        }
        return (outData, outConditions, rows);
    }
}
