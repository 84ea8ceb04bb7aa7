using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;
using GanDashboard.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GanDashboard.Tests.Storage;

/// <summary>The copy-store verb moves a single-node SQLite store into an empty PostgreSQL database, every row of every table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreCopyTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_sqlite_store_is_copied_into_an_empty_postgres_database_with_equal_row_counts_and_serves_the_same_answers()
    {
        string machineId;
        string key;
        JsonElement sqliteTask;
        using (var single = new GanDashboardApp(null, _data.FullPath))
        {
            using var client = single.CreateClient();
            machineId = await single.CreateSampleMachineAsync(client, "pump_ksb_etanorm_002");
            var seed = await (await client.PostAsJsonAsync($"/api/gan/machines/{machineId}/seed", new { runs = 10 }, GanDashboardApp.Json))
                .Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
            sqliteTask = await GanDashboardApp.WaitForTaskAsync(client, seed.GetProperty("task_id").GetString()!, TimeSpan.FromMinutes(2));
            sqliteTask.GetProperty("status").GetString().Should().Be("SUCCESS");
            // Accounts and keys move too: after the copy the administrator still signs in and the key still works.
            await using var scope = single.Services.CreateAsyncScope();
            var access = scope.ServiceProvider.GetRequiredService<GanDashboard.Storage.Access.AccessAdmin>();
            await access.AddUserAsync("root", GanDashboard.Storage.Access.Roles.Admin, "root-password-1");
            key = (await access.CreateKeyAsync("root", "copied", null)).Key;
        }

        var target = TestDatabase.NewPostgres();
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await StoreCopy.RunAsync([StoreCopy.Verb, "--from", Path.Combine(_data.FullPath, "gandashboard.db"), "--to", target.ConnectionString!], output, error);
        exit.Should().Be(0, error.ToString());
        output.ToString().Should().Contain("machine_profiles").And.Contain("training_tasks").And.Contain("synthetic_datasets").And.Contain("same row count");
        Count(target, "machine_profiles").Should().Be(1);
        Count(target, "training_tasks").Should().Be(1);
        Count(target, "synthetic_datasets").Should().Be(1);
        Count(target, "profile_drafts").Should().Be(1);
        Count(target, "audit_entries").Should().Be(3, "the upload, the creation and the seed start are part of the history");
        Count(target, "\"AspNetUsers\"").Should().Be(1);
        Count(target, "\"AspNetUserRoles\"").Should().Be(1);
        Count(target, "api_keys").Should().Be(1);

        // The copied store answers on PostgreSQL as it did on SQLite, over the same data directory.
        using (var cluster = new GanDashboardApp(new Dictionary<string, string?> { [GanDashboardApp.AuthModeKey] = "local" }, _data.FullPath, target))
        {
            using var client = cluster.CreateClient();
            client.DefaultRequestHeaders.Add("X-API-Key", key);
            var task = await client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{sqliteTask.GetProperty("task_id").GetString()}", GanDashboardApp.Json);
            task.GetProperty("status").GetString().Should().Be("SUCCESS");
            // PostgreSQL keeps microseconds, SQLite's text dates 100 ns ticks.
            task.GetProperty("created_at").GetDateTime().Should().BeCloseTo(sqliteTask.GetProperty("created_at").GetDateTime(), TimeSpan.FromMilliseconds(1));
            var status = await client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{machineId}/status", GanDashboardApp.Json);
            status.GetProperty("has_seed_data").GetBoolean().Should().BeTrue();
            status.GetProperty("seed_data").GetProperty("runs").GetInt32().Should().Be(10);
            // The audit trail goes on after the copied entries (PostgreSQL numbered them, so no id collides).
            (await client.DeleteAsync("/api/gan/machines/no_such_machine")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
            var audit = await client.GetFromJsonAsync<JsonElement>("/api/gan/audit", GanDashboardApp.Json);
            audit.GetProperty("total").GetInt32().Should().Be(4);
            audit.GetProperty("entries")[0].GetProperty("outcome").GetString().Should().Be("failed 404");
        }

        // A second copy into the now non-empty database is refused, and changes nothing.
        using var again = new StringWriter();
        int refused = await StoreCopy.RunAsync([StoreCopy.Verb, "--from", Path.Combine(_data.FullPath, "gandashboard.db"), "--to", target.ConnectionString!], output, again);
        refused.Should().Be(1);
        again.ToString().Should().Contain("not empty");
        Count(target, "machine_profiles").Should().Be(1);
    }

    private static int Count(TestDatabase database, string table)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return Convert.ToInt32(count.ExecuteScalar());
    }
}
