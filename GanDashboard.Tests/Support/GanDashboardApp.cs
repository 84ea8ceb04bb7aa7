using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GanDashboard.Tests.Support;

/// <summary>The real app (real SQLite file or PostgreSQL database, real Quartz) on a fresh temporary data directory.</summary>
public sealed class GanDashboardApp : WebApplicationFactory<Program>
{
    private readonly TempFolder _data = new();
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    public GanDashboardApp(IDictionary<string, string?>? settings = null, string? dataDirectory = null, TestDatabase? database = null)
    {
        DataDirectory = dataDirectory ?? _data.FullPath;
        Database = database ?? TestDatabase.Sqlite;
        // Tests that are not about access choose sign-in off explicitly (everyone acts as admin); access tests pass Auth:Mode.
        _settings[AuthModeKey] = "none";
        foreach (var kv in Database.Settings()) _settings[kv.Key] = kv.Value;
        if (settings is not null) foreach (var kv in settings) _settings[kv.Key] = kv.Value;
    }

    public const string AuthModeKey = "GanDashboard:Auth:Mode";

    public TestDatabase Database { get; }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("GanDashboard:DataDirectory", DataDirectory);
        foreach (var kv in _settings) builder.UseSetting(kv.Key, kv.Value);
    }

    public static JsonSerializerOptions Json => ApiJson.Options;

    /// <summary>Uploads a sample profile and turns it into a machine; returns the machine id.</summary>
    public async Task<string> CreateSampleMachineAsync(HttpClient client, string sampleId)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(TestData.SampleProfile(sampleId))), "file", sampleId + ".json");
        var upload = await client.PostAsync("/api/gan/profiles/upload", content);
        upload.EnsureSuccessStatusCode();
        var draft = await upload.Content.ReadFromJsonAsync<JsonElement>(Json);
        var create = await client.PostAsJsonAsync("/api/gan/machines", new { draft_id = draft.GetProperty("draft_id").GetGuid() }, Json);
        create.EnsureSuccessStatusCode();
        return sampleId;
    }

    /// <summary>Reads a task's WebSocket until its final event (or the timeout); returns every event received.</summary>
    public async Task<List<JsonElement>> WatchTaskAsync(string taskId, TimeSpan timeout, string route = "tasks")
    {
        var ws = Server.CreateWebSocketClient();
        using var cts = new CancellationTokenSource(timeout);
        using var socket = await ws.ConnectAsync(new Uri(Server.BaseAddress, $"/ws/gan/{route}/{taskId}"), cts.Token);
        var events = new List<JsonElement>();
        var buffer = new byte[64 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cts.Token);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) break;
            events.Add(JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(message.ToArray())));
        }
        return events;
    }

    /// <summary>Polls GET /tasks/{id} until the task has ended.</summary>
    public static async Task<JsonElement> WaitForTaskAsync(HttpClient client, string taskId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var task = await client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
            string status = task.GetProperty("status").GetString()!;
            if (status is "SUCCESS" or "FAILURE" or "CANCELLED" or "INTERRUPTED" or "PAUSED") return task;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Task {taskId} is still {status}.");
            await Task.Delay(100);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _data.Dispose();
    }
}
