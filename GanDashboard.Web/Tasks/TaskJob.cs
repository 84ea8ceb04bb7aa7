using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// The one Quartz job: loads the task row, waits for a slot, runs the handler for the task's kind and
/// records how it ended. Handlers do the work; this class only keeps the task's life straight.
/// </summary>
public sealed class TaskJob(
    IDbContextFactory<GanDashboardDb> dbFactory, IEnumerable<ITaskHandler> handlers, TaskService tasks,
    TaskNotifier notifier, TaskProgressSink progress, WorkSlots slots, IHostApplicationLifetime lifetime, Cluster.NodeOptions node,
    Cluster.RunningJobs running, ILogger<TaskJob> logger) : IJob
{
    public const string TaskIdKey = "task_id";

    public static bool NeedsTrainingSlot(string kind) => kind is "train" or "pipeline";

    public static bool CanPause(string kind) => kind is "train";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken quartzToken)
    {
        using var tracked = running.Track();
        // Stopping the app stops the task at once (a training checkpoints), also when Quartz waits for its jobs (clustered).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(quartzToken, lifetime.ApplicationStopping);
        var ct = stop.Token;
        string taskId = context.MergedJobDataMap.GetString(TaskIdKey) ?? throw new InvalidOperationException("The job has no task id.");
        if (node.Clustered && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Fired on a node that is stopping (a trigger it acquired before its hand-back put it in standby): the task
            // goes to the nodes that stay, untouched.
            if (await tasks.GetAsync(taskId, CancellationToken.None) is { } left
                && (left.Status == TaskStatuses.Pending || (context.Recovering && left.Status == TaskStatuses.Started)))
                await tasks.HandBackAsync(left);
            return;
        }
        TaskRecord? task;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.TaskId == taskId, ct);
        // Clustered, a job fired again because its node died finds its task STARTED: it continues from the checkpoint or starts over.
        bool recovered = context.Recovering && task?.Status == TaskStatuses.Started;
        if (task is null || (task.Status != TaskStatuses.Pending && !recovered)) return;   // cancelled or finished meanwhile
        if (recovered) logger.LogWarning("Recovering {Kind} task {TaskId} whose node {Node} stopped answering", task.Kind, taskId, task.Node);

        var handler = handlers.FirstOrDefault(h => h.Kind == task.Kind);
        if (handler is null)
        {
            await tasks.FinishAsync(taskId, TaskStatuses.Failure, "Unknown task kind.", null, $"No handler for task kind '{task.Kind}'.", ct: CancellationToken.None);
            return;
        }

        IDisposable slot;
        try { slot = await slots.AcquireAsync(NeedsTrainingSlot(task.Kind), ct); }
        catch (OperationCanceledException) when (node.Clustered && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await tasks.HandBackAsync(task);   // still waiting for a slot: another node takes it
            return;
        }
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
                // Shutting down alone: leave the row STARTED; TaskRecovery resumes it from its checkpoint or marks it INTERRUPTED at the next start.
                // In a cluster: hand it back now, so another node continues it without waiting for this node's check-in to time out.
                logger.LogWarning("{Kind} task {TaskId} stopped by shutdown", task.Kind, taskId);
                if (node.Clustered) await tasks.HandBackAsync(task);
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
            row.Node = node.Name;
            await db.SaveChangesAsync(ct);
            task.Status = row.Status;
            task.StartedAt = row.StartedAt;
            task.Node = row.Node;
        }
        notifier.Publish(TaskService.EventFor(task, TaskEvent.Types.Started, "Started"));
    }
}

/// <summary>
/// Limits how many trainings run at once: on this node (a semaphore), and, when <see cref="WorkOptions.MaxConcurrentTrainingsInCluster"/>
/// is set on PostgreSQL, in the whole cluster. A cluster slot is a PostgreSQL session advisory lock held on a connection of
/// its own for the length of the training: the server releases it when the training ends or when its node dies.
/// </summary>
public sealed class WorkSlots(Microsoft.Extensions.Options.IOptions<WorkOptions> options, DatabaseConnection database) : IDisposable
{
    // The advisory lock key space of the cluster's training slots (first key), the slot number being the second.
    private const int ClusterSlotLocks = 0x6764;   // "gd"
    private readonly SemaphoreSlim _training = new(Math.Max(1, options.Value.MaxConcurrentTrainings));

    public async Task<IDisposable> AcquireAsync(bool training, CancellationToken ct)
    {
        if (!training) return new Release(null, null);
        await _training.WaitAsync(ct);
        try
        {
            var clusterSlot = await AcquireClusterSlotAsync(ct);
            return new Release(_training, clusterSlot);
        }
        catch
        {
            _training.Release();
            throw;
        }
    }

    private async Task<Npgsql.NpgsqlConnection?> AcquireClusterSlotAsync(CancellationToken ct)
    {
        if (!database.IsPostgres || options.Value.MaxConcurrentTrainingsInCluster is not > 0) return null;
        int slots = options.Value.MaxConcurrentTrainingsInCluster.Value;
        // Unpooled: a pooled connection's session (and so its lock) would outlive Dispose until the pool reused it.
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            while (true)
            {
                for (int slot = 0; slot < slots; slot++)
                {
                    await using var command = new Npgsql.NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ClusterSlotLocks });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = slot });
                    if (await command.ExecuteScalarAsync(ct) is true) return connection;
                }
                // Every slot is taken by a running training somewhere; trainings last minutes, so a look every second is plenty.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _training.Dispose();

    private sealed class Release(SemaphoreSlim? semaphore, Npgsql.NpgsqlConnection? clusterSlot) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;
        private Npgsql.NpgsqlConnection? _clusterSlot = clusterSlot;

        public void Dispose()
        {
            // Closing the slot's connection ends its session, which releases the advisory lock.
            Interlocked.Exchange(ref _clusterSlot, null)?.Dispose();
            Interlocked.Exchange(ref _semaphore, null)?.Release();
        }
    }
}
