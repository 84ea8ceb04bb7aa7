using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// Start-up crash safety for the tasks that have no Quartz job any more. Alone on SQLite the job store is in memory, so
/// after a restart that is every unfinished task: each one that was waiting is queued again, a training that was running
/// continues from its last checkpoint, and anything else that was running is marked INTERRUPTED with the reason. In a
/// cluster the job store is shared: a task whose job still exists is waiting or running on a live node, or will be
/// recovered by Quartz's own cluster recovery if its node died, so it is left alone. Nothing stays "running" forever.
/// </summary>
public sealed class TaskRecovery(IServiceProvider services, ILogger<TaskRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<GanDashboardDb>>();
        var tasks = services.GetRequiredService<TaskService>();
        var paths = services.GetRequiredService<DataPaths>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scheduler = await services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(cancellationToken);
        var candidates = await db.Tasks.Where(t => t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started)
            .OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
        var unfinished = new List<TaskRecord>();
        foreach (var task in candidates)
        {
            if (await scheduler.Exists(new Quartz.JobKey(task.TaskId, TaskService.JobGroup), cancellationToken)) continue;
            // A job ends after its row is finished: read the row again, or a task another node just finished would look orphaned.
            await db.Entry(task).ReloadAsync(cancellationToken);
            if (TaskStatuses.IsActive(task.Status) && task.Status != TaskStatuses.Paused) unfinished.Add(task);
        }
        foreach (var task in unfinished)
        {
            bool resumable = task.Status == TaskStatuses.Pending ||
                (TaskJob.CanPause(task.Kind) && task.CheckpointPath is not null && File.Exists(paths.Full(task.CheckpointPath)));
            if (resumable)
            {
                task.Status = TaskStatuses.Pending;
                task.Message = task.CheckpointPath is null ? "Queued again after a restart" : "Resuming from checkpoint after a restart";
            }
            else
            {
                task.Status = TaskStatuses.Interrupted;
                task.Error = "The server stopped while this task was running and it had no checkpoint to resume from. Retry it.";
                task.CompletedAt = DateTime.UtcNow;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var task in unfinished.Where(t => t.Status == TaskStatuses.Pending))
            await tasks.ScheduleAsync(task, cancellationToken);
        if (unfinished.Count > 0)
            logger.LogWarning("Recovered {Count} unfinished tasks after a restart ({Interrupted} interrupted)",
                unfinished.Count, unfinished.Count(t => t.Status == TaskStatuses.Interrupted));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
