using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench pipeline (--server WEB_DLL | --url URL) --profile FILE [--runs N] [--epochs N] [--unseen-runs N] [--timeout-minutes 30] [--json]</c>:
/// what a user gets from "Run full pipeline" with every default (or with the seed runs, epochs and unseen runs given,
/// for a quick look). It creates a machine from the profile (a fresh one: an existing machine of that
/// id is refused), starts the pipeline with an empty request (the dashboard's defaults: seed runs, epochs,
/// generated rows, unseen runs), waits for it and prints the wall time, the report's verdict and each gate with the
/// runs it rests on. Exits 0 when the verdict is <c>passed</c>, 1 otherwise, so a script can loop over profiles.
/// </summary>
public static class BenchPipelineCommand
{
    private static JsonSerializerOptions Json => BenchApiCommand.Json;

    public static async Task<int> RunAsync(CommandArgs args)
    {
        string? serverDll = args.Get("server");
        if (serverDll is not null && args.Get("url") is not null) throw new UsageException("Give --server (start that build) or --url (use a running dashboard), not both.");
        string profile = args.Get("profile") ?? throw new UsageException("--profile FILE is required (a machine profile, JSON or YAML).");
        if (!File.Exists(profile)) throw new UsageException($"No profile at {profile}; pass --profile FILE.");
        int timeoutMinutes = args.GetInt("timeout-minutes", 30);
        if (timeoutMinutes is < 1 or > 600) throw new UsageException("--timeout-minutes takes 1-600.");
        // Only what is given goes into the request: the rest stays the dashboard's default.
        var request = new Dictionary<string, object>();
        if (args.Get("runs") is not null) request["seed"] = new { runs = Positive(args, "runs") };
        if (args.Get("epochs") is not null) request["train"] = new { epochs = Positive(args, "epochs") };
        if (args.Get("unseen-runs") is not null) request["validate"] = new { unseen_runs = Positive(args, "unseen-runs") };

        await using var server = serverDll is null ? null : await BenchServer.StartAsync(serverDll, args.Get("api-key"));
        var url = server?.Url ?? new Uri(args.Get("url") ?? "http://127.0.0.1:5000");
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        // A server started here has sign-in on and hands over an operator's key made in its store.
        if ((args.Get("api-key") ?? server?.ApiKey) is { } key) http.DefaultRequestHeaders.Add("X-API-Key", key);

        string machineId = await CreateMachineAsync(http, profile);
        var clock = Stopwatch.StartNew();
        var started = await PostAsync(http, $"/api/gan/machines/{machineId}/pipeline", request);
        string taskId = started.GetProperty("task_id").GetString()!;
        var task = await WaitAsync(http, taskId, TimeSpan.FromMinutes(timeoutMinutes));
        double seconds = clock.Elapsed.TotalSeconds;
        string status = task.GetProperty("status").GetString()!;
        if (status != "SUCCESS")
            throw new InvalidDataException($"The pipeline for {machineId} ended {status} after {seconds:F0} s: {task}");

        var report = await http.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{machineId}/validate", Json);
        string verdict = report.GetProperty("verdict").GetString()!;
        if (args.Has("json"))
        {
            args.Output.WriteLine(JsonSerializer.Serialize(new { profile, machine_id = machineId, seconds = Math.Round(seconds, 1), verdict, report }, Json));
        }
        else
        {
            args.Output.WriteLine($"{Path.GetFileName(profile)}: machine {machineId}, pipeline {seconds:F0} s, verdict {verdict}");
            if (report.TryGetProperty("data", out var data))
                args.Output.WriteLine($"  data: {data}");
            foreach (var section in report.GetProperty("sections").EnumerateArray())
            {
                string score = section.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble().ToString("F3") : "-";
                string basis = section.TryGetProperty("basis", out var b) && b.ValueKind == JsonValueKind.String ? $" [{b.GetString()}]" : "";
                args.Output.WriteLine($"  {section.GetProperty("name").GetString(),-13} {section.GetProperty("status").GetString(),-10} {score,7}  {section.GetProperty("summary").GetString()}{basis}");
            }
        }
        return verdict == "passed" ? 0 : 1;
    }

    private static int Positive(CommandArgs args, string name)
    {
        int value = args.GetInt(name, 0);
        return value >= 1 ? value : throw new UsageException($"--{name} takes a whole number of at least 1.");
    }

    private static async Task<string> CreateMachineAsync(HttpClient http, string profilePath)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(profilePath)), "file", Path.GetFileName(profilePath) } };
        var uploaded = await http.PostAsync("/api/gan/profiles/upload", form);
        var draft = await uploaded.Content.ReadFromJsonAsync<JsonElement>(Json);
        if (!uploaded.IsSuccessStatusCode || !draft.TryGetProperty("draft_id", out var draftId))
            throw new InvalidDataException($"The dashboard refused the profile {profilePath}: {draft}");
        string machineId = draft.GetProperty("machine_id").GetString()!;
        // A fresh machine every run, so a benchmark never starts from an earlier run's seed data or model.
        if ((await http.GetAsync($"/api/gan/machines/{machineId}")).IsSuccessStatusCode)
            throw new UsageException($"Machine {machineId} already exists on {http.BaseAddress}: delete it first, or use --server for a fresh dashboard.");
        await PostAsync(http, "/api/gan/machines", new { draft_id = draftId.GetGuid() });
        return machineId;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body, Json);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidDataException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> WaitAsync(HttpClient http, string taskId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var task = await http.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", Json);
            if (task.GetProperty("status").GetString() is "SUCCESS" or "FAILURE" or "CANCELLED" or "INTERRUPTED") return task;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"The pipeline task {taskId} did not finish in {timeout.TotalMinutes:F0} minutes; pass a larger --timeout-minutes.");
    }
}
