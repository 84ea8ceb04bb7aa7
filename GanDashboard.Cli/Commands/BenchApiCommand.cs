using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench api [--server WEB_DLL [--postgres CONNECTION] | --url URL] [--profile FILE] [--clients 32] [--seconds 15] [--warmup 5] [--json]</c>:
/// a bounded load test of a dashboard on loopback. With <c>--server</c> it starts that build of the web app
/// (e.g. <c>GanDashboard.Web/bin/Release/net10.0/linux-x64/GanDashboard.Web.dll</c>) on a free port with a fresh data
/// directory and stops it at the end (on SQLite, or with <c>--postgres</c> on that PostgreSQL database, which should be
/// empty); with <c>--url</c> it uses a dashboard that is already running. It creates a
/// machine from the profile (if new), seeds it, starts a long training, has N clients read the API for a warm-up
/// (reported on its own line, outside the percentiles) and then for the measured time, and reports latency
/// percentiles overall and per route; the training is cancelled at the end. Only loopback URLs are accepted.
/// </summary>
public static class BenchApiCommand
{
    /// <summary>The API's wire format (snake_case); the other commands that call a dashboard read it with these too.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,   // NaN when no training event arrived
    };

    public static async Task<int> RunAsync(CommandArgs args)
    {
        string? serverDll = args.Get("server");
        if (serverDll is not null && args.Get("url") is not null) throw new UsageException("Give --server (start that build) or --url (use a running dashboard), not both.");
        string profile = args.Get("profile") ?? Path.Combine("samples", "profiles", "pump_ksb_etanorm_002.json");
        int clients = args.GetInt("clients", 32);
        int seconds = args.GetInt("seconds", 15);
        int warmup = args.GetInt("warmup", 5);
        if (clients is < 1 or > 256 || seconds is < 1 or > 300 || warmup is < 0 or > 300) throw new UsageException("--clients takes 1-256, --seconds 1-300 and --warmup 0-300.");
        bool json = args.Has("json");
        string? apiKey = args.Get("api-key");
        string? postgres = args.Get("postgres");
        if (postgres is not null && serverDll is null) throw new UsageException("--postgres configures the server that --server starts.");

        await using var server = serverDll is null ? null : await BenchServer.StartAsync(serverDll, apiKey, postgres);
        var url = server?.Url ?? new Uri(args.Get("url") ?? "http://127.0.0.1:5000");
        if (!url.IsLoopback) throw new UsageException("--url must be a loopback address (127.0.0.1, localhost or [::1]): this is a load test.");

        // A server started here has sign-in on: it runs with an operator's key made in its store before it started.
        apiKey ??= server?.ApiKey;
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        string machineId = await EnsureMachineAsync(http, profile);
        string trainTask = await StartTrainingAsync(http, machineId);

        string[] routes = ["/api/gan/health", "/api/gan/machines", $"/api/gan/machines/{machineId}", $"/api/gan/machines/{machineId}/status",
            "/api/gan/tasks", $"/api/gan/tasks/{trainTask}", "/api/gan/statistics"];
        // The first seconds of a fresh server pay for JIT compilation and EF Core's query compilation: measured, but apart.
        var warm = warmup == 0 ? null : await LoadAsync(http, routes, clients, warmup);
        // Event latency: each training_progress event carries the moment it was published (end of the epoch);
        // a WebSocket client on the same machine measures how late it arrives, under the same load.
        var eventDelays = new List<double>();
        using var socketStop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watcher = WatchEventsAsync(url, trainTask, apiKey, eventDelays, socketStop.Token);
        var cpuBefore = server?.CpuTime();
        var measured = await LoadAsync(http, routes, clients, seconds);
        var cpuAfter = server?.CpuTime();
        await watcher;
        var task = await http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{trainTask}", Json);
        bool trainingRan = task.GetProperty("status").GetString() is "STARTED" or "SUCCESS";
        await http.PostAsync($"/api/gan/tasks/{trainTask}/cancel", null);

        var all = measured.All;
        var result = new
        {
            server = serverDll is null ? url.ToString() : Path.GetFullPath(serverDll),
            requests = all.Length, errors = measured.Errors, clients, seconds, requests_per_second = all.Length / (double)seconds,
            p50_ms = Percentile(all, 0.50), p95_ms = Percentile(all, 0.95), p99_ms = Percentile(all, 0.99), max_ms = all.Length == 0 ? double.NaN : all[^1],
            training_running = trainingRan,
            // Server CPU per request is steadier than latency on a shared machine; the busiest thread is the trainer.
            server_cpu_ms_per_request = cpuAfter is null || all.Length == 0 ? (double?)null : Math.Round((cpuAfter.Value.Total - cpuBefore!.Value.Total).TotalMilliseconds / all.Length, 3),
            server_cpu_ms_per_request_without_trainer = cpuAfter is null || all.Length == 0 ? (double?)null
                : Math.Round(((cpuAfter.Value.Total - cpuAfter.Value.Busiest) - (cpuBefore!.Value.Total - cpuBefore.Value.Busiest)).TotalMilliseconds / all.Length, 3),
            events = eventDelays.Count, event_delay_p50_ms = Percentile([.. eventDelays.Order()], 0.5), event_delay_max_ms = eventDelays.Count == 0 ? double.NaN : eventDelays.Max(),
            warmup = warm is null ? null : new { seconds = warmup, requests = warm.All.Length, errors = warm.Errors, p99_ms = Percentile(warm.All, 0.99), max_ms = warm.All.Length == 0 ? double.NaN : warm.All[^1] },
            routes = routes.Select((r, i) => new { route = r, requests = measured.ByRoute[i].Length, p50_ms = Percentile(measured.ByRoute[i], 0.5), p99_ms = Percentile(measured.ByRoute[i], 0.99) }).ToList(),
        };
        if (json) args.Output.WriteLine(JsonSerializer.Serialize(result, Json));
        else
        {
            args.Output.WriteLine($"server: {result.server}");
            if (warm is not null)
                args.Output.WriteLine($"warm-up (not in the figures below): {warm.All.Length} requests in {warmup} s, {warm.Errors} errors, p99 {result.warmup!.p99_ms:F1} ms, max {result.warmup.max_ms:F1} ms");
            args.Output.WriteLine($"{all.Length} requests from {clients} clients in {seconds} s ({result.requests_per_second:F0}/s), {measured.Errors} errors, training running: {trainingRan}");
            args.Output.WriteLine($"latency p50 {result.p50_ms:F1} ms, p95 {result.p95_ms:F1} ms, p99 {result.p99_ms:F1} ms, max {result.max_ms:F1} ms");
            if (result.server_cpu_ms_per_request is { } cpu)
                args.Output.WriteLine($"server CPU per request {cpu:F3} ms ({result.server_cpu_ms_per_request_without_trainer:F3} ms without its busiest thread, the trainer)");
            foreach (var r in result.routes) args.Output.WriteLine($"  {r.route,-60} {r.requests,6} requests, p50 {r.p50_ms,6:F1} ms, p99 {r.p99_ms,6:F1} ms");
            args.Output.WriteLine($"training events: {result.events}, publish-to-client delay p50 {result.event_delay_p50_ms:F1} ms, max {result.event_delay_max_ms:F1} ms");
        }
        return measured.Errors + (warm?.Errors ?? 0) == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    /// <summary>Latencies of one load phase: every request sorted, and per route (same order as the routes).</summary>
    private sealed record LoadResult(double[] All, double[][] ByRoute, int Errors);

    /// <summary>N clients, each reading the routes in turn, back to back, until the time is up.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, string[] routes, int clients, int seconds)
    {
        var latencies = new List<(int Route, double Ms)>[clients];
        int errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            int i = c;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                int route = i++ % routes.Length;
                long start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(routes[route]);
                await response.Content.ReadAsByteArrayAsync();
                latencies[c].Add((route, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }));
        var flat = latencies.SelectMany(l => l).ToList();
        return new LoadResult(
            flat.Select(l => l.Ms).Order().ToArray(),
            routes.Select((_, r) => flat.Where(l => l.Route == r).Select(l => l.Ms).Order().ToArray()).ToArray(),
            errors);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

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

/// <summary>
/// A web app build started for one benchmark: <c>dotnet WEB_DLL</c> on a free loopback port, in Production, with its
/// own temporary data directory (so runs do not share a database). Disposing stops the process and deletes the folder.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private BenchServer(Process process, string dataDirectory, Uri url, string apiKey)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Url = url;
        ApiKey = apiKey;
    }

    public Uri Url { get; }

    /// <summary>An operator's API key in the server's store (the bench starts tasks; it deletes nothing).</summary>
    public string ApiKey { get; }

    /// <summary>
    /// Makes a user with the operator role and a key in the store the server will open (found as the server finds it),
    /// the way an administrator would with <c>user add</c> and <c>apikey create</c>.
    /// </summary>
    private static async Task<string> CreateOperatorKeyAsync(string dataDirectory, string? postgres)
    {
        var location = StoreLocation.Resolve(dataDirectory, postgres is null ? null : DatabaseProviders.Postgres, postgres, _ => null, Environment.CurrentDirectory);
        await using var db = await location.OpenAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(db);
        services.AddAccessStore();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<AccessAdmin>();
        // A PostgreSQL database outlives the run: a name of its own each time. The password is never used (key only).
        string user = $"bench-{Guid.NewGuid():N}"[..14];
        await admin.AddUserAsync(user, Roles.Operator, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)) + "a1");
        return (await admin.CreateKeyAsync(user, "bench api", 1)).Key;
    }

    public static async Task<BenchServer> StartAsync(string webDll, string? apiKey, string? postgres = null)
    {
        if (!File.Exists(webDll)) throw new UsageException($"No web app at {webDll}; build it first, e.g. dotnet build GanDashboard.Web -c Release.");
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        string data = Path.Combine(Path.GetTempPath(), $"gandashboard-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        string key = await CreateOperatorKeyAsync(data, postgres);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(webDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])[Path.GetFullPath(webDll), "--urls", url.ToString(), "--GanDashboard:DataDirectory", data])
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (apiKey is not null) start.Environment["GanDashboard__Api__ApiKey"] = apiKey;
        if (postgres is not null)
        {
            start.Environment["GanDashboard__DatabaseProvider"] = "postgres";
            start.Environment["ConnectionStrings__GanDashboard"] = postgres;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        // Drain the server's log so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchServer(process, data, url, key);
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            if (process.HasExited) break;
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"The web app at {webDll} did not answer on {url} within 90 s.");
    }

    /// <summary>CPU time of the server process and of its busiest thread (Linux /proc; zeros elsewhere).</summary>
    public (TimeSpan Total, TimeSpan Busiest) CpuTime()
    {
        _process.Refresh();
        var total = _process.TotalProcessorTime;
        var busiest = TimeSpan.Zero;
        if (!Directory.Exists($"/proc/{_process.Id}/task")) return (total, busiest);
        foreach (string thread in Directory.GetDirectories($"/proc/{_process.Id}/task"))
        {
            string text;
            try { text = File.ReadAllText(Path.Combine(thread, "stat")); }
            catch (IOException) { continue; }   // the thread ended meanwhile
            // Fields after the ')' of the thread name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
            string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            var cpu = TimeSpan.FromMilliseconds(ticks * 10);
            if (cpu > busiest) busiest = cpu;
        }
        return (total, busiest);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
