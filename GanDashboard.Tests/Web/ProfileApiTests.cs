using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Web;

public class ProfileApiTests : IDisposable
{
    private readonly GanDashboardApp _app;
    private readonly HttpClient _client;

    public ProfileApiTests() : this(TestDatabase.Sqlite) { }

    protected ProfileApiTests(TestDatabase database)
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

    private static MultipartFormDataContent FileForm(byte[] bytes, string name)
    {
        var content = new MultipartFormDataContent();
        content.Add(new ByteArrayContent(bytes), "file", name);
        return content;
    }

    [Fact]
    public async Task A_valid_upload_becomes_a_draft_then_a_machine_that_is_listed()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "pump_ksb_etanorm_002");

        var machines = await _client.GetFromJsonAsync<JsonElement>("/api/gan/machines", GanDashboardApp.Json);
        machines.EnumerateArray().Select(m => m.GetProperty("machine_id").GetString()).Should().Equal(id);
        var machine = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}", GanDashboardApp.Json);
        machine.GetProperty("sensor_count").GetInt32().Should().Be(11);
        Directory.Exists(Path.Combine(_app.DataDirectory, "machines", id)).Should().BeTrue();
        // SQLite keeps the database in the data directory; PostgreSQL keeps it on the server, never as a file there.
        File.Exists(Path.Combine(_app.DataDirectory, "gandashboard.db")).Should().Be(!_app.Database.IsPostgres);
    }

    [Fact]
    public async Task A_draft_with_errors_is_refused_as_a_machine_then_fixed_in_the_editor()
    {
        var profile = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await File.ReadAllTextAsync(TestData.SampleProfile("motor_siemens_1la7_001")))!;
        profile["machine_id"] = JsonSerializer.SerializeToElement("Motor 1");
        var upload = await _client.PostAsync("/api/gan/profiles/upload", FileForm(JsonSerializer.SerializeToUtf8Bytes(profile), "motor.json"));
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var draft = await upload.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
        draft.GetProperty("valid").GetBoolean().Should().BeFalse();
        draft.GetProperty("errors").EnumerateArray().Should().Contain(e => e.GetProperty("path").GetString() == "machine_id");
        Guid draftId = draft.GetProperty("draft_id").GetGuid();

        var refused = await _client.PostAsJsonAsync("/api/gan/machines", new { draft_id = draftId }, GanDashboardApp.Json);
        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("machine_id");

        profile["machine_id"] = JsonSerializer.SerializeToElement("motor_siemens_1la7_001");
        var edited = await _client.PutAsync($"/api/gan/profiles/{draftId}/edit",
            new StringContent(JsonSerializer.Serialize(profile), Encoding.UTF8, "application/json"));
        edited.StatusCode.Should().Be(HttpStatusCode.OK);
        (await edited.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("valid").GetBoolean().Should().BeTrue();

        var created = await _client.PostAsJsonAsync("/api/gan/machines", new { draft_id = draftId }, GanDashboardApp.Json);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var again = await _client.PostAsJsonAsync("/api/gan/machines", new { profile = profile }, GanDashboardApp.Json);
        again.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the machine id is taken now");
    }

    [Fact]
    public async Task Unreadable_and_oversized_uploads_get_problem_details_and_store_nothing()
    {
        var garbage = await _client.PostAsync("/api/gan/profiles/upload", FileForm("{ not json"u8.ToArray(), "x.json"));
        garbage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        garbage.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        var wrongExtension = await _client.PostAsync("/api/gan/profiles/upload", FileForm("{}"u8.ToArray(), "x.txt"));
        wrongExtension.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var huge = await _client.PostAsync("/api/gan/profiles/upload", FileForm(new byte[6 * 1024 * 1024], "big.json"));
        huge.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        (await _client.GetFromJsonAsync<JsonElement>("/api/gan/machines", GanDashboardApp.Json)).GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("..%2Fetc")]
    [InlineData("Bad-Id")]
    public async Task Machine_ids_that_could_escape_a_folder_are_rejected(string id)
    {
        var response = await _client.GetAsync($"/api/gan/machines/{id}/status");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_machines_are_404()
    {
        (await _client.GetAsync("/api/gan/machines/pump_nobody_001")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.DeleteAsync("/api/gan/machines/pump_nobody_001")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_excel_template_downloads_and_parses_as_a_valid_profile()
    {
        var response = await _client.GetAsync("/api/gan/profiles/template");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        var parsed = GanDashboard.Core.Profiles.ProfileParser.Parse(bytes, "template.xlsx");
        parsed.Validate().IsValid.Should().BeTrue();

        var upload = await _client.PostAsync("/api/gan/profiles/upload", FileForm(bytes, "template.xlsx"));
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        (await upload.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("source_format").GetString().Should().Be("Xlsx");
    }
}
