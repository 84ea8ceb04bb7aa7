using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Seeding;

/// <summary>A batch of whole runs, in run order, ready to be checked and written.</summary>
public sealed record SeedBatch(Table Table, IReadOnlyList<SimulatedRun> Runs);

/// <summary>
/// The physics-based run-to-failure seed generator. Runs are simulated in parallel, each from its own
/// seed derived from the master seed and the run index, and taken in run order, so the output does
/// not depend on the degree of parallelism or the batch size.
/// </summary>
public sealed class SeedGenerator
{
    public const string Version = "1.0.0";

    private readonly MachinePhysics _physics;
    private readonly RunSimulator _simulator;

    public SeedGenerator(MachineProfile profile)
    {
        Profile = profile;
        _physics = MachinePhysics.From(profile);
        _simulator = new RunSimulator(_physics);
    }

    public MachineProfile Profile { get; }
    public MachinePhysics Physics => _physics;

    /// <summary>The whole dataset in memory: for tests and small seeds. Large seeds go through <see cref="SeedDatasetWriter"/>.</summary>
    public Table Generate(SeedOptions options, CancellationToken ct = default)
    {
        var parts = GenerateBatches(options, ct).Select(b => b.Table).ToList();
        return Table.Concat(parts);
    }

    /// <summary>
    /// Streams the dataset as batches of whole runs of about <see cref="SeedOptions.BatchRows"/> rows each,
    /// so memory stays bounded by the batch size whatever the total.
    /// </summary>
    public IEnumerable<SeedBatch> GenerateBatches(SeedOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The cap only changes labels, so the same simulator serves any cap.
        var labels = PhysicsFor(options);
        long rows = 0;
        long next = 0;
        double meanLength = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            int count = BatchRunCount(options, rows, next, meanLength);
            if (count == 0) yield break;
            var simulated = SimulateRange(next, count, options, ct);
            var taken = new List<SimulatedRun>(count);
            foreach (var run in simulated)
            {
                if (options.Rows is { } target && rows >= target) break;
                taken.Add(run);
                rows += run.Length;
            }
            next += taken.Count;
            meanLength = (double)rows / next;
            yield return new SeedBatch(SeedTableBuilder.Build(labels, taken), taken);
            if (options.Rows is { } wanted && rows >= wanted) yield break;
        }
    }

    /// <summary>The compiled profile with the options' RUL cap applied.</summary>
    public MachinePhysics PhysicsFor(SeedOptions options) =>
        options.RulCapOverride is null ? _physics : MachinePhysics.From(Profile, options.RulCapOverride);

    private static int BatchRunCount(SeedOptions options, long rows, long simulated, double meanLength)
    {
        if (options.Runs is { } runs) return (int)Math.Min(runs - simulated, meanLength > 0 ? Math.Max(1, options.BatchRows / meanLength) : Math.Max(options.Parallelism * 4, 8));
        long remaining = options.Rows!.Value - rows;
        if (remaining <= 0) return 0;
        // Before any run has been seen, start small; then aim for one batch of rows, a little more
        // than the remaining rows need so the last batch rarely falls short.
        if (meanLength <= 0) return Math.Max(options.Parallelism * 4, 8);
        double wanted = Math.Min(remaining, options.BatchRows) / meanLength;
        return (int)Math.Max(1, Math.Ceiling(wanted * 1.1) + 1);
    }

    private SimulatedRun[] SimulateRange(long first, int count, SeedOptions options, CancellationToken ct)
    {
        var runs = new SimulatedRun[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            i => runs[i] = _simulator.Simulate(first + i, options.Seed));
        return runs;
    }
}
