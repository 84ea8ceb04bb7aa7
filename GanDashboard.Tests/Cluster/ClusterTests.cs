using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;
using Npgsql;

namespace GanDashboard.Tests.Cluster;

/// <summary>
/// Two real nodes (separate processes) on one PostgreSQL database and one shared data directory: a training survives
/// the SIGKILL of the node running it, and a batch spreads over both nodes.
/// </summary>
public sealed class ClusterTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);
    private readonly TestDatabase _database = TestPostgres.CreateDatabase();
    private readonly TempFolder _data = new();

    public void Dispose()
    {
        _database.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_training_whose_node_is_killed_finishes_on_the_other_node_from_its_checkpoint_and_a_batch_uses_both_nodes()
    {
        var started = new List<ClusterNode>();
        ClusterNode Start(string name)
        {
            var node = ClusterNode.Start(name, _database, _data.FullPath);
            started.Add(node);
            return node;
        }
        try
        {
            var one = Start("node-1");
            var two = Start("node-2");
            await Task.WhenAll(one.WaitHealthyAsync(Long), two.WaitHealthyAsync(Long));
            var api = one.Client;
            foreach (string id in Machines)
            {
                var created = await api.PostAsync("/api/gan/machines",
                    new StringContent(await File.ReadAllTextAsync(TestData.SampleProfile(id)), System.Text.Encoding.UTF8, "application/json"));
                created.IsSuccessStatusCode.Should().BeTrue(await created.Content.ReadAsStringAsync());
            }
            await RunAsync(api, $"/api/gan/machines/{Machines[0]}/seed", new { runs = 20, seed = 1 });

            // A training started through node 1 runs on one of the nodes and says which.
            string task = await StartAsync(api, $"/api/gan/machines/{Machines[0]}/train",
                new { epochs = 60, batch_size = 100, checkpoint_every = 1, mode = "plain", seed = 7 });
            var running = await WaitUntilAsync(api, task, t => Epoch(t) >= 3);
            string runnerName = running.GetProperty("node").GetString()!;
            var runner = runnerName == one.Name ? one : two;
            var survivor = runnerName == one.Name ? two : one;

            // The survivor's WebSocket shows the runner's epochs live (LISTEN/NOTIFY), then its own after the recovery.
            var events = new List<JsonElement>();
            using var watching = new CancellationTokenSource(Long);
            var watch = survivor.WatchAsync($"/ws/gan/training/{task}", events, watching.Token);
            await WaitForAsync(() => { lock (events) return events.Any(e => Type(e) == "training_progress" && NodeOf(e) == runnerName); },
                "the survivor relays the runner's epochs");

            runner.Kill();
            var final = await GanDashboardApp.WaitForTaskAsync(survivor.Client, task, Long);
            final.GetProperty("status").GetString().Should().Be("SUCCESS", $"{final}\n{survivor.Log()}");
            final.GetProperty("node").GetString().Should().Be(survivor.Name);
            await watch.WaitAsync(TimeSpan.FromSeconds(30));
            List<JsonElement> seen;
            lock (events) seen = [.. events];
            var recovered = seen.Where(e => Type(e) == "training_progress" && NodeOf(e) == survivor.Name).ToList();
            recovered.Should().NotBeEmpty();
            recovered[0].GetProperty("epoch").GetInt32().Should().BeGreaterThan(3, "the survivor continued from the checkpoint instead of starting over");
            recovered[^1].GetProperty("epoch").GetInt32().Should().Be(60);
            (await CountAsync("tvae_models")).Should().Be(1, "the model is registered once");

            // The killed node comes back: it runs nothing twice, and both nodes report the same task.
            var back = Start(runnerName);
            await back.WaitHealthyAsync(Long);
            var fromBack = await back.GetAsync($"/api/gan/tasks/{task}");
            var fromSurvivor = await survivor.GetAsync($"/api/gan/tasks/{task}");
            foreach (string field in new[] { "status", "node", "completed_at", "progress" })
                fromBack.GetProperty(field).ToString().Should().Be(fromSurvivor.GetProperty(field).ToString(), field);
            (await CountAsync("tvae_models")).Should().Be(1);

            // A batch of trainings spreads over both nodes: each takes one training at a time (its training slot).
            var seeds = await BatchAsync(back.Client, "seed", new { runs = 6, seed = 2 });
            foreach (string t in seeds) (await GanDashboardApp.WaitForTaskAsync(back.Client, t, Long)).GetProperty("status").GetString().Should().Be("SUCCESS");
            var trainings = await BatchAsync(back.Client, "train", new { epochs = 40, batch_size = 100, mode = "plain" });
            var ranOn = new HashSet<string>();
            foreach (string t in trainings)
            {
                var done = await GanDashboardApp.WaitForTaskAsync(survivor.Client, t, Long);
                done.GetProperty("status").GetString().Should().Be("SUCCESS", done.ToString());
                ranOn.Add(done.GetProperty("node").GetString()!);
            }
            ranOn.Should().BeEquivalentTo([survivor.Name, back.Name]);
        }
        finally
        {
            foreach (var node in started) await node.DisposeAsync();
        }
    }

    private static readonly string[] Machines = ["cnc_haas_vf2_004", "pump_ksb_etanorm_002", "motor_siemens_1la7_001"];

    private static async Task<List<string>> BatchAsync(HttpClient api, string kind, object options)
    {
        var response = await api.PostAsJsonAsync($"/api/gan/batch/{kind}", new { machine_ids = Machines[1..], options }, GanDashboardApp.Json);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        return batch.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("task_id").GetString()!).ToList();
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static string? Type(JsonElement e) => e.TryGetProperty("type", out var t) ? t.GetString() : null;

    private static string? NodeOf(JsonElement e) => e.TryGetProperty("node", out var n) ? n.GetString() : null;

    private static int Epoch(JsonElement task)
    {
        string message = task.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        return message.StartsWith("Epoch ", StringComparison.Ordinal)
            ? int.Parse(message[6..message.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<string> StartAsync(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body, GanDashboardApp.Json);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
    }

    private static async Task RunAsync(HttpClient api, string path, object body)
    {
        var task = await GanDashboardApp.WaitForTaskAsync(api, await StartAsync(api, path, body), Long);
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
    }

    private static async Task<JsonElement> WaitUntilAsync(HttpClient api, string taskId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (DateTime.UtcNow < deadline)
        {
            var task = await api.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", GanDashboardApp.Json);
            if (condition(task)) return task;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Task {taskId} did not reach the expected state.");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
