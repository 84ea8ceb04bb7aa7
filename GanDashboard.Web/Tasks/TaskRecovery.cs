using GanDashboard.Web.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// Start-up crash safety: the job store is in memory, so after a restart every task that was waiting
/// is queued again, a training that was running continues from its last checkpoint, and anything
/// else that was running is marked INTERRUPTED with the reason. Nothing stays "running" forever.
/// </summary>
public sealed class TaskRecovery(IServiceProvider services, ILogger<TaskRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<GanDashboardDb>>();
        var tasks = services.GetRequiredService<TaskService>();
        var paths = services.GetRequiredService<DataPaths>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Tasks.Where(t => t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started)
            .OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
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
