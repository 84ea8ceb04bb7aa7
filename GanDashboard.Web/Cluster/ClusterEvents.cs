using System.Text.Json;
using System.Threading.Channels;
using GanDashboard.Web.Storage;
using GanDashboard.Web.Tasks;
using Npgsql;
using Quartz;

namespace GanDashboard.Web.Cluster;

/// <summary>
/// Task events and task controls between the nodes of a cluster, through PostgreSQL's own LISTEN/NOTIFY: every event
/// this node publishes goes out on one channel, and every node publishes the others' events to its own circuits and
/// WebSockets, so a page on node A shows the epochs of a training on node B as they happen. Cancel and pause requests
/// travel the same way to the node that runs the task. One connection listens and one sends; nothing polls.
/// </summary>
public sealed class ClusterEvents(
    DatabaseSettings database, NodeIdentity node, TaskNotifier notifier, TaskProgressSink progress, ISchedulerFactory schedulerFactory,
    ILogger<ClusterEvents> logger) : BackgroundService
{
    public const string Channel = "gandashboard_tasks";

    /// <summary>PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; an event that big goes without its result.</summary>
    private const int MaxPayloadBytes = 7800;

    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Asks every node to cancel a task (the node running it interrupts its job).</summary>
    public void SendCancel(string taskId) => Enqueue(new ClusterMessage(Kinds.Cancel, node.Name, taskId, null));

    /// <summary>Asks every node to pause a training (the node running it checkpoints and stops).</summary>
    public void SendPause(string taskId) => Enqueue(new ClusterMessage(Kinds.Pause, node.Name, taskId, null));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Relay what this node publishes; events stamped with another node's name came from the cluster and stay here.
        using var local = notifier.Subscribe(null, e =>
        {
            if (e.Node == node.Name) Enqueue(new ClusterMessage(Kinds.Event, node.Name, e.TaskId, e));
            return Task.CompletedTask;
        }, replayLatest: false);
        await Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
    }

    private void Enqueue(ClusterMessage message)
    {
        string payload = JsonSerializer.Serialize(message, ApiJson.Options);
        if (payload.Length >= MaxPayloadBytes && message.Event is not null)
            payload = JsonSerializer.Serialize(message with { Event = message.Event with { Result = null } }, ApiJson.Options);
        if (payload.Length >= MaxPayloadBytes)
        {
            logger.LogWarning("A {Kind} message of task {TaskId} is too large for the cluster channel and is not relayed", message.Kind, message.TaskId);
            return;
        }
        _outgoing.Writer.TryWrite(payload);
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, n) => _ = ReceiveAsync(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                logger.LogInformation("Node {Node} listens for cluster task events", node.Name);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Lost the cluster event connection; listening again in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(ct);
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                notify.Parameters.AddWithValue("channel", Channel);
                var payload = notify.Parameters.Add("payload", NpgsqlTypes.NpgsqlDbType.Text);
                await foreach (string message in _outgoing.Reader.ReadAllAsync(ct))
                {
                    payload.Value = message;
                    await notify.ExecuteNonQueryAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not send a cluster task event; reconnecting in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ReceiveAsync(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<ClusterMessage>(payload, ApiJson.Options);
            if (message is null || message.Node == node.Name) return;
            switch (message.Kind)
            {
                case Kinds.Event when message.Event is not null:
                    notifier.Publish(message.Event);
                    break;
                case Kinds.Pause:
                    progress.RequestPause(message.TaskId);
                    break;
                case Kinds.Cancel:
                    var scheduler = await schedulerFactory.GetScheduler();
                    await scheduler.Interrupt(new JobKey(message.TaskId, TaskService.JobGroup));
                    break;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not handle a cluster message");
        }
    }

    private static class Kinds
    {
        public const string Event = "event";
        public const string Cancel = "cancel";
        public const string Pause = "pause";
    }

    /// <summary>One NOTIFY payload: an event of a task, or a request about it, from a node.</summary>
    private sealed record ClusterMessage(string Kind, string Node, string TaskId, TaskEvent? Event);
}
