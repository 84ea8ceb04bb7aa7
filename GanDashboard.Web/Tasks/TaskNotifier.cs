using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// The one in-process publisher of task events. Blazor components and WebSocket endpoints subscribe;
/// each subscription gets its own queue and pump, so a slow subscriber never delays the job or the
/// others. The latest event of each task is kept so a late subscriber first sees where the task is,
/// and the training curve so far is kept so a page opened mid-training can draw it.
/// </summary>
public sealed class TaskNotifier(ILogger<TaskNotifier> logger)
{
    private readonly ILogger<TaskNotifier> _logger = logger;
    private const int MaxCurvePoints = 5000;
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, TaskEvent> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<TaskEvent>> _curves = new(StringComparer.Ordinal);

    /// <summary>Subscribes to one task's events (or every task's when <paramref name="taskId"/> is null).</summary>
    public IDisposable Subscribe(string? taskId, Func<TaskEvent, Task> handler, bool replayLatest = true)
    {
        var subscription = new Subscription(this, taskId, handler);
        _subscriptions[subscription.Id] = subscription;
        if (replayLatest && taskId is not null && _latest.TryGetValue(taskId, out var latest))
            subscription.Post(latest);
        return subscription;
    }

    private Action<TaskEvent>? _relay;

    /// <summary>In a cluster (<see cref="Cluster.ClusterEvents"/>): every event published on this node is also handed to the relay for the other nodes.</summary>
    internal void RelayTo(Action<TaskEvent> relay) => _relay = relay;

    public void Publish(TaskEvent taskEvent)
    {
        Deliver(taskEvent);
        _relay?.Invoke(taskEvent);
    }

    /// <summary>An event of a task that another node of the cluster runs: delivered here, never relayed back.</summary>
    internal void PublishFromCluster(TaskEvent taskEvent) => Deliver(taskEvent);

    private void Deliver(TaskEvent taskEvent)
    {
        // Progress reported through Progress<T> is posted to the thread pool and can arrive after the task ended:
        // it must not replace the final event, or a late subscriber would be replayed "in progress" and wait forever.
        if (IsProgress(taskEvent.Type) && _latest.TryGetValue(taskEvent.TaskId, out var previous) && IsEnd(previous.Type)) return;
        _latest[taskEvent.TaskId] = taskEvent;
        if (taskEvent.Type == TaskEvent.Types.TrainingProgress)
        {
            var curve = _curves.GetOrAdd(taskEvent.TaskId, _ => []);
            lock (curve) { if (curve.Count < MaxCurvePoints) curve.Add(taskEvent); }
        }
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.TaskId is null || subscription.TaskId == taskEvent.TaskId) subscription.Post(taskEvent);
        }
    }

    public TaskEvent? Latest(string taskId) => _latest.GetValueOrDefault(taskId);

    private static bool IsProgress(string type) => type is TaskEvent.Types.Progress or TaskEvent.Types.TrainingProgress;

    private static bool IsEnd(string type) =>
        type is TaskEvent.Types.Completed or TaskEvent.Types.Failed or TaskEvent.Types.Cancelled or TaskEvent.Types.Paused;

    /// <summary>The training_progress events of a task so far (empty when none).</summary>
    public IReadOnlyList<TaskEvent> TrainingCurve(string taskId)
    {
        if (!_curves.TryGetValue(taskId, out var curve)) return [];
        lock (curve) return curve.ToArray();
    }

    /// <summary>Drops what is kept of a finished task once it is persisted (the database has it from then on).</summary>
    public void Forget(string taskId)
    {
        _latest.TryRemove(taskId, out _);
        _curves.TryRemove(taskId, out _);
    }

    private sealed class Subscription : IDisposable
    {
        private readonly TaskNotifier _owner;
        private readonly Func<TaskEvent, Task> _handler;
        private readonly Channel<TaskEvent> _queue = Channel.CreateBounded<TaskEvent>(
            new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Subscription(TaskNotifier owner, string? taskId, Func<TaskEvent, Task> handler)
        {
            _owner = owner;
            TaskId = taskId;
            _handler = handler;
            _ = Task.Run(PumpAsync);
        }

        public Guid Id { get; } = Guid.NewGuid();
        public string? TaskId { get; }

        public void Post(TaskEvent taskEvent) => _queue.Writer.TryWrite(taskEvent);

        private async Task PumpAsync()
        {
            await foreach (var taskEvent in _queue.Reader.ReadAllAsync())
            {
                try { await _handler(taskEvent); }
                catch (Exception e) { _owner._logger.LogWarning(e, "A task event subscriber failed on {Type} of {TaskId}", taskEvent.Type, taskEvent.TaskId); }
            }
        }

        public void Dispose()
        {
            _owner._subscriptions.TryRemove(Id, out _);
            _queue.Writer.TryComplete();
        }
    }
}
