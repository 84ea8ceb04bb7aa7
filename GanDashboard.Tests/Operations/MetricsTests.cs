using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Operations;

/// <summary>/metrics during a real (tiny) training: every metric the issue asks for, with live values.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private const string MachineId = "pump_ksb_etanorm_002";

    [Fact]
    public async Task Metrics_scraped_during_a_training_show_requests_tasks_queue_epochs_cache_database_and_runtime()
    {
        using var app = new GanDashboardApp();
        using var client = app.CreateClient();
        await app.CreateSampleMachineAsync(client, MachineId);
        await RunAsync(client, "seed", new { samples = 600, runs = 3, seed = 5 });

        var accepted = await client.PostAsJsonAsync($"/api/gan/machines/{MachineId}/train", new { epochs = 60, batch_size = 200, mode = "plain", early_stopping_patience = 1000 }, GanDashboardApp.Json);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        string taskId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;

        // Scrape until a scrape shows epochs while the task is still running (the task's own row is asked right after).
        string? during = null;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (during is null && DateTime.UtcNow < deadline)
        {
            string text = await client.GetStringAsync("/metrics");
            var task = await client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", GanDashboardApp.Json);
            string status = task.GetProperty("status").GetString()!;
            if (Value(text, "gandashboard_training_epochs_total") > 0 && status == "STARTED") during = text;
            else if (status is not ("PENDING" or "STARTED")) break;
            else await Task.Delay(150);
        }
        during.Should().NotBeNull("a scrape during the training counts its epochs");
        during.Should().Contain("http_server_request_duration_seconds_bucket", "ASP.NET Core's request latencies")
            .And.MatchRegex(@"gandashboard_tasks\{[^}]*kind=""seed""[^}]*state=""SUCCESS""[^}]*\} 1", "tasks by kind and state")
            .And.MatchRegex(@"gandashboard_tasks_queued(\{[^}]*\})? \d", "the queue length")
            .And.Contain("gandashboard_db_command_duration_seconds_bucket", "database latency")
            .And.Contain("dotnet_gc_", "runtime metrics");
        Value(during!, "gandashboard_db_command_duration_seconds_count").Should().BeGreaterThan(0);
        // The task gauges share one cached snapshot (a few seconds old at most): the queue is its PENDING tasks.
        Value(during!, "gandashboard_tasks_queued").Should().Be(PendingTasks(during!));

        var done = await GanDashboardApp.WaitForTaskAsync(client, taskId, TimeSpan.FromMinutes(2));
        done.GetProperty("status").GetString().Should().Be("SUCCESS");
        await RunAsync(client, "generate", new { train_samples = 200, val_samples = 50, test_samples = 50, seed = 3 });
        await RunAsync(client, "generate", new { train_samples = 200, val_samples = 50, test_samples = 50, seed = 4 });

        string after = await client.GetStringAsync("/metrics");
        Value(after, "gandashboard_training_epochs_total").Should().BeGreaterThanOrEqualTo(Value(during!, "gandashboard_training_epochs_total"));
        Value(after, "gandashboard_model_cache_misses_total").Should().BeGreaterThan(0, "the first generation loads the model");
        Value(after, "gandashboard_model_cache_hits_total").Should().BeGreaterThan(0, "the second finds it loaded");
    }

    [Fact]
    public async Task Metrics_can_be_turned_off()
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { ["GanDashboard:Metrics:Enabled"] = "false" });
        using var client = app.CreateClient();
        var response = await client.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("gandashboard_");
    }

    private static async Task RunAsync(HttpClient client, string step, object body)
    {
        var accepted = await client.PostAsJsonAsync($"/api/gan/machines/{MachineId}/{step}", body, GanDashboardApp.Json);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        string taskId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        var task = await GanDashboardApp.WaitForTaskAsync(client, taskId, TimeSpan.FromMinutes(2));
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
    }

    /// <summary>The sum of a metric's series in Prometheus' text format (0 when absent).</summary>
    private static double PendingTasks(string text) => Regex.Matches(text, @"^gandashboard_tasks\{[^}]*state=""PENDING""[^}]*\} (\S+)", RegexOptions.Multiline)
        .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static double Value(string text, string name) => Regex.Matches(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
        .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}

/// <summary>
/// The metrics tests run alone, after the parallel ones. OpenTelemetry treats every Meter named GanDashboard in the process
/// as one stream, and another test's host disposing its meter mid-scrape would switch that stream off for this host too
/// (open-telemetry/opentelemetry-dotnet#6412); one host per process, as in production, never meets this.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
