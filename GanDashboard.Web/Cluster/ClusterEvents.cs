using System.Text.Json;
using System.Threading.Channels;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Npgsql;
using Quartz;

namespace GanDashboard.Web.Cluster;

/// <summary>
/// Carries task events and task commands between the nodes of a cluster with PostgreSQL's LISTEN/NOTIFY: a dashboard
/// or WebSocket on one node sees the live epochs of a training on another, and a cancel or pause asked on one node
/// reaches the node that runs the task (Quartz interrupts only the jobs of its own process). Registered on every node,
/// started only on PostgreSQL; on SQLite there is one node and nothing to carry.
/// </summary>
public sealed class ClusterEvents(
    DatabaseConnection database, NodeOptions node, TaskNotifier notifier, TaskProgressSink progress, ISchedulerFactory schedulerFactory,
    ILogger<ClusterEvents> logger) : BackgroundService
{
    private const string EventsChannel = "gandashboard_task_events";
    private const string CommandsChannel = "gandashboard_task_commands";
    // NOTIFY payloads must stay under 8000 bytes; a larger event goes without its result (clients read it from the task).
    private const int MaxPayloadBytes = 7900;

    // Tells this process's own notifications apart from the other nodes' (two test hosts may share a node name).
    private readonly string _origin = $"{node.Name}/{Guid.NewGuid():N}";
    private readonly Channel<Message> _outgoing = Channel.CreateBounded<Message>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private NpgsqlDataSource? _dataSource;

    private sealed record Message(string Channel, string Payload);
    private sealed record Envelope(string Origin, TaskEvent? Event, string? Command, string? TaskId);

    /// <summary>Asks every node to interrupt the task's job if it runs there (cancel).</summary>
    public void RequestInterrupt(string taskId) => Send(CommandsChannel, new Envelope(_origin, null, "interrupt", taskId));

    /// <summary>Asks the node that runs a training to checkpoint it and pause.</summary>
    public void RequestPause(string taskId) => Send(CommandsChannel, new Envelope(_origin, null, "pause", taskId));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.IsPostgres) return Task.CompletedTask;
        _dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        notifier.RelayTo(e => Send(EventsChannel, new Envelope(_origin, e, null, null)));
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAllAsync(stoppingToken));

    private void Send(string channel, Envelope envelope)
    {
        if (_dataSource is null) return;
        string payload = JsonSerializer.Serialize(envelope, ApiJson.Options);
        if (payload.Length > MaxPayloadBytes && envelope.Event is not null)
            payload = JsonSerializer.Serialize(envelope with { Event = envelope.Event with { Result = null } }, ApiJson.Options);
        _outgoing.Writer.TryWrite(new Message(channel, payload));
    }

    private async Task SendAllAsync(CancellationToken ct)
    {
        var pending = new List<Message>();
        while (await _outgoing.Reader.WaitToReadAsync(ct))
        {
            // Everything queued meanwhile goes in one round trip: sent one at a time, a fast training's events outran the
            // sender, and another node saw epochs seconds late, later with every epoch.
            pending.Clear();
            while (pending.Count < MaxMessagesPerRoundTrip && _outgoing.Reader.TryRead(out var message)) pending.Add(message);
            try
            {
                await using var batch = _dataSource!.CreateBatch();
                foreach (var message in pending)
                {
                    var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
                    notify.Parameters.Add(new NpgsqlParameter { Value = message.Channel });
                    notify.Parameters.Add(new NpgsqlParameter { Value = message.Payload });
                    batch.BatchCommands.Add(notify);
                }
                await batch.ExecuteNonQueryAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not send {Count} cluster notification(s)", pending.Count);
            }
        }
    }

    /// <summary>Notifications sent in one round trip at most (each payload is under 8000 bytes).</summary>
    private const int MaxMessagesPerRoundTrip = 100;

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource!.OpenConnectionAsync(ct);
                connection.Notification += (_, n) => Receive(n.Channel, n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {EventsChannel}; LISTEN {CommandsChannel};", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // The server restarted or the connection dropped: listen again (events meanwhile are lost; task rows stay right).
                logger.LogWarning(e, "Cluster notifications interrupted; listening again");
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Receive(string channel, string payload)
    {
        Envelope? envelope;
        try { envelope = JsonSerializer.Deserialize<Envelope>(payload, ApiJson.Options); }
        catch (JsonException e) { logger.LogWarning(e, "Ignored a malformed cluster notification"); return; }
        if (envelope is null || envelope.Origin == _origin) return;
        if (channel == EventsChannel && envelope.Event is not null) notifier.PublishFromCluster(envelope.Event);
        else if (channel == CommandsChannel && envelope.TaskId is not null) _ = RunCommandAsync(envelope.Command, envelope.TaskId);
    }

    private async Task RunCommandAsync(string? command, string taskId)
    {
        try
        {
            if (command == "pause") progress.RequestPause(taskId);
            else if (command == "interrupt")
                await (await schedulerFactory.GetScheduler()).Interrupt(new JobKey(taskId, TaskService.JobGroup));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Cluster command {Command} for task {TaskId} failed", command, taskId);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _dataSource?.Dispose();
    }
}
