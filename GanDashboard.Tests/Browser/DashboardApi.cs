using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// Set-up through the REST API for the steps a browser test is not about (e.g. seed data before a batch training),
/// so each test spends its time on the flow it checks.
/// </summary>
public sealed class DashboardApi : IDisposable
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromMinutes(3);
    private readonly HttpClient _http;

    /// <summary>Calls the API with <paramref name="apiKey"/> in X-API-Key, as any script would.</summary>
    public DashboardApi(Uri baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
        _http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
    }

    /// <summary>A sample profile under another machine_id (ids are unique, so each test gets its own machines).</summary>
    public static byte[] SampleProfileAs(string sampleId, string machineId)
    {
        var profile = JsonNode.Parse(File.ReadAllText(TestData.SampleProfile(sampleId)))!.AsObject();
        profile["machine_id"] = machineId;
        return Encoding.UTF8.GetBytes(profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public async Task CreateMachineAsync(string sampleId, string machineId)
    {
        using var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(SampleProfileAs(sampleId, machineId)), "file", machineId + ".json");
        using var upload = await _http.PostAsync("/api/gan/profiles/upload", content);
        await EnsureAsync(upload);
        var draft = await upload.Content.ReadFromJsonAsync<JsonElement>();
        using var create = await _http.PostAsJsonAsync("/api/gan/machines", new Dictionary<string, object> { ["draft_id"] = draft.GetProperty("draft_id").GetGuid() });
        await EnsureAsync(create);
    }

    /// <summary>Starts a task with a snake_case body and waits for it to succeed.</summary>
    public async Task RunAsync(string machineId, string step, object body)
    {
        string taskId = await StartAsync(machineId, step, body);
        var task = await WaitAsync(taskId);
        task.GetProperty("status").GetString().Should().Be("SUCCESS", $"the {step} set-up of {machineId} must succeed: {task}");
    }

    public async Task<string> StartAsync(string machineId, string step, object body)
    {
        using var response = await _http.PostAsync($"/api/gan/machines/{machineId}/{step}",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("task_id").GetString()!;
    }

    /// <summary>Starts a batch through the API (snake_case options), as a script or another client would.</summary>
    public async Task<string> StartBatchAsync(string step, IReadOnlyList<string> machineIds, object options)
    {
        using var response = await _http.PostAsync($"/api/gan/batch/{step}", new StringContent(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["machine_ids"] = machineIds, ["options"] = options }), Encoding.UTF8, "application/json"));
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batch_id").GetString()!;
    }

    /// <summary>Waits until a machine has a validation report (a pipeline's last step).</summary>
    public async Task WaitForReportAsync(string machineId)
    {
        var deadline = DateTime.UtcNow + TaskTimeout;
        while (!(await GetAsync($"/api/gan/machines/{machineId}/status")).GetProperty("has_validation").GetBoolean())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{machineId} has no validation report after {TaskTimeout.TotalMinutes} minutes.");
            await Task.Delay(500);
        }
    }

    public async Task<JsonElement> WaitAsync(string taskId)
    {
        var deadline = DateTime.UtcNow + TaskTimeout;
        while (true)
        {
            var task = await _http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}");
            if (task.GetProperty("status").GetString() is "SUCCESS" or "FAILURE" or "CANCELLED" or "INTERRUPTED") return task;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Task {taskId} did not finish: {task}");
            await Task.Delay(250);
        }
    }

    /// <summary>Cancels every unfinished task of a machine (clean-up, so later tests do not queue behind it).</summary>
    public async Task CancelActiveTasksAsync(string machineId)
    {
        // docs/api.md names the filter machine_id, but the endpoint binds machineId; filter here as well to be safe.
        var tasks = await _http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks?machineId={machineId}");
        foreach (var task in tasks.EnumerateArray())
        {
            if (task.GetProperty("machine_id").GetString() != machineId) continue;
            if (task.GetProperty("status").GetString() is not ("PENDING" or "STARTED" or "PAUSED")) continue;
            using var response = await _http.PostAsync($"/api/gan/tasks/{task.GetProperty("task_id").GetString()}/cancel", null);
            await EnsureAsync(response);
        }
    }

    public Task<JsonElement> GetAsync(string path) => _http.GetFromJsonAsync<JsonElement>(path);

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _http.Dispose();
}
