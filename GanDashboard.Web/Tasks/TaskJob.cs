using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// The one Quartz job: loads the task row, waits for a slot, runs the handler for the task's kind and
/// records how it ended. Handlers do the work; this class only keeps the task's life straight.
/// </summary>
public sealed class TaskJob(
    IDbContextFactory<GanDashboardDb> dbFactory, IEnumerable<ITaskHandler> handlers, TaskService tasks,
    TaskNotifier notifier, TaskProgressSink progress, WorkSlots slots, IHostApplicationLifetime lifetime, ILogger<TaskJob> logger) : IJob
{
    public const string TaskIdKey = "task_id";

    public static bool NeedsTrainingSlot(string kind) => kind is "train" or "pipeline";

    public static bool CanPause(string kind) => kind is "train";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        string taskId = context.MergedJobDataMap.GetString(TaskIdKey) ?? throw new InvalidOperationException("The job has no task id.");
        TaskRecord? task;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.TaskId == taskId, ct);
        if (task is null || task.Status != TaskStatuses.Pending) return;   // cancelled or finished meanwhile

        var handler = handlers.FirstOrDefault(h => h.Kind == task.Kind);
        if (handler is null)
        {
            await tasks.FinishAsync(taskId, TaskStatuses.Failure, "Unknown task kind.", null, $"No handler for task kind '{task.Kind}'.", ct: CancellationToken.None);
            return;
        }

        IDisposable slot;
        try { slot = await slots.AcquireAsync(NeedsTrainingSlot(task.Kind), ct); }
        catch (OperationCanceledException)
        {
            await tasks.FinishAsync(taskId, TaskStatuses.Cancelled, "Cancelled while waiting in the queue.", null, ct: CancellationToken.None);
            return;
        }
        using (slot)
        {
            await MarkStartedAsync(task, ct);
            var clock = Stopwatch.StartNew();
            try
            {
                object? result = await handler.RunAsync(new TaskContext(task, progress, ct));
                string? json = result is null ? null : JsonSerializer.Serialize(result, result.GetType(), ApiJson.Options);
                await tasks.FinishAsync(taskId, TaskStatuses.Success, $"Done in {clock.Elapsed.TotalSeconds:F1} s", json, ct: CancellationToken.None);
                logger.LogInformation("{Kind} task {TaskId} for {MachineId} succeeded in {Seconds:F1} s", task.Kind, taskId, task.MachineId, clock.Elapsed.TotalSeconds);
            }
            catch (TaskPausedException paused)
            {
                await tasks.FinishAsync(taskId, TaskStatuses.Paused, $"Paused at checkpoint {paused.CheckpointPath}", null, ct: CancellationToken.None);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Shutting down: leave the row STARTED; TaskRecovery resumes it from its checkpoint or marks it INTERRUPTED at the next start.
                logger.LogWarning("{Kind} task {TaskId} stopped by shutdown", task.Kind, taskId);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await tasks.FinishAsync(taskId, TaskStatuses.Cancelled, "Cancelled by request.", null, ct: CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Kind} task {TaskId} for {MachineId} failed", task.Kind, taskId, task.MachineId);
                string error = e is WorkflowException or InvalidDataException or ArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                await tasks.FinishAsync(taskId, TaskStatuses.Failure, "Failed.", null, error, ct: CancellationToken.None);
            }
        }
    }

    private async Task MarkStartedAsync(TaskRecord task, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.Tasks.SingleAsync(t => t.TaskId == task.TaskId, ct);
            row.Status = TaskStatuses.Started;
            row.StartedAt ??= DateTime.UtcNow;
            row.Message = "Started";
            await db.SaveChangesAsync(ct);
            task.Status = row.Status;
            task.StartedAt = row.StartedAt;
        }
        notifier.Publish(TaskService.EventFor(task, TaskEvent.Types.Started, "Started"));
    }
}

/// <summary>Limits how many trainings run at once on this node (the queue waits for a slot).</summary>
public sealed class WorkSlots(Microsoft.Extensions.Options.IOptions<WorkOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _training = new(Math.Max(1, options.Value.MaxConcurrentTrainings));

    public async Task<IDisposable> AcquireAsync(bool training, CancellationToken ct)
    {
        if (!training) return new Release(null);
        await _training.WaitAsync(ct);
        return new Release(_training);
    }

    public void Dispose() => _training.Dispose();

    private sealed class Release(SemaphoreSlim? semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;
        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}
