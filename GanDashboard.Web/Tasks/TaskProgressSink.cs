using System.Collections.Concurrent;
using GanDashboard.Storage;
using GanDashboard.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// Turns handler progress into events (immediately, through the notifier) and database updates
/// (throttled, so a fast training loop does not hammer SQLite). Also holds pause requests.
/// </summary>
public sealed class TaskProgressSink(
    TaskNotifier notifier, IDbContextFactory<GanDashboardDb> dbFactory, IOptions<WorkOptions> options, GanDashboardMetrics metrics, ILogger<TaskProgressSink> logger)
{
    private readonly ConcurrentDictionary<string, DateTime> _lastPersisted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _pauseRequests = new(StringComparer.Ordinal);

    public void RequestPause(string taskId) => _pauseRequests[taskId] = true;

    public bool PauseRequested(string taskId) => _pauseRequests.ContainsKey(taskId);

    public void ClearPause(string taskId) => _pauseRequests.TryRemove(taskId, out _);

    public void Report(TaskRecord task, double percent, string message)
    {
        notifier.Publish(new TaskEvent
        {
            Type = TaskEvent.Types.Progress, TaskId = task.TaskId, MachineId = task.MachineId, Kind = task.Kind,
            Status = TaskStatuses.Started, ProgressPercent = percent, Message = message, BatchId = task.BatchId,
        });
        PersistThrottled(task.TaskId, percent, message);
    }

    public void ReportTraining(TaskRecord task, TrainingProgress p)
    {
        metrics.EpochFinished(task.Kind);
        notifier.Publish(new TaskEvent
        {
            Type = TaskEvent.Types.TrainingProgress, TaskId = task.TaskId, MachineId = task.MachineId, Kind = task.Kind,
            Status = TaskStatuses.Started, ProgressPercent = p.ProgressPercent, BatchId = task.BatchId,
            Epoch = p.Epoch, TotalEpochs = p.TotalEpochs, Loss = p.Loss, ValLoss = p.ValLoss,
            TimeElapsedSeconds = p.ElapsedSeconds, TimeRemainingSeconds = p.RemainingSeconds,
            Message = $"Epoch {p.Epoch}/{p.TotalEpochs}",
        });
        PersistThrottled(task.TaskId, p.ProgressPercent, $"Epoch {p.Epoch}/{p.TotalEpochs}");
    }

    public void SaveCheckpoint(TaskRecord task, string relativePath)
    {
        task.CheckpointPath = relativePath;
        _ = UpdateAsync(task.TaskId, t => t.CheckpointPath = relativePath);
    }

    private void PersistThrottled(string taskId, double percent, string message)
    {
        var now = DateTime.UtcNow;
        var last = _lastPersisted.GetValueOrDefault(taskId);
        if (now - last < options.Value.ProgressPersistInterval) return;
        _lastPersisted[taskId] = now;
        _ = UpdateAsync(taskId, t => { t.Progress = percent; t.Message = message; });
    }

    public void Forget(string taskId)
    {
        _lastPersisted.TryRemove(taskId, out _);
        ClearPause(taskId);
    }

    private async Task UpdateAsync(string taskId, Action<TaskRecord> change)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var task = await db.Tasks.SingleOrDefaultAsync(t => t.TaskId == taskId);
            if (task is null || TaskStatuses.IsFinished(task.Status)) return;
            change(task);
            await db.SaveChangesAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not persist progress of task {TaskId}", taskId);
        }
    }
}
