using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using GanDashboard.Core.Import;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.RunTable;
using GanDashboard.Tests.Support;
using Xunit;

namespace GanDashboard.Tests.Web;

/// <summary>A user's own runs through the API: import, train (run-table TVAE, units held out), generate whole runs with the file's columns, judge on the held-out units.</summary>
public class ImportedWorkflowTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public ImportedWorkflowTests() : this(TestDatabase.Sqlite) { }

    protected ImportedWorkflowTests(TestDatabase database)
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

    private async Task<JsonElement> RunAsync(string path, object? body)
    {
        var response = body is null ? await _client.PostAsync(path, null) : await _client.PostAsJsonAsync(path, body, GanDashboardApp.Json);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        string taskId = (await response.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        var task = await GanDashboardApp.WaitForTaskAsync(_client, taskId, Long);
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
        return task;
    }

    [Fact]
    public async Task Imported_runs_train_generate_and_are_judged_on_units_the_model_never_saw()
    {
        // The user's file: the fleet's own columns only (no run_id, step or RUL: the import adds them).
        using var folder = TestData.NewTempFolder();
        string csv = folder.File("line_three_fans.csv");
        await TableFile.WriteAsync(RunTables.Fleet(24, withLabels: false).Seed.Without(ImportedColumns.Added), csv);
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(csv)), "file", "line_three_fans.csv" } };
        var upload = await _client.PostAsync("/api/gan/imports", form);
        upload.StatusCode.Should().Be(HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var view = await upload.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        view.GetProperty("mapping").GetProperty("run_id_column").GetString().Should().Be("Unit");
        string importId = view.GetProperty("import_id").GetString()!;
        await RunAsync($"/api/gan/imports/{importId}/confirm", null);
        const string machine = "line_three_fans"; // the file's name made snake_case

        // Its seed data is the real runs: simulating seed data for it is refused with the fix, and nothing is added.
        var seeding = await _client.PostAsJsonAsync($"/api/gan/machines/{machine}/seed", new { runs = 10 }, GanDashboardApp.Json);
        string seedTask = (await seeding.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        var refused = await GanDashboardApp.WaitForTaskAsync(_client, seedTask, Long);
        refused.GetProperty("status").GetString().Should().Be("FAILURE");
        refused.ToString().Should().Contain("was imported").And.Contain("append");
        (await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{machine}/status", GanDashboardApp.Json))
            .GetProperty("seed_data").GetProperty("runs").GetInt32().Should().Be(24, "the imported runs are still the seed data");

        await RunAsync($"/api/gan/machines/{machine}/train", new { epochs = 5, batch_size = 200 });
        await RunAsync($"/api/gan/machines/{machine}/generate", new { train_samples = 1500, val_samples = 300, test_samples = 300, seed = 5 });
        await RunAsync($"/api/gan/machines/{machine}/validate", new { usefulness = true });

        var train = await _client.GetAsync($"/api/gan/machines/{machine}/datasets/train?format=csv");
        train.StatusCode.Should().Be(HttpStatusCode.OK);
        string header = (await train.Content.ReadAsStringAsync()).Split('\n')[0].Trim();
        header.Should().StartWith("run_id,step,Cycle").And.Contain("Temperature").And.EndWith("rul,rul_capped");
        header.Should().NotContain("Unit", "the original run id column is left out of generated runs");

        var report = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{machine}/validate", GanDashboardApp.Json);
        report.GetRawText().Should().Contain("10 real units held out of training");
        report.GetProperty("overall").GetDouble().Should().BeInRange(0.5, 1);
        report.GetProperty("verdict").GetString().Should().Be("not_judged", "10 unseen units are fewer than the 30 a usefulness verdict needs");
    }
}
