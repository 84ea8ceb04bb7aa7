using System.Text.Json;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// The task queue as the rest of the app sees it: every long piece of work becomes a row in
/// <c>training_tasks</c> and a Quartz job keyed by the task id. The row is the truth; Quartz only runs it.
/// </summary>
public sealed class TaskService(
    IDbContextFactory<GanDashboardDb> dbFactory, ISchedulerFactory schedulerFactory, TaskNotifier notifier,
    TaskProgressSink progress, Cluster.ClusterEvents cluster, ILogger<TaskService> logger)
{
    public const string JobGroup = "tasks";

    /// <summary>The Quartz execution group of training triggers: clustered, each node takes only as many as it may run.</summary>
    public const string TrainingGroup = "training";

    public async Task<TaskRecord> EnqueueAsync(string kind, string machineId, object request, string? batchId = null, CancellationToken ct = default)
    {
        var task = new TaskRecord
        {
            Id = Guid.NewGuid(),
            TaskId = Guid.NewGuid().ToString(),
            MachineId = machineId,
            Kind = kind,
            Status = TaskStatuses.Pending,
            RequestJson = JsonSerializer.Serialize(request, request.GetType(), ApiJson.Options),
            BatchId = batchId,
            CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Tasks.Add(task);
            await db.SaveChangesAsync(ct);
        }
        await ScheduleAsync(task, ct);
        notifier.Publish(EventFor(task, TaskEvent.Types.Queued, "Queued"));
        logger.LogInformation("Queued {Kind} task {TaskId} for {MachineId}", kind, task.TaskId, machineId);
        return task;
    }

    /// <summary>Hands a stored PENDING task to Quartz (also used after a restart).</summary>
    internal async Task ScheduleAsync(TaskRecord task, CancellationToken ct = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var job = JobBuilder.Create<TaskJob>()
            .WithIdentity(task.TaskId, JobGroup)
            .UsingJobData(TaskJob.TaskIdKey, task.TaskId)
            // Clustered: when the node running the job dies, another node fires it again (TaskJob sees Recovering).
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(task.TaskId, JobGroup).WithExecutionGroup(ExecutionGroup(task)).StartNow().Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Clustered: another node's start-up recovery scheduled this waiting task first; it runs once either way.
            logger.LogInformation("Task {TaskId} was already scheduled", task.TaskId);
        }
    }

    /// <summary>
    /// Clustered, on SIGTERM: the task's job is still running here (it just checkpointed), so a second trigger for the same
    /// job lets whichever node has a free worker continue it now instead of after the check-in timeout.
    /// </summary>
    internal async Task HandBackAsync(TaskRecord task)
    {
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var row = await db.Tasks.SingleAsync(t => t.TaskId == task.TaskId);
            row.Status = TaskStatuses.Pending;
            row.Node = null;
            row.Message = row.CheckpointPath is null ? "Queued again: its node stopped" : "Resuming from checkpoint: its node stopped";
            await db.SaveChangesAsync();
        }
        var scheduler = await schedulerFactory.GetScheduler();
        // This node is stopping: it takes no more work, so the new trigger fires on a node that stays.
        await scheduler.Standby();
        var trigger = TriggerBuilder.Create().WithIdentity($"{task.TaskId}-{Guid.NewGuid():N}", JobGroup)
            .ForJob(task.TaskId, JobGroup).WithExecutionGroup(ExecutionGroup(task)).StartNow().Build();
        await scheduler.ScheduleJob(trigger);
        logger.LogInformation("Handed {Kind} task {TaskId} back to the cluster at shutdown", task.Kind, task.TaskId);
    }

    private static string? ExecutionGroup(TaskRecord task) => TaskJob.NeedsTrainingSlot(task.Kind) ? TrainingGroup : null;

    public async Task<TaskRecord?> GetAsync(string taskId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.TaskId == taskId, ct);
    }

    public async Task<IReadOnlyList<TaskRecord>> ListAsync(string? machineId = null, string? batchId = null, int take = 100, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Tasks.AsNoTracking();
        if (machineId is not null) query = query.Where(t => t.MachineId == machineId);
        if (batchId is not null) query = query.Where(t => t.BatchId == batchId);
        return await query.OrderByDescending(t => t.CreatedAt).Take(take).ToListAsync(ct);
    }

    /// <summary>The newest tasks that belong to a batch, whoever started it (the Batch page, the API).</summary>
    public async Task<IReadOnlyList<TaskRecord>> ListBatchedAsync(int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tasks.AsNoTracking().Where(t => t.BatchId != null).OrderByDescending(t => t.CreatedAt).Take(take).ToListAsync(ct);
    }

    /// <summary>1-based position among the waiting tasks of the same class (trainings queue separately), or null when not waiting.</summary>
    public async Task<int?> QueuePositionAsync(TaskRecord task, CancellationToken ct = default)
    {
        if (task.Status != TaskStatuses.Pending) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        bool training = TaskJob.NeedsTrainingSlot(task.Kind);
        var waiting = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == TaskStatuses.Pending && t.CreatedAt <= task.CreatedAt)
            .Select(t => new { t.Kind, t.TaskId })
            .ToListAsync(ct);
        return waiting.Count(t => TaskJob.NeedsTrainingSlot(t.Kind) == training);
    }

    public async Task<bool> HasActiveTaskAsync(string machineId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tasks.AnyAsync(t => t.MachineId == machineId &&
            (t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started), ct);
    }

    /// <summary>Cancels a waiting or running task. A waiting one ends at once; a running one stops at its next batch.</summary>
    public async Task<TaskRecord> CancelAsync(string taskId, CancellationToken ct = default)
    {
        var task = await GetAsync(taskId, ct) ?? throw new KeyNotFoundException($"No task {taskId}.");
        if (TaskStatuses.IsFinished(task.Status))
            throw new WorkflowException($"Task {taskId} has already ended ({task.Status}); there is nothing to cancel.");
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var key = new JobKey(taskId, JobGroup);
        if (task.Status is TaskStatuses.Pending or TaskStatuses.Paused)
        {
            await scheduler.DeleteJob(key, ct);
            await FinishAsync(taskId, TaskStatuses.Cancelled, "Cancelled before it ran.", null, null, ct);
        }
        // A running job may be waiting for a slot or working: interrupting cancels its token either way.
        // Quartz interrupts only this process's jobs; in a cluster the node that runs it is asked too.
        await scheduler.Interrupt(key, ct);
        cluster.RequestInterrupt(taskId);
        return (await GetAsync(taskId, ct))!;
    }

    /// <summary>Asks a running training to checkpoint and stop; it ends PAUSED and can be resumed.</summary>
    public async Task<TaskRecord> PauseAsync(string taskId, CancellationToken ct = default)
    {
        var task = await GetAsync(taskId, ct) ?? throw new KeyNotFoundException($"No task {taskId}.");
        if (!TaskJob.CanPause(task.Kind))
            throw new WorkflowException($"Only training tasks can be paused; task {taskId} is a {task.Kind} task.");
        if (task.Status != TaskStatuses.Started)
            throw new WorkflowException($"Task {taskId} is {task.Status}; only a running training can be paused.");
        progress.RequestPause(taskId);
        cluster.RequestPause(taskId);
        return task;
    }

    /// <summary>Continues a paused training from its checkpoint, under the same task id.</summary>
    public async Task<TaskRecord> ResumeAsync(string taskId, CancellationToken ct = default)
    {
        TaskRecord task;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            task = await db.Tasks.SingleOrDefaultAsync(t => t.TaskId == taskId, ct) ?? throw new KeyNotFoundException($"No task {taskId}.");
            if (task.Status != TaskStatuses.Paused)
                throw new WorkflowException($"Task {taskId} is {task.Status}; only a paused task can be resumed.");
            task.Status = TaskStatuses.Pending;
            task.Message = "Resuming from checkpoint";
            await db.SaveChangesAsync(ct);
        }
        progress.ClearPause(taskId);
        await ScheduleAsync(task, ct);
        notifier.Publish(EventFor(task, TaskEvent.Types.Queued, "Queued to resume"));
        return task;
    }

    /// <summary>Runs a failed, cancelled or interrupted task again as a new task with the same request.</summary>
    public async Task<TaskRecord> RetryAsync(string taskId, CancellationToken ct = default)
    {
        var task = await GetAsync(taskId, ct) ?? throw new KeyNotFoundException($"No task {taskId}.");
        if (task.Status is not (TaskStatuses.Failure or TaskStatuses.Cancelled or TaskStatuses.Interrupted))
            throw new WorkflowException($"Task {taskId} is {task.Status}; only failed, cancelled or interrupted tasks can be retried.");
        var request = JsonSerializer.Deserialize<JsonElement>(task.RequestJson);
        return await EnqueueAsync(task.Kind, task.MachineId, request, task.BatchId, ct);
    }

    /// <summary>Writes a task's final state and tells the subscribers.</summary>
    internal async Task FinishAsync(string taskId, string status, string? message, string? resultJson, string? error = null, CancellationToken ct = default)
    {
        TaskRecord? task;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            task = await db.Tasks.SingleOrDefaultAsync(t => t.TaskId == taskId, ct);
            if (task is null) return;
            task.Status = status;
            task.Message = message;
            task.Error = error;
            task.ResultJson = resultJson ?? task.ResultJson;
            if (status == TaskStatuses.Success) task.Progress = 100;
            if (status != TaskStatuses.Paused) task.CompletedAt = DateTime.UtcNow;
            await db.SaveChangesAsync(ct);
        }
        string type = status switch
        {
            TaskStatuses.Success => TaskEvent.Types.Completed,
            TaskStatuses.Cancelled => TaskEvent.Types.Cancelled,
            TaskStatuses.Paused => TaskEvent.Types.Paused,
            _ => TaskEvent.Types.Failed,
        };
        var finished = EventFor(task, type, message) with
        {
            Error = error,
            Result = resultJson is null ? null : JsonSerializer.Deserialize<JsonElement>(resultJson),
        };
        notifier.Publish(finished);
        progress.Forget(taskId);
    }

    internal static TaskEvent EventFor(TaskRecord task, string type, string? message) => new()
    {
        Type = type, TaskId = task.TaskId, MachineId = task.MachineId, Kind = task.Kind, Status = task.Status,
        ProgressPercent = task.Progress, Message = message, BatchId = task.BatchId,
    };
}
