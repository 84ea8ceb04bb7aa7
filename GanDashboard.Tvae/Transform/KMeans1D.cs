using System.Runtime.CompilerServices;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// The k-means that initialises scikit-learn's mixtures (<c>KMeans(n_clusters, n_init=1)</c>: greedy k-means++
/// seeding, then Lloyd iterations until the labels stop changing or the centers move less than 1e-4 of the variance),
/// specialised to one dimension: with the values sorted, each assignment is a single sweep.
/// </summary>
internal static class KMeans1D
{
    /// <summary>The cluster label of each distinct value of <paramref name="sample"/>.</summary>
    public static int[] Fit(WeightedSample sample, int clusters, int maxIterations, SeededRandom random)
    {
        var centers = SeedPlusPlus(sample, clusters, random);
        double tolerance = 1e-4 * sample.Variance(sample.Mean(), ddof: 0);
        var labels = new int[sample.Length];
        var previous = new int[sample.Length];
        Array.Fill(previous, -1);
        bool strictlyConverged = false;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(sample.Values, centers, labels);
            double shift = UpdateCenters(sample, labels, centers);
            if (labels.AsSpan().SequenceEqual(previous))
            {
                strictlyConverged = true;
                break;
            }
            if (shift <= tolerance) break;
            (labels, previous) = (previous, labels);
        }
        if (!strictlyConverged) Assign(sample.Values, centers, labels);
        return labels;
    }

    /// <summary>
    /// k-means++ with 2 + ln(k) candidates per center, keeping the candidate that lowers the total squared
    /// distance most (scikit-learn's greedy variant). Counts weight both the sampling and the potential.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
    private static double[] SeedPlusPlus(WeightedSample sample, int clusters, SeededRandom random)
    {
        var x = sample.Values;
        var w = sample.Counts;
        int n = x.Length;
        var centers = new double[clusters];
        var closest = new double[n];
        var cumulative = new double[n];
        var candidateClosest = new double[n];
        var bestClosest = new double[n];

        centers[0] = x[SearchSorted(CumulativeSum(w, cumulative), random.NextDouble() * sample.Total)];
        double potential = 0;
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - centers[0];
            closest[i] = d * d;
            potential += w[i] * closest[i];
        }

        int trials = 2 + (int)Math.Log(clusters);
        for (int c = 1; c < clusters; c++)
        {
            for (int i = 0; i < n; i++) cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + w[i] * closest[i];
            double bestPotential = double.PositiveInfinity;
            double bestCenter = x[0];
            for (int t = 0; t < trials; t++)
            {
                double candidate = x[SearchSorted(cumulative, random.NextDouble() * potential)];
                double candidatePotential = 0;
                for (int i = 0; i < n; i++)
                {
                    double d = x[i] - candidate;
                    candidateClosest[i] = Math.Min(closest[i], d * d);
                    candidatePotential += w[i] * candidateClosest[i];
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCenter = candidate;
                    candidateClosest.CopyTo(bestClosest, 0);
                }
            }
            centers[c] = bestCenter;
            potential = bestPotential;
            bestClosest.CopyTo(closest, 0);
        }
        return centers;
    }

    private static double[] CumulativeSum(double[] values, double[] into)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++) into[i] = sum += values[i];
        return into;
    }

    /// <summary>First index whose cumulative value reaches <paramref name="target"/> (numpy's searchsorted, side left), clipped.</summary>
    private static int SearchSorted(double[] cumulative, double target)
    {
        int lo = 0, hi = cumulative.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < target) lo = mid + 1;
            else hi = mid;
        }
        return Math.Min(lo, cumulative.Length - 1);
    }

    /// <summary>
    /// Nearest center for each sorted value. Centers sharing a value are one center owned by the lowest label
    /// (argmin's tie rule), so duplicate centers stay empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
    private static void Assign(double[] x, double[] centers, int[] labels)
    {
        var order = Enumerable.Range(0, centers.Length)
            .OrderBy(k => centers[k]).ThenBy(k => k).ToArray();
        var distinct = new List<int>(order.Length);
        foreach (int k in order)
        {
            if (distinct.Count == 0 || centers[distinct[^1]] != centers[k]) distinct.Add(k);
        }
        int j = 0;
        for (int i = 0; i < x.Length; i++)
        {
            while (j + 1 < distinct.Count && IsCloserToRight(x[i], centers[distinct[j]], centers[distinct[j + 1]], distinct[j], distinct[j + 1])) j++;
            labels[i] = distinct[j];
        }
    }

    private static bool IsCloserToRight(double x, double left, double right, int leftLabel, int rightLabel)
    {
        double dl = Math.Abs(x - left), dr = Math.Abs(x - right);
        return dr < dl || (dr == dl && rightLabel < leftLabel);
    }

    /// <summary>
    /// Moves every center to the mean of its values and returns the total squared shift. An empty cluster takes
    /// one of the values farthest from their own center, as scikit-learn relocates empty clusters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
    private static double UpdateCenters(WeightedSample sample, int[] labels, double[] centers)
    {
        var x = sample.Values;
        var w = sample.Counts;
        int k = centers.Length;
        var weight = new double[k];
        var sum = new double[k];
        for (int i = 0; i < x.Length; i++)
        {
            weight[labels[i]] += w[i];
            sum[labels[i]] += w[i] * x[i];
        }
        RelocateEmptyClusters(sample, labels, centers, weight, sum);
        double shift = 0;
        for (int c = 0; c < k; c++)
        {
            if (weight[c] <= 0) continue;
            double moved = sum[c] / weight[c];
            shift += (moved - centers[c]) * (moved - centers[c]);
            centers[c] = moved;
        }
        return shift;
    }

    private static void RelocateEmptyClusters(WeightedSample sample, int[] labels, double[] centers, double[] weight, double[] sum)
    {
        var empty = Enumerable.Range(0, centers.Length).Where(c => weight[c] <= 0).ToArray();
        if (empty.Length == 0) return;
        var x = sample.Values;
        // Farthest rows first; a distinct value can give up as many rows as it holds.
        var farthest = Enumerable.Range(0, x.Length)
            .OrderByDescending(i => Math.Abs(x[i] - centers[labels[i]])).ThenBy(i => i)
            .SelectMany(i => Enumerable.Repeat(i, (int)Math.Min(sample.Counts[i], empty.Length)))
            .Take(empty.Length).ToArray();
        for (int e = 0; e < empty.Length && e < farthest.Length; e++)
        {
            int i = farthest[e];
            weight[labels[i]] -= 1;
            sum[labels[i]] -= x[i];
            weight[empty[e]] = 1;
            sum[empty[e]] = x[i];
        }
    }
}
