using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Tests.Support;
using Npgsql;

namespace GanDashboard.Tests.Cluster;

/// <summary><c>db copy</c>: a single-node SQLite install moves into PostgreSQL with its history, and the app on PostgreSQL reads it.</summary>
public sealed class DbCopyCommandTests : IDisposable
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new() { ["db copy"] = DbCopyCommand.RunAsync };
    private readonly TempFolder _data = new();
    private readonly TestDatabase _database = TestPostgres.CreateDatabase();

    public void Dispose()
    {
        _database.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Every_table_of_a_sqlite_store_is_copied_with_matching_row_counts_and_the_app_on_postgres_serves_it()
    {
        string seedTask;
        using (var sqlite = new GanDashboardApp(dataDirectory: _data.FullPath))
        {
            using var client = sqlite.CreateClient();
            string id = await sqlite.CreateSampleMachineAsync(client, "pump_ksb_etanorm_002");
            var seed = await (await client.PostAsJsonAsync($"/api/gan/machines/{id}/seed", new { runs = 4 }, GanDashboardApp.Json))
                .Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
            seedTask = seed.GetProperty("task_id").GetString()!;
            (await GanDashboardApp.WaitForTaskAsync(client, seedTask, TimeSpan.FromMinutes(2))).GetProperty("status").GetString().Should().Be("SUCCESS");
        }
        using (var empty = new GanDashboardApp(provider: GanDashboardApp.Postgres, database: _database))
            empty.CreateClient().Dispose();   // starting once creates the schema

        var (code, output, error) = await RunAsync("db", "copy", "--sqlite", Path.Combine(_data.FullPath, "gandashboard.db"), "--postgres", _database.ConnectionString, "--json");
        code.Should().Be(ExitCodes.Ok, error);
        var tables = JsonSerializer.Deserialize<JsonElement>(output).GetProperty("tables").EnumerateArray().ToList();
        tables.Select(t => t.GetProperty("table").GetString()).Should().Contain(["machine_profiles", "profile_drafts", "synthetic_datasets", "training_tasks"]);
        tables.Should().OnlyContain(t => t.GetProperty("sqlite_rows").GetInt64() == t.GetProperty("postgres_rows").GetInt64());
        tables.Single(t => t.GetProperty("table").GetString() == "training_tasks").GetProperty("postgres_rows").GetInt64().Should().Be(1);

        var again = await RunAsync("db", "copy", "--sqlite", Path.Combine(_data.FullPath, "gandashboard.db"), "--postgres", _database.ConnectionString);
        again.Code.Should().Be(ExitCodes.Invalid);
        again.Error.Should().Contain("copy into an empty database");

        using var postgres = new GanDashboardApp(dataDirectory: _data.FullPath, provider: GanDashboardApp.Postgres, database: _database);
        using var api = postgres.CreateClient();
        var task = await api.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{seedTask}", GanDashboardApp.Json);
        task.GetProperty("status").GetString().Should().Be("SUCCESS");
        var status = await api.GetFromJsonAsync<JsonElement>("/api/gan/machines/pump_ksb_etanorm_002/status", GanDashboardApp.Json);
        status.GetProperty("has_seed_data").GetBoolean().Should().BeTrue();
        (await api.GetAsync("/api/gan/machines/pump_ksb_etanorm_002/datasets/seed")).IsSuccessStatusCode.Should().BeTrue("the files stay where they were");
    }

    [Fact]
    public async Task A_database_without_the_schema_is_refused_with_what_to_do()
    {
        string file = Path.Combine(_data.FullPath, "gandashboard.db");
        using (var sqlite = new GanDashboardApp(dataDirectory: _data.FullPath)) sqlite.CreateClient().Dispose();
        var (code, _, error) = await RunAsync("db", "copy", "--sqlite", file, "--postgres", _database.ConnectionString);
        code.Should().Be(ExitCodes.Invalid);
        error.Should().Contain("Start GanDashboard once");
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        using var tables = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        ((long)tables.ExecuteScalar()!).Should().Be(0, "nothing was written");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, Verbs, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
