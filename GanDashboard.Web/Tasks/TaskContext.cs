using GanDashboard.Storage;

namespace GanDashboard.Web.Tasks;

/// <summary>A clear workflow error the user can act on (409 in the API): e.g. training without seed data.</summary>
/// <remarks>Not sealed: <see cref="Access.AccessDeniedException"/> is one, so every page that reports a refused step reports a refused role too.</remarks>
public class WorkflowException(string message) : Exception(message);

/// <summary>Thrown by a training handler after it saved a checkpoint because a pause was asked for.</summary>
public sealed class TaskPausedException(string checkpointPath) : Exception("The task was paused at a checkpoint.")
{
    public string CheckpointPath { get; } = checkpointPath;
}

/// <summary>What a running task handler sees: its record, its cancellation, and where to report progress.</summary>
public sealed class TaskContext(TaskRecord task, TaskProgressSink sink, CancellationToken cancellation)
{
    public TaskRecord Task { get; } = task;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>True once a pause was requested; a training handler checkpoints and throws <see cref="TaskPausedException"/>.</summary>
    public bool PauseRequested => sink.PauseRequested(Task.TaskId);

    /// <summary>The checkpoint to resume from (relative to the data directory), when the task was paused or interrupted.</summary>
    public string? ResumeCheckpoint => Task.CheckpointPath;

    public void Report(double percent, string message) => sink.Report(Task, percent, message);

    public void ReportTraining(TrainingProgress progress) => sink.ReportTraining(Task, progress);

    public void SaveCheckpoint(string relativePath) => sink.SaveCheckpoint(Task, relativePath);
}

/// <summary>One epoch of a training task, in the product plan's WebSocket fields.</summary>
public sealed record TrainingProgress(
    int Epoch, int TotalEpochs, double Loss, double? ValLoss, double ElapsedSeconds, double RemainingSeconds, double ProgressPercent);

/// <summary>A unit of long work of one kind (seed, train, generate, validate, pipeline), run by <see cref="TaskJob"/>.</summary>
public interface ITaskHandler
{
    string Kind { get; }

    /// <summary>Does the work; the returned object is stored as the task's result JSON.</summary>
    Task<object?> RunAsync(TaskContext context);
}
