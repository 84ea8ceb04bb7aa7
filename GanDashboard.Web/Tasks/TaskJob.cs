using System.Diagnostics;
using System.Text.Json;
using GanDashboard.Web.Cluster;
using GanDashboard.Web.Storage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// The one Quartz job: loads the task row, waits for a slot, runs the handler for the task's kind and
/// records how it ended. Handlers do the work; this class only keeps the task's life straight.
/// A task runs only once it is claimed: one UPDATE moves its row from PENDING to STARTED with this node's name, so two
/// firings of one task can never both run it. In a cluster, Quartz fires a task again on another node when the node
/// running it died (its job requests recovery): the row is still STARTED, and the firing says it is recovering, so it
/// is claimed again; a training continues from its last checkpoint, any other step starts over.
/// </summary>
public sealed class TaskJob(
    IDbContextFactory<GanDashboardDb> dbFactory, IEnumerable<ITaskHandler> handlers, TaskService tasks,
    TaskNotifier notifier, TaskProgressSink progress, WorkSlots slots, NodeIdentity node, IHostApplicationLifetime lifetime,
    ILogger<TaskJob> logger) : IJob
{
    public const string TaskIdKey = "task_id";

    public static bool NeedsTrainingSlot(string kind) => kind is "train" or "pipeline";

    public static bool CanPause(string kind) => kind is "train";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        string taskId = context.MergedJobDataMap.GetString(TaskIdKey) ?? throw new InvalidOperationException("The job has no task id.");
        bool recovering = context.Recovering;
        TaskRecord? task;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.TaskId == taskId, ct);
        if (task is null || !Claimable(task.Status, recovering)) return;   // cancelled or finished meanwhile

        var handler = handlers.FirstOrDefault(h => h.Kind == task.Kind);
        if (handler is null)
        {
            await tasks.FinishAsync(taskId, TaskStatuses.Failure, "Unknown task kind.", null, $"No handler for task kind '{task.Kind}'.", ct: CancellationToken.None);
            return;
        }

        IDisposable slot;
        try { slot = await slots.AcquireAsync(NeedsTrainingSlot(task.Kind), ct); }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopping before it started: the row stays PENDING (TaskRecovery queues it again, or Quartz hands the firing back in a cluster).
            if (node.Clustered) throw;
            return;
        }
        catch (OperationCanceledException)
        {
            await tasks.FinishAsync(taskId, TaskStatuses.Cancelled, "Cancelled while waiting in the queue.", null, ct: CancellationToken.None);
            return;
        }
        using (slot)
        {
            var claimed = await ClaimAsync(task, recovering, ct);
            if (claimed is null) return;   // cancelled while it waited for the slot, or another firing has it
            task = claimed;
            progress.ClearPause(taskId);
            notifier.Publish(TaskService.EventFor(task, TaskEvent.Types.Started, task.Message));
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
                // Shutting down: leave the row STARTED. One node: TaskRecovery resumes it from its checkpoint or marks it
                // INTERRUPTED at the next start. A cluster: the rethrown cancellation makes Quartz hand the firing back at
                // once, and another node recovers it (from the checkpoint the training just saved).
                logger.LogWarning("{Kind} task {TaskId} stopped by shutdown", task.Kind, taskId);
                if (node.Clustered) throw;
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

    private static bool Claimable(string status, bool recovering) =>
        status == TaskStatuses.Pending || (recovering && status == TaskStatuses.Started);

    /// <summary>Moves the row to STARTED on this node in one statement; null when it is no longer this firing's to run.</summary>
    private async Task<TaskRecord?> ClaimAsync(TaskRecord task, bool recovering, CancellationToken ct)
    {
        string message = recovering && task.Status == TaskStatuses.Started
            ? $"Recovered on {node.Name} after {task.Node ?? "its node"} stopped"
            : "Started";
        var now = DateTime.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int claimed = await db.Tasks
            .Where(t => t.TaskId == task.TaskId && (t.Status == TaskStatuses.Pending || (recovering && t.Status == TaskStatuses.Started)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TaskStatuses.Started)
                .SetProperty(t => t.Node, node.Name)
                .SetProperty(t => t.Message, message)
                .SetProperty(t => t.StartedAt, t => t.StartedAt ?? now), ct);
        if (claimed == 0) return null;
        if (message != "Started") logger.LogWarning("{Kind} task {TaskId}: {Message}", task.Kind, task.TaskId, message);
        return await db.Tasks.AsNoTracking().SingleAsync(t => t.TaskId == task.TaskId, ct);
    }
}

/// <summary>
/// Limits how many trainings run at once: <see cref="WorkOptions.MaxConcurrentTrainings"/> on this node (the queue
/// waits for a slot), and in a cluster at most <see cref="WorkOptions.MaxClusterTrainings"/> over all nodes. A cluster
/// slot is a PostgreSQL session advisory lock (one key per slot) held on a connection of its own while the training
/// runs: the database enforces it, and a node that dies drops its connection and so its slots.
/// </summary>
public sealed class WorkSlots(Microsoft.Extensions.Options.IOptions<WorkOptions> options, DatabaseSettings? database = null) : IDisposable
{
    /// <summary>First advisory lock key of the cluster training slots (slot n is this + n).</summary>
    internal const long ClusterSlotKey = 0x47616E536C6F7400;

    private readonly SemaphoreSlim _training = new(Math.Max(1, options.Value.MaxConcurrentTrainings));

    public async Task<IDisposable> AcquireAsync(bool training, CancellationToken ct)
    {
        if (!training) return new Release(null, null);
        await _training.WaitAsync(ct);
        try
        {
            int clusterLimit = options.Value.MaxClusterTrainings;
            var held = clusterLimit > 0 && database is { IsPostgres: true } ? await AcquireClusterSlotAsync(clusterLimit, ct) : null;
            return new Release(_training, held);
        }
        catch
        {
            _training.Release();
            throw;
        }
    }

    private async Task<Npgsql.NpgsqlConnection> AcquireClusterSlotAsync(int limit, CancellationToken ct)
    {
        // Unpooled: the lock belongs to the session, which must end when the slot is released.
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database!.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var tryLock = new Npgsql.NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            var key = tryLock.Parameters.Add("key", NpgsqlTypes.NpgsqlDbType.Bigint);
            while (true)
            {
                for (int slot = 0; slot < limit; slot++)
                {
                    key.Value = ClusterSlotKey + slot;
                    if (await tryLock.ExecuteScalarAsync(ct) is true) return connection;
                }
                // Every slot of the cluster is busy: look again in a second (one cheap statement, only while trainings wait).
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

        // Closing the connection ends its session, which releases the advisory lock.
        public void Dispose()
        {
            Interlocked.Exchange(ref _clusterSlot, null)?.Dispose();
            Interlocked.Exchange(ref _semaphore, null)?.Release();
        }
    }
}
