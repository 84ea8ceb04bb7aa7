using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench api --url URL [--profile FILE] [--clients 32] [--seconds 15] [--json]</c>: a bounded load test of a
/// running dashboard on loopback. It creates a machine from the profile (if new), seeds it, starts a long
/// training, then has N clients read the API for a fixed time and reports latency percentiles; the training is
/// cancelled at the end. Only loopback URLs are accepted.
/// </summary>
public static class BenchApiCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var url = new Uri(args.Get("url") ?? "http://127.0.0.1:5000");
        if (!url.IsLoopback) throw new UsageException("--url must be a loopback address (127.0.0.1, localhost or [::1]): this is a load test.");
        string profile = args.Get("profile") ?? Path.Combine("samples", "profiles", "pump_ksb_etanorm_002.json");
        int clients = args.GetInt("clients", 32);
        int seconds = args.GetInt("seconds", 15);
        if (clients is < 1 or > 256 || seconds is < 1 or > 300) throw new UsageException("--clients takes 1-256 and --seconds 1-300.");
        bool json = args.Has("json");

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        if (args.Get("api-key") is { } key) http.DefaultRequestHeaders.Add("X-API-Key", key);
        string machineId = await EnsureMachineAsync(http, profile);
        string trainTask = await StartTrainingAsync(http, machineId);

        string[] routes = ["/api/gan/health", "/api/gan/machines", $"/api/gan/machines/{machineId}", $"/api/gan/machines/{machineId}/status", "/api/gan/tasks", $"/api/gan/tasks/{trainTask}"];
        // Event latency: each training_progress event carries the moment it was published (end of the epoch);
        // a WebSocket client on the same machine measures how late it arrives, under the same load.
        var eventDelays = new List<double>();
        using var socketStop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watcher = WatchEventsAsync(url, trainTask, args.Get("api-key"), eventDelays, socketStop.Token);
        var latencies = new List<double>[clients];
        int errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            int i = c;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                long start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(routes[i++ % routes.Length]);
                await response.Content.ReadAsByteArrayAsync();
                latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }));
        await watcher;
        var task = await http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{trainTask}", Json);
        bool trainingRan = task.GetProperty("status").GetString() is "STARTED" or "SUCCESS";
        await http.PostAsync($"/api/gan/tasks/{trainTask}/cancel", null);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        var result = new { requests = all.Length, errors, clients, seconds, requests_per_second = all.Length / (double)seconds,
            p50_ms = P(0.50), p95_ms = P(0.95), p99_ms = P(0.99), max_ms = all.Length == 0 ? double.NaN : all[^1], training_running = trainingRan,
            events = eventDelays.Count, event_delay_p50_ms = Percentile(eventDelays, 0.5), event_delay_max_ms = eventDelays.Count == 0 ? double.NaN : eventDelays.Max() };
        if (json) args.Output.WriteLine(JsonSerializer.Serialize(result, Json));
        else
        {
            args.Output.WriteLine($"{all.Length} requests from {clients} clients in {seconds} s ({result.requests_per_second:F0}/s), {errors} errors, training running: {trainingRan}");
            args.Output.WriteLine($"latency p50 {result.p50_ms:F1} ms, p95 {result.p95_ms:F1} ms, p99 {result.p99_ms:F1} ms, max {result.max_ms:F1} ms");
            args.Output.WriteLine($"training events: {result.events}, publish-to-client delay p50 {result.event_delay_p50_ms:F1} ms, max {result.event_delay_max_ms:F1} ms");
        }
        return errors == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    private static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    private static async Task WatchEventsAsync(Uri url, string taskId, string? apiKey, List<double> delays, CancellationToken ct)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        if (apiKey is not null) socket.Options.SetRequestHeader("X-API-Key", apiKey);
        var ws = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws", Path = $"/ws/gan/training/{taskId}" }.Uri;
        var buffer = new byte[64 * 1024];
        try
        {
            await socket.ConnectAsync(ws, ct);
            bool replay = true;   // the first message replays the task's state as of connecting: not a live event
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, ct);
                var arrived = DateTime.UtcNow;
                if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close) break;
                if (replay) { replay = false; continue; }
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
                if (doc.RootElement.GetProperty("type").GetString() == "training_progress" && doc.RootElement.TryGetProperty("at", out var at))
                    delays.Add((arrived - at.GetDateTime().ToUniversalTime()).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task<string> EnsureMachineAsync(HttpClient http, string profilePath)
    {
        if (!File.Exists(profilePath)) throw new UsageException($"No profile at {profilePath}; pass --profile FILE.");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(profilePath)), "file", Path.GetFileName(profilePath) } };
        var draft = await (await http.PostAsync("/api/gan/profiles/upload", form)).Content.ReadFromJsonAsync<JsonElement>(Json);
        string machineId = draft.GetProperty("machine_id").GetString()!;
        var existing = await http.GetAsync($"/api/gan/machines/{machineId}");
        if (!existing.IsSuccessStatusCode)
        {
            var created = await http.PostAsJsonAsync("/api/gan/machines", new { draft_id = draft.GetProperty("draft_id").GetGuid() }, Json);
            if (!created.IsSuccessStatusCode) throw new InvalidDataException($"Could not create the machine: {await created.Content.ReadAsStringAsync()}");
        }
        var status = await http.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{machineId}/status", Json);
        if (!status.GetProperty("has_seed_data").GetBoolean())
        {
            var seed = await (await http.PostAsJsonAsync($"/api/gan/machines/{machineId}/seed", new { samples = 10_000 }, Json)).Content.ReadFromJsonAsync<JsonElement>(Json);
            await WaitAsync(http, seed.GetProperty("task_id").GetString()!, done: s => s is "SUCCESS");
        }
        return machineId;
    }

    private static async Task<string> StartTrainingAsync(HttpClient http, string machineId)
    {
        var response = await http.PostAsJsonAsync($"/api/gan/machines/{machineId}/train", new { epochs = 10_000 }, Json);
        if (!response.IsSuccessStatusCode) throw new InvalidDataException($"Could not start a training: {await response.Content.ReadAsStringAsync()}");
        string taskId = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("task_id").GetString()!;
        await WaitAsync(http, taskId, done: s => s is "STARTED");
        return taskId;
    }

    private static async Task WaitAsync(HttpClient http, string taskId, Func<string, bool> done)
    {
        for (int i = 0; i < 600; i++)
        {
            var task = await http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
            string status = task.GetProperty("status").GetString()!;
            if (done(status)) return;
            if (status is "FAILURE" or "CANCELLED" or "INTERRUPTED") throw new InvalidDataException($"Task {taskId} ended {status}: {task}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"Task {taskId} did not get there in 2 minutes.");
    }
}
