using GanDashboard.Core.Quality;
using GanDashboard.Core.Randomness;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>
/// Real units kept out of training so the model can be judged on units it never saw: a share of the runs (20 %), at
/// least <see cref="MinimumUnits"/>, picked by a seeded shuffle, and only when enough runs remain to train on (at least
/// as many as are held out); otherwise none, and the report says there are not enough runs to judge.
/// </summary>
public static class UnitHoldout
{
    public const double DefaultShare = 0.2;
    public const int MinimumUnits = 10;

    /// <returns>The training rows, the held-out rows (empty when the table has too few runs) and the held-out run ids.</returns>
    public static (Table Train, Table Holdout, IReadOnlyList<string> HeldOutRuns) Split(Table seed, ulong randomSeed, double share = DefaultShare, int minimum = MinimumUnits)
    {
        var runs = RunIndex.Of(seed) ?? throw new ArgumentException("The table has no run_id column.", nameof(seed));
        int count = Math.Max((int)Math.Ceiling(share * runs.Count), minimum);
        if (runs.Count - count < count) return (seed, seed.Take([]), []);
        var held = Enumerable.Range(0, runs.Count).OrderBy(k => SplitMix64.Mix(randomSeed + (ulong)k)).Take(count).ToHashSet();
        var train = Enumerable.Range(0, runs.Count).Where(k => !held.Contains(k)).SelectMany(k => runs.Rows[k]).ToArray();
        var holdout = held.Order().SelectMany(k => runs.Rows[k]).ToArray();
        return (seed.Take(train), seed.Take(holdout), held.Order().Select(k => runs.RunIds[k]).ToList());
    }

    /// <summary>The runs of <paramref name="seed"/> whose run_id is not among <paramref name="holdout"/>'s.</summary>
    public static Table Without(Table seed, Table holdout)
    {
        var runs = RunIndex.Of(seed) ?? throw new ArgumentException("The table has no run_id column.", nameof(seed));
        var held = (RunIndex.Of(holdout)?.RunIds ?? []).ToHashSet(StringComparer.Ordinal);
        return seed.Take(Enumerable.Range(0, runs.Count).Where(k => !held.Contains(runs.RunIds[k])).SelectMany(k => runs.Rows[k]).Order().ToArray());
    }

    /// <summary>The rows of the given runs (the held-out units a model recorded), in table order.</summary>
    public static Table Runs(Table seed, IReadOnlyCollection<string> runIds)
    {
        var runs = RunIndex.Of(seed) ?? throw new ArgumentException("The table has no run_id column.", nameof(seed));
        var wanted = runIds.ToHashSet(StringComparer.Ordinal);
        return seed.Take(Enumerable.Range(0, runs.Count).Where(k => wanted.Contains(runs.RunIds[k])).SelectMany(k => runs.Rows[k]).Order().ToArray());
    }
}
