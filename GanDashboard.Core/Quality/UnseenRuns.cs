using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality;

/// <summary>
/// Runs the generator never saw, for judging usefulness and memorisation of a physics-seeded machine: fresh runs
/// simulated from the profile with a seed independent of the seed data's (derived from the machine id for the purpose
/// "unseen-runs", see <see cref="MachineSeeds"/>).
/// </summary>
public static class UnseenRuns
{
    /// <summary>Unseen runs simulated by default.</summary>
    public const int Default = 50;

    /// <summary>The default seed of a machine's unseen runs.</summary>
    public static ulong SeedFor(string machineId) => MachineSeeds.For(string.IsNullOrEmpty(machineId) ? "machine" : machineId, MachineSeeds.Unseen);

    public static Table Simulate(MachineProfile profile, int runs, ulong seed, CancellationToken ct = default)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "Simulate at least one unseen run (the report judges on 30 or more).");
        return new SeedGenerator(profile).Generate(SeedOptions.ForRuns(runs, seed), ct);
    }
}
