using GanDashboard.Core.Generation;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// A model that generates whole runs: the physics-seeded run-aware TVAE (<see cref="RunAwareSynthesizer"/>) or the one
/// for a user's own table of runs (<see cref="RunTable.RunTableSynthesizer"/>). Splits are planned from its skeletons
/// and written by <see cref="RunAwareGenerator"/> the same way for both.
/// </summary>
public interface IRunSynthesizer
{
    string MachineId { get; }
    /// <summary>The machine and the first 12 hex digits of the model file's hash.</summary>
    string ModelId { get; }
    string? FileSha256 { get; }
    /// <summary>SHA-256 of the table the model was fitted on.</summary>
    string DataSha256 { get; }
    RunSkeletonModel Skeletons { get; }
    Table GenerateRuns(IReadOnlyList<PlannedRun> runs, ulong seed, CancellationToken cancellationToken = default);
}
