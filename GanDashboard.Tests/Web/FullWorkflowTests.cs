using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Web;

/// <summary>The whole workflow through the API and the WebSocket, on the real host with tiny epoch counts.</summary>
public class FullWorkflowTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public FullWorkflowTests() : this(TestDatabase.Sqlite) { }

    protected FullWorkflowTests(TestDatabase database)
    {
        _app = new(new Dictionary<string, string?> { ["GanDashboard:Training:Threads"] = "1" }, database: database);
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<string> StartAsync(string path, object body)
    {
        var response = await _client.PostAsJsonAsync(path, body, GanDashboardApp.Json);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
    }

    private async Task RunAsync(string path, object body)
    {
        string taskId = await StartAsync(path, body);
        var task = await GanDashboardApp.WaitForTaskAsync(_client, taskId, Long);
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
    }

    [Fact]
    public async Task Seed_train_generate_validate_and_download()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        (await _client.PostAsJsonAsync($"/api/gan/machines/{id}/generate", new { }, GanDashboardApp.Json)).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "generation needs a trained model");
        (await _client.PostAsJsonAsync($"/api/gan/machines/{id}/train", new { }, GanDashboardApp.Json)).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "training needs seed data");

        await RunAsync($"/api/gan/machines/{id}/seed", new { runs = 25, seed = 3 });

        var train = await _client.PostAsJsonAsync($"/api/gan/machines/{id}/train", new { epochs = 4, batch_size = 200 }, GanDashboardApp.Json);
        train.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var training = await train.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        string trainTask = training.GetProperty("task_id").GetString()!;
        training.GetProperty("websocket_url").GetString().Should().Be($"/ws/gan/training/{trainTask}");
        var events = await _app.WatchTaskAsync(trainTask, Long, "training");
        var epochs = events.Where(e => e.GetProperty("type").GetString() == "training_progress").ToList();
        epochs.Should().NotBeEmpty();
        epochs[^1].GetProperty("epoch").GetInt32().Should().Be(4);
        epochs[^1].GetProperty("total_epochs").GetInt32().Should().Be(4);
        epochs[^1].TryGetProperty("val_loss", out _).Should().BeTrue();
        events[^1].GetProperty("type").GetString().Should().Be("task_completed");

        var trained = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}/status", GanDashboardApp.Json);
        trained.GetProperty("model").GetProperty("mode").GetString().Should().Be("run_aware", "seed data made of runs trains run-aware by default");
        (await _client.PostAsync($"/api/gan/tasks/{trainTask}/pause", null)).StatusCode.Should().Be(HttpStatusCode.Conflict, "the training has ended");

        // A negative minimum of train runs is refused with the fix, and nothing is generated.
        var refusedRuns = await GanDashboardApp.WaitForTaskAsync(_client,
            await StartAsync($"/api/gan/machines/{id}/generate", new { train_samples = 600, val_samples = 200, test_samples = 200, train_runs = -1 }), Long);
        refusedRuns.GetProperty("status").GetString().Should().Be("FAILURE");
        refusedRuns.ToString().Should().Contain("train_runs must be between 0 and 100,000");
        await RunAsync($"/api/gan/machines/{id}/generate", new { train_samples = 600, val_samples = 200, test_samples = 200, seed = 5 });
        await RunAsync($"/api/gan/machines/{id}/validate", new { usefulness = false });

        var report = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}/validate", GanDashboardApp.Json);
        report.GetProperty("overall").GetDouble().Should().BeInRange(0, 1);
        report.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Contain(["fidelity", "physics"]);

        var status = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}/status", GanDashboardApp.Json);
        status.GetProperty("next_step").GetString().Should().Be("done");
        status.GetProperty("latest_generation").GetProperty("splits").GetArrayLength().Should().Be(3);

        var parquet = await _client.GetAsync($"/api/gan/machines/{id}/datasets/train");
        parquet.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var folder = TestData.NewTempFolder())
        {
            string file = folder.File("train.parquet");
            await File.WriteAllBytesAsync(file, await parquet.Content.ReadAsByteArrayAsync());
            var table = await GanDashboard.Core.Tables.TableFile.ReadAsync(file);
            table.RowCount.Should().BeGreaterThanOrEqualTo(600, "each split has at least the requested rows, in whole runs");
            int seedRuns = status.GetProperty("seed_data").GetProperty("runs").GetInt32();
            table["run_id"].Numbers!.Distinct().Count().Should().BeGreaterThanOrEqualTo(seedRuns,
                "by default the train split has as many runs as the seed data the model learned from, past the rows asked for");
            var rul = table["rul"].Numbers!;
            var runIds = table["run_id"].Numbers!;
            for (int i = 0; i < table.RowCount; i++)
            {
                bool lastOfRun = i == table.RowCount - 1 || runIds[i + 1] != runIds[i];
                if (lastOfRun) rul[i].Should().Be(0, "every synthetic run ends at failure");
            }
        }
        var model = await _client.GetAsync($"/api/gan/machines/{id}/model");
        model.StatusCode.Should().Be(HttpStatusCode.OK);
        (await model.Content.ReadAsByteArrayAsync()).Take(2).Should().Equal((byte)'P', (byte)'K');
    }

    [Fact]
    public async Task Trainings_queue_behind_the_concurrency_limit_and_can_be_cancelled_paused_and_resumed()
    {
        string a = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        string b = await _app.CreateSampleMachineAsync(_client, "pump_ksb_etanorm_002");
        await RunAsync($"/api/gan/machines/{a}/seed", new { runs = 20 });
        await RunAsync($"/api/gan/machines/{b}/seed", new { runs = 6 });

        string first = await StartAsync($"/api/gan/machines/{a}/train", new { epochs = 2000, batch_size = 100, checkpoint_every = 1, mode = "plain" });
        string second = await StartAsync($"/api/gan/machines/{b}/train", new { epochs = 3, batch_size = 200, mode = "plain" });
        var waiting = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{second}", GanDashboardApp.Json);
        waiting.GetProperty("status").GetString().Should().Be("PENDING", "one training runs at a time");
        waiting.GetProperty("queue_position").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        (await _client.PostAsJsonAsync($"/api/gan/machines/{a}/train", new { }, GanDashboardApp.Json)).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "a machine trains once at a time");
        (await _client.DeleteAsync($"/api/gan/machines/{a}")).StatusCode.Should().Be(HttpStatusCode.Conflict, "its training is running");

        await WaitForEpochAsync(first, 2);
        (await _client.PostAsync($"/api/gan/tasks/{first}/pause", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var paused = await GanDashboardApp.WaitForTaskAsync(_client, first, Long);
        paused.GetProperty("status").GetString().Should().Be("PAUSED");

        // The queued training gets the slot once the first one stops.
        (await GanDashboardApp.WaitForTaskAsync(_client, second, Long)).GetProperty("status").GetString().Should().Be("SUCCESS");

        (await _client.PostAsync($"/api/gan/tasks/{first}/resume", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await WaitForEpochAsync(first, 4);
        (await _client.PostAsync($"/api/gan/tasks/{first}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var cancelled = await GanDashboardApp.WaitForTaskAsync(_client, first, Long);
        cancelled.GetProperty("status").GetString().Should().Be("CANCELLED");

        var retried = await _client.PostAsync($"/api/gan/tasks/{first}/retry", null);
        retried.StatusCode.Should().Be(HttpStatusCode.OK);
        string retry = (await retried.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        retry.Should().NotBe(first);
        await _client.PostAsync($"/api/gan/tasks/{retry}/cancel", null);
        (await GanDashboardApp.WaitForTaskAsync(_client, retry, Long)).GetProperty("status").GetString().Should().Be("CANCELLED");
        (await _client.DeleteAsync($"/api/gan/machines/{a}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    private async Task WaitForEpochAsync(string taskId, int epoch)
    {
        var deadline = DateTime.UtcNow + Long;
        while (DateTime.UtcNow < deadline)
        {
            var task = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", GanDashboardApp.Json);
            string message = task.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            if (message.StartsWith("Epoch ", StringComparison.Ordinal) && int.Parse(message[6..message.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) >= epoch) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Task {taskId} did not reach epoch {epoch}.");
    }
}
