using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Web.Api;

/// <summary>
/// WS /ws/gan/tasks/{task_id} and WS /ws/gan/training/{task_id}: the task's events as JSON text
/// messages, starting with its current state; the socket closes after the task's final event.
/// </summary>
public static class TaskSocket
{
    public static WebApplication MapTaskSockets(this WebApplication app)
    {
        app.Map("/ws/gan/tasks/{taskId}", StreamAsync).RequireAuthorization(Access.Policies.Viewer);
        app.Map("/ws/gan/training/{taskId}", StreamAsync).RequireAuthorization(Access.Policies.Viewer);
        return app;
    }

    private static async Task StreamAsync(HttpContext http, string taskId, TaskService tasks, TaskNotifier notifier)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("This endpoint speaks WebSocket only.");
            return;
        }
        var task = await tasks.GetAsync(taskId, http.RequestAborted);
        if (task is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var outbox = Channel.CreateUnbounded<TaskEvent>(new UnboundedChannelOptions { SingleReader = true });
        // Subscribe first, then replay the stored state, so no event falls between the two.
        using var subscription = notifier.Subscribe(taskId, e => outbox.Writer.WriteAsync(e).AsTask(), replayLatest: false);
        var current = notifier.Latest(taskId) ?? TaskService.EventFor(task, ReplayType(task.Status), task.Message) with { Error = task.Error };
        await outbox.Writer.WriteAsync(current, http.RequestAborted);

        _ = DrainIncomingAsync(socket, outbox.Writer, http.RequestAborted);
        try
        {
            await foreach (var e in outbox.Reader.ReadAllAsync(http.RequestAborted))
            {
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(e, ApiJson.Options);
                await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, http.RequestAborted);
                if (IsFinal(e.Type)) break;
            }
            if (socket.State == WebSocketState.Open)
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "task ended", CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { /* the client went away */ }
    }

    /// <summary>Reads (and ignores) client messages so a close from the client is noticed.</summary>
    private static async Task DrainIncomingAsync(WebSocket socket, ChannelWriter<TaskEvent> outbox, CancellationToken ct)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        outbox.TryComplete();
    }

    private static bool IsFinal(string type) =>
        type is TaskEvent.Types.Completed or TaskEvent.Types.Failed or TaskEvent.Types.Cancelled or TaskEvent.Types.Paused;

    private static string ReplayType(string status) => status switch
    {
        TaskStatuses.Pending => TaskEvent.Types.Queued,
        TaskStatuses.Started => TaskEvent.Types.Progress,
        TaskStatuses.Paused => TaskEvent.Types.Paused,
        TaskStatuses.Success => TaskEvent.Types.Completed,
        TaskStatuses.Cancelled => TaskEvent.Types.Cancelled,
        _ => TaskEvent.Types.Failed,
    };
}
