using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Web;

/// <summary>What a restart does to tasks that were running: resume from a checkpoint, or INTERRUPTED with a reason.</summary>
public class RestartRecoveryTests : IDisposable
{
    private static readonly Dictionary<string, string?> OneThread = new() { ["GanDashboard:Training:Threads"] = "1" };
    private readonly TempFolder _data = new();
    private readonly TestDatabase _database;

    public RestartRecoveryTests() : this(TestDatabase.Sqlite) { }

    protected RestartRecoveryTests(TestDatabase database) => _database = database;

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_run_aware_training_running_at_shutdown_continues_from_its_checkpoint_after_the_restart()
    {
        string taskId;
        using (var first = new GanDashboardApp(OneThread, _data.FullPath, _database))
        {
            using var client = first.CreateClient();
            string id = await first.CreateSampleMachineAsync(client, "cnc_haas_vf2_004");
            var seed = await (await client.PostAsJsonAsync($"/api/gan/machines/{id}/seed", new { runs = 20 }, GanDashboardApp.Json))
                .Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
            await GanDashboardApp.WaitForTaskAsync(client, seed.GetProperty("task_id").GetString()!, TimeSpan.FromMinutes(2));
            var train = await (await client.PostAsJsonAsync($"/api/gan/machines/{id}/train", new { epochs = 40, batch_size = 100, checkpoint_every = 1 }, GanDashboardApp.Json))
                .Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json);
            taskId = train.GetProperty("task_id").GetString()!;
            var notifier = first.Services.GetRequiredService<TaskNotifier>();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (notifier.TrainingCurve(taskId).Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
            notifier.TrainingCurve(taskId).Count.Should().BeGreaterThanOrEqualTo(3);
        }   // the host stops here, mid-training

        using var second = new GanDashboardApp(OneThread, _data.FullPath, _database);
        using var again = second.CreateClient();
        var task = await GanDashboardApp.WaitForTaskAsync(again, taskId, TimeSpan.FromMinutes(3));
        task.GetProperty("status").GetString().Should().Be("SUCCESS");
        var curve = second.Services.GetRequiredService<TaskNotifier>().TrainingCurve(taskId);
        curve.Should().NotBeEmpty();
        curve[0].Epoch.Should().BeGreaterThan(1, "the second host continued from the checkpoint instead of starting over");
        curve[^1].Epoch.Should().Be(40);
    }

    [Fact]
    public async Task A_task_without_a_checkpoint_found_running_is_marked_interrupted_with_the_reason()
    {
        using (var first = new GanDashboardApp(null, _data.FullPath, _database))
        {
            using var client = first.CreateClient();   // starts the host and migrates the database
            var factory = first.Services.GetRequiredService<IDbContextFactory<GanDashboardDb>>();
            await using var db = await factory.CreateDbContextAsync();
            db.Tasks.Add(new TaskRecord
            {
                Id = Guid.NewGuid(), TaskId = "stuck-task", MachineId = "pump_ksb_etanorm_002", Kind = "generate",
                Status = TaskStatuses.Started, RequestJson = "{}", CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        using var second = new GanDashboardApp(null, _data.FullPath, _database);
        using var again = second.CreateClient();
        var task = await again.GetFromJsonAsync<JsonElement>("/api/gan/tasks/stuck-task", GanDashboardApp.Json);
        task.GetProperty("status").GetString().Should().Be("INTERRUPTED");
        task.GetProperty("error").GetString().Should().Contain("server stopped");
        (await again.PostAsync("/api/gan/tasks/stuck-task/retry", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }
}
