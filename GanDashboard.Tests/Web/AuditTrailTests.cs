using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Storage;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Web;

/// <summary>The audit trail through the API: what the filter records, the query and CSV routes. Runs on SQLite and PostgreSQL.</summary>
public class AuditTrailTests : IDisposable
{
    private const string ApiKey = "audit-test-key-that-must-never-be-stored";
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public AuditTrailTests() : this(TestDatabase.Sqlite) { }

    protected AuditTrailTests(TestDatabase database)
    {
        _app = new(new Dictionary<string, string?> { ["GanDashboard:Api:ApiKey"] = ApiKey }, database: database);
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<List<JsonElement>> EntriesAsync(string query = "")
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/gan/audit" + query, GanDashboardApp.Json);
        return page.GetProperty("entries").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Every_state_changing_api_call_is_recorded_with_its_target_and_outcome_and_reads_are_not()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        (await _client.PostAsJsonAsync($"/api/gan/machines/{id}/train", new { epochs = 2 }, GanDashboardApp.Json)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var seed = await _client.PostAsJsonAsync($"/api/gan/machines/{id}/seed", new { samples = 300, runs = 2, seed = 3 }, GanDashboardApp.Json);
        seed.StatusCode.Should().Be(HttpStatusCode.Accepted);
        string taskId = (await seed.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        await GanDashboardApp.WaitForTaskAsync(_client, taskId, TimeSpan.FromSeconds(60));
        (await _client.DeleteAsync("/api/gan/machines/no_such_machine")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync("/api/gan/machines")).EnsureSuccessStatusCode();

        var entries = await EntriesAsync();
        // Newest first: delete, seed, refused train, create, upload; the reads (list, task polling) left nothing.
        entries.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target_kind").GetString(), e.GetProperty("target_id").GetString(), e.GetProperty("outcome").GetString()))
            .Should().Equal(
                ("deleted", "machine", "no_such_machine", "failed 404"),
                ("started", "machine", id, "succeeded"),
                ("started", "machine", id, "failed 409"),
                ("created", "machine", id, "succeeded"),
                ("uploaded", "profile_draft", entries[4].GetProperty("target_id").GetString(), "succeeded"));
        Guid.TryParse(entries[4].GetProperty("target_id").GetString(), out _).Should().BeTrue("the upload's target is the new draft");
        entries[4].GetProperty("detail").GetString().Should().Contain("file cnc_haas_vf2_004.json");
        entries[1].GetProperty("detail").GetString().Should().Contain("seed").And.Contain($"task {taskId}");
        entries[2].GetProperty("detail").GetString().Should().Contain("train").And.Contain("seed data", "a refusal keeps the reason given to the caller");
        // The configured compatibility key acts as the admin "api-key"; the entries name the key by id, never by value.
        entries.Should().OnlyContain(e => e.GetProperty("actor").GetString() == "api-key" && e.GetProperty("api_key_id").GetString() == "configured");

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent("run_id,cycle,s1\n1,1,0.5\n1,2,0.6\n"u8.ToArray()), "file", "my_runs.csv");
            await _client.PostAsync("/api/gan/imports", form);
        }
        var import = (await EntriesAsync("?target=import")).Single();
        import.GetProperty("action").GetString().Should().Be("uploaded");
        import.GetProperty("detail").GetString().Should().Contain("file my_runs.csv");

        // Never secrets: the API key the requests carried, and the uploaded file's content, are nowhere in the table.
        string csv = await _client.GetStringAsync("/api/gan/audit.csv");
        csv.Should().NotContain(ApiKey).And.NotContain("\"sensors\"").And.NotContain("run_id,cycle");
    }

    [Fact]
    public async Task The_audit_api_filters_by_actor_action_target_and_time_and_pages_newest_first()
    {
        var trail = _app.Services.GetRequiredService<AuditTrail>();
        var alice = new AuditActor("alice", "operator", null, "10.0.0.1");
        var bob = new AuditActor("bob", "admin", "key42", "10.0.0.2");
        await trail.RecordAsync(alice, AuditActions.Started, "machine", "m1", "train", AuditOutcomes.Succeeded);
        await trail.RecordAsync(alice, AuditActions.Cancelled, "task", "t1", null, AuditOutcomes.Succeeded);
        await trail.RecordAsync(bob, AuditActions.Deleted, "machine", "m1", null, AuditOutcomes.Succeeded);
        await trail.RecordSignInAsync("carol", false, "10.0.0.3", null);

        (await EntriesAsync("?actor=alice")).Select(e => e.GetProperty("action").GetString()).Should().Equal("cancelled", "started");
        (await EntriesAsync("?action=deleted")).Single().GetProperty("api_key_id").GetString().Should().Be("key42");
        (await EntriesAsync("?target=m1")).Should().HaveCount(2);
        (await EntriesAsync("?target=task")).Single().GetProperty("target_id").GetString().Should().Be("t1");
        var failed = (await EntriesAsync("?action=sign_in_failed")).Single();
        failed.GetProperty("actor").GetString().Should().Be("carol");
        failed.GetProperty("outcome").GetString().Should().Be("refused");
        (await EntriesAsync($"?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}")).Should().BeEmpty();
        (await EntriesAsync($"?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"))}")).Should().BeEmpty();
        (await EntriesAsync($"?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"))}&actor=bob")).Should().ContainSingle();

        var page = await _client.GetFromJsonAsync<JsonElement>("/api/gan/audit?page=2&page_size=3", GanDashboardApp.Json);
        page.GetProperty("total").GetInt32().Should().Be(4);
        page.GetProperty("entries").EnumerateArray().Single().GetProperty("actor").GetString().Should().Be("alice", "the oldest entry is last");
    }

    [Fact]
    public async Task The_csv_export_quotes_commas_quotes_and_line_breaks_and_defuses_formulas()
    {
        var trail = _app.Services.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(new AuditActor("dave", null, null, null), AuditActions.Changed, "machine", "=cmd|' /C calc'!A0", "said \"hi\", then\nleft", AuditOutcomes.Succeeded);

        var response = await _client.GetAsync("/api/gan/audit.csv?actor=dave");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("audit-");
        string csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("time,actor,role,api_key_id,action,target_kind,target_id,detail,client_address,outcome");
        lines.Should().HaveCount(2);
        lines[1].Should().EndWith(",dave,,,changed,machine,'=cmd|' /C calc'!A0,\"said \"\"hi\"\", then\nleft\",,succeeded");
    }
}
