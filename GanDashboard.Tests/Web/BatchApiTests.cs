using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Web;

public class BatchApiTests : IDisposable
{
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public BatchApiTests() : this(TestDatabase.Sqlite) { }

    protected BatchApiTests(TestDatabase database)
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
    public async Task A_batch_starts_one_task_per_machine_and_reports_the_machines_it_could_not_start()
    {
        string a = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        string b = await _app.CreateSampleMachineAsync(_client, "pump_ksb_etanorm_002");

        var seeded = await _client.PostAsJsonAsync("/api/gan/batch/seed",
            new { machine_ids = new[] { a, b, "fan_nobody_001", "../etc" }, options = new { runs = 4 } }, GanDashboardApp.Json);
        seeded.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var batch = await seeded.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        string batchId = batch.GetProperty("batch_id").GetString()!;
        var tasks = batch.GetProperty("tasks").EnumerateArray().ToList();
        tasks.Select(t => t.GetProperty("machine_id").GetString()).Should().BeEquivalentTo([a, b]);
        batch.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("machine_id").GetString()).Should().BeEquivalentTo(["fan_nobody_001", "../etc"]);
        foreach (var t in tasks)
            (await GanDashboardApp.WaitForTaskAsync(_client, t.GetProperty("task_id").GetString()!, TimeSpan.FromMinutes(2)))
                .GetProperty("status").GetString().Should().Be("SUCCESS");

        var listed = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks?batch_id={batchId}", GanDashboardApp.Json);
        listed.GetArrayLength().Should().Be(2);

        // Generation needs a model: the batch refuses both machines with the reason and starts nothing.
        var generate = await _client.PostAsJsonAsync("/api/gan/batch/generate", new { machine_ids = new[] { a, b } }, GanDashboardApp.Json);
        var refused = await generate.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        refused.GetProperty("tasks").GetArrayLength().Should().Be(0);
        refused.GetProperty("rejected").EnumerateArray().Should().OnlyContain(r => r.GetProperty("reason").GetString()!.Contains("no trained model"));

        (await _client.PostAsJsonAsync("/api/gan/batch/train", new { machine_ids = Array.Empty<string>() }, GanDashboardApp.Json))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
