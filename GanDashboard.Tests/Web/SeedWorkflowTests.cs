using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Web;

public class SeedWorkflowTests : IDisposable
{
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public SeedWorkflowTests() : this(TestDatabase.Sqlite) { }

    protected SeedWorkflowTests(TestDatabase database)
    {
        _app = new(database: database);
        _client = _app.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Seeding_runs_as_a_task_streams_events_and_registers_the_dataset()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        var accepted = await _client.PostAsJsonAsync($"/api/gan/machines/{id}/seed", new { samples = 2000, seed = 7 }, GanDashboardApp.Json);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var task = await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        string taskId = task.GetProperty("task_id").GetString()!;
        task.GetProperty("websocket_url").GetString().Should().Be($"/ws/gan/tasks/{taskId}");

        var events = await _app.WatchTaskAsync(taskId, TimeSpan.FromSeconds(60));
        events.Should().NotBeEmpty();
        events[^1].GetProperty("type").GetString().Should().Be("task_completed");
        events[^1].GetProperty("result").GetProperty("samples_generated").GetInt64().Should().BeGreaterThanOrEqualTo(2000);

        var status = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}/status", GanDashboardApp.Json);
        status.GetProperty("has_seed_data").GetBoolean().Should().BeTrue();
        status.GetProperty("next_step").GetString().Should().Be("train");

        var csv = await _client.GetAsync($"/api/gan/machines/{id}/datasets/seed?format=csv");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        string text = await csv.Content.ReadAsStringAsync();
        text.Split('\n')[0].Should().StartWith("run_id,step,timestamp");

        // A late subscriber to a finished task gets its final state at once.
        var replay = await _app.WatchTaskAsync(taskId, TimeSpan.FromSeconds(10));
        replay.Should().ContainSingle().Which.GetProperty("status").GetString().Should().Be("SUCCESS");
    }

    [Fact]
    public async Task Training_without_seed_data_and_downloads_without_data_are_refused_clearly()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "pump_ksb_etanorm_002");
        var download = await _client.GetAsync($"/api/gan/machines/{id}/datasets/train");
        download.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await download.Content.ReadAsStringAsync()).Should().Contain("no train dataset");
        var badSplit = await _client.GetAsync($"/api/gan/machines/{id}/datasets/everything");
        badSplit.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_finished_task_cannot_be_cancelled_and_unknown_tasks_are_404()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        var task = await (await _client.PostAsJsonAsync($"/api/gan/machines/{id}/seed", new { runs = 5 }, GanDashboardApp.Json))
            .Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        string taskId = task.GetProperty("task_id").GetString()!;
        (await GanDashboardApp.WaitForTaskAsync(_client, taskId, TimeSpan.FromSeconds(60))).GetProperty("status").GetString().Should().Be("SUCCESS");

        (await _client.PostAsync($"/api/gan/tasks/{taskId}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _client.GetAsync("/api/gan/tasks/nope")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.PostAsync("/api/gan/tasks/nope/retry", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_and_statistics_answer()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/api/gan/health", GanDashboardApp.Json);
        health.GetProperty("status").GetString().Should().Be("healthy");
        (await _client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.OK);
        var stats = await _client.GetFromJsonAsync<JsonElement>("/api/gan/statistics", GanDashboardApp.Json);
        stats.GetProperty("model_cache").GetProperty("capacity").GetInt32().Should().Be(5);
    }

    [Fact]
    public async Task A_configured_api_key_is_required()
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { ["GanDashboard:Api:ApiKey"] = "s3cret", [GanDashboardApp.AuthModeKey] = "local" }, database: _app.Database.Another());
        using var client = app.CreateClient();
        (await client.GetAsync("/api/gan/machines")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Add("X-API-Key", "s3cret");
        (await client.GetAsync("/api/gan/machines")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
