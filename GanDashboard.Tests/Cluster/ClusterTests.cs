using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GanDashboard.Tests.Support;
using Npgsql;

namespace GanDashboard.Tests.Cluster;

/// <summary>
/// Two published nodes (real processes) on one PostgreSQL database and one shared data directory, clustered through
/// Quartz's ADO.NET job store: a node killed with SIGKILL mid-training loses nothing, the other node finishes the task
/// from its checkpoint; live epochs reach a node that does not run the training; a batch spreads over both nodes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = GanDashboardApp.Json;
    private readonly TempFolder _data = new();
    private readonly string _database = PostgresServer.Shared.CreateDatabase();
    private readonly ClusterNode _a;
    private readonly ClusterNode _b;

    public ClusterTests()
    {
        // A short check-in so that the test sees a dead node recovered in seconds (the default is 5 s).
        var settings = new Dictionary<string, string> { ["GanDashboard__Node__CheckinInterval"] = "00:00:02", ["GanDashboard__Work__MaxConcurrentTasks"] = "2" };
        _a = new ClusterNode("node-a", _database, _data.FullPath, settings);
        _b = new ClusterNode("node-b", _database, _data.FullPath, settings);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_training_whose_node_is_killed_finishes_on_the_other_node_from_its_checkpoint_and_a_batch_uses_both_nodes()
    {
        await Task.WhenAll(_a.StartAsync(), _b.StartAsync());   // together: start-up migrates once, under its lock
        string machine = await CreateMachineAsync(_a.Client, "cnc_haas_vf2_004");
        await RunToSuccessAsync(_a.Client, $"/api/gan/machines/{machine}/seed", new { runs = 20 });

        // Started through node A's API; it runs on whichever node took it, and the task says which.
        string taskId = await StartAsync(_a.Client, $"/api/gan/machines/{machine}/train", new { epochs = 40, batch_size = 100, checkpoint_every = 1 });
        var started = await WaitAsync(_a.Client, taskId, t => t.GetProperty("status").GetString() == "STARTED" && t.TryGetProperty("node", out _), TimeSpan.FromMinutes(1));
        string runnerName = started.GetProperty("node").GetString()!;
        var (runner, other) = runnerName == _a.Name ? (_a, _b) : (_b, _a);
        runnerName.Should().BeOneOf(_a.Name, _b.Name);

        // The other node's WebSocket shows the live epochs of the training running on the runner (LISTEN/NOTIFY).
        using var watch = new TaskWatcher(other.Port, taskId);
        // The socket's first message replays the task's state as it was (an older event, its lag meaningless): live epochs only.
        await watch.ReadUntilAsync(seen => seen.Skip(1).Count(e => e.Epoch is not null) >= 5, TimeSpan.FromMinutes(2));
        var liveLags = watch.Received.Skip(1).Where(e => e.Epoch is not null).Select(e => e.LagSeconds).Order().ToList();
        liveLags[liveLags.Count / 2].Should().BeLessThan(1.0, $"a live epoch reaches another node within a second (lags: {string.Join(", ", liveLags.Select(l => l.ToString("F2")))})");

        runner.Kill();

        // Quartz's cluster recovery hands the job to the surviving node after the check-in timeout; it resumes from the checkpoint.
        var done = await WaitAsync(other.Client, taskId, t => t.GetProperty("status").GetString() is "SUCCESS" or "FAILURE" or "INTERRUPTED" or "CANCELLED", TimeSpan.FromMinutes(4));
        done.GetProperty("status").GetString().Should().Be("SUCCESS", $"{done}\n--- {runner.Name}:\n{runner.Log()}\n--- {other.Name}:\n{other.Log()}");
        done.GetProperty("node").GetString().Should().Be(other.Name);
        var resumedEpochs = watch.Received.SkipWhile(e => !e.Resumed).Where(e => e.Epoch is not null).Select(e => e.Epoch!.Value).ToList();
        resumedEpochs.Should().NotBeEmpty("the surviving node's own epochs were seen").And.NotContain(1, "it continued from the checkpoint instead of starting over");
        CountModels(machine).Should().Be(1, "the model is registered once");

        // The killed node comes back; both nodes' APIs report the same state of the task.
        await runner.StartAsync();
        var fromRunner = await runner.Client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
        var fromOther = await other.Client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
        fromRunner.GetProperty("status").GetString().Should().Be("SUCCESS");
        fromRunner.GetProperty("node").GetString().Should().Be(fromOther.GetProperty("node").GetString());
        fromRunner.GetProperty("completed_at").GetDateTime().Should().Be(fromOther.GetProperty("completed_at").GetDateTime());

        string second = await CreateMachineAsync(_a.Client, "pump_ksb_etanorm_002");
        string third = await CreateMachineAsync(_a.Client, "motor_siemens_1la7_001");
        foreach (string id in new[] { second, third })
            await RunToSuccessAsync(_a.Client, $"/api/gan/machines/{id}/seed", new { runs = 20 });

        // SIGTERM (an upgrade): the node checkpoints its training and hands the task back at once; the other node finishes it.
        string handedBack = await StartAsync(_a.Client, $"/api/gan/machines/{second}/train", new { epochs = 30, batch_size = 100, checkpoint_every = 1 });
        var running = await WaitAsync(_a.Client, handedBack, t => t.GetProperty("status").GetString() == "STARTED" && t.TryGetProperty("node", out _)
            && t.TryGetProperty("message", out var m) && m.GetString()?.StartsWith("Epoch ", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(1));
        var (stopping, staying) = running.GetProperty("node").GetString() == _a.Name ? (_a, _b) : (_b, _a);
        stopping.Terminate();
        stopping.Log().Should().Contain($"Handed train task {handedBack} back to the cluster at shutdown");
        var finishedElsewhere = await WaitAsync(staying.Client, handedBack, t => t.GetProperty("status").GetString() is "SUCCESS" or "FAILURE" or "INTERRUPTED", TimeSpan.FromMinutes(3));
        finishedElsewhere.GetProperty("status").GetString().Should().Be("SUCCESS", finishedElsewhere.ToString());
        finishedElsewhere.GetProperty("node").GetString().Should().Be(staying.Name);
        await stopping.StartAsync();

        // A batch of trainings spreads over both nodes: each node takes only the trainings it may run (one at a time).
        var batch = await (await _a.Client.PostAsJsonAsync("/api/gan/batch/train",
            new { machine_ids = new[] { machine, second, third }, options = new { epochs = 8, batch_size = 100 } }, Json)).Content.ReadFromJsonAsync<JsonElement>(Json);
        var nodes = new List<string>();
        foreach (var task in batch.GetProperty("tasks").EnumerateArray())
        {
            var finished = await WaitAsync(_a.Client, task.GetProperty("task_id").GetString()!, t => t.GetProperty("status").GetString() is "SUCCESS" or "FAILURE", TimeSpan.FromMinutes(4));
            finished.GetProperty("status").GetString().Should().Be("SUCCESS", finished.ToString());
            nodes.Add(finished.GetProperty("node").GetString()!);
        }
        nodes.Distinct().Should().BeEquivalentTo([_a.Name, _b.Name], "three trainings with one training slot per node use both nodes");
    }

    private int CountModels(string machineId)
    {
        using var connection = new NpgsqlConnection(_database);
        connection.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM tvae_models WHERE \"MachineId\" = $1", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = machineId });
        return Convert.ToInt32(count.ExecuteScalar());
    }

    private static async Task<string> CreateMachineAsync(HttpClient client, string sampleId)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(TestData.SampleProfile(sampleId))), "file", sampleId + ".json");
        var upload = await client.PostAsync("/api/gan/profiles/upload", content);
        upload.EnsureSuccessStatusCode();
        var draft = await upload.Content.ReadFromJsonAsync<JsonElement>(Json);
        (await client.PostAsJsonAsync("/api/gan/machines", new { draft_id = draft.GetProperty("draft_id").GetGuid() }, Json)).EnsureSuccessStatusCode();
        return sampleId;
    }

    private static async Task<string> StartAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Json);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("task_id").GetString()!;
    }

    private static async Task RunToSuccessAsync(HttpClient client, string path, object body)
    {
        string taskId = await StartAsync(client, path, body);
        var task = await WaitAsync(client, taskId, t => t.GetProperty("status").GetString() is "SUCCESS" or "FAILURE" or "CANCELLED" or "INTERRUPTED", TimeSpan.FromMinutes(2));
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string taskId, Func<JsonElement, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var task = await client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
            if (until(task)) return task;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Task {taskId} did not get there: {task}");
            await Task.Delay(200);
        }
    }

    /// <summary>A WebSocket client of one node that records every event of one task as it arrives.</summary>
    private sealed class TaskWatcher : IDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Seen> _received = [];
        private readonly Task _reading;

        public sealed record Seen(string Type, int? Epoch, double LagSeconds, bool Resumed);

        public TaskWatcher(int port, string taskId)
        {
            _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/gan/training/{taskId}"), _stop.Token).GetAwaiter().GetResult();
            _reading = Task.Run(ReadAsync);
        }

        public IReadOnlyList<Seen> Received { get { lock (_received) return _received.ToList(); } }

        public async Task<IReadOnlyList<Seen>> ReadUntilAsync(Func<IReadOnlyList<Seen>, bool> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var seen = Received;
                if (condition(seen)) return seen;
                await Task.Delay(50);
            }
            throw new TimeoutException($"Not seen in time; received: {string.Join(", ", Received)}");
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            bool resumed = false;
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    using var message = new MemoryStream();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer, _stop.Token);
                        message.Write(buffer, 0, result.Count);
                    } while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    var e = JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(message.ToArray()));
                    string? text = e.TryGetProperty("message", out var m) ? m.GetString() : null;
                    resumed |= text?.StartsWith("Resuming at epoch", StringComparison.Ordinal) == true;
                    double lag = e.TryGetProperty("at", out var at) ? (DateTime.UtcNow - at.GetDateTime().ToUniversalTime()).TotalSeconds : 0;
                    int? epoch = e.TryGetProperty("epoch", out var ep) ? ep.GetInt32() : null;
                    lock (_received) _received.Add(new Seen(e.GetProperty("type").GetString()!, epoch, lag, resumed));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _reading.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
