using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using GanDashboard.Tests.Support;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Web;

/// <summary>
/// What the polled read routes cost the database: a fixed number of queries and connections per request, whatever
/// the store holds (no N+1), so their latency stays flat as machines accumulate datasets and tasks.
/// </summary>
public sealed class ApiReadPathTests : IDisposable
{
    private readonly GanDashboardApp _app = new();
    private readonly CommandCounter _counter = new();
    private readonly WebApplicationFactory<Program> _counted;
    private readonly HttpClient _client;

    public ApiReadPathTests()
    {
        _counted = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<GanDashboardDb>(o => o.AddInterceptors(_counter), ServiceLifetime.Singleton)));
        _client = _counted.CreateClient();
    }

    public void Dispose() { _client.Dispose(); _counted.Dispose(); _app.Dispose(); }

    [Fact]
    public async Task Status_takes_six_queries_on_one_connection_however_many_seed_datasets_and_tasks()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        await SeedAsync(id);
        var once = await CountAsync($"/api/gan/machines/{id}/status");

        await SeedAsync(id);
        await SeedAsync(id);
        var thrice = await CountAsync($"/api/gan/machines/{id}/status");

        once.Should().Be(new Cost(Commands: 6, Connections: 1));
        thrice.Should().Be(once, "the status reads the newest rows, not every row");
        var status = await _client.GetFromJsonAsync<JsonElement>($"/api/gan/machines/{id}/status", GanDashboardApp.Json);
        status.GetProperty("has_seed_data").GetBoolean().Should().BeTrue();
        status.GetProperty("next_step").GetString().Should().Be("train");
        status.GetProperty("active_tasks").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Task_list_is_one_query_whatever_the_number_of_tasks()
    {
        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        await SeedAsync(id);
        var one = await CountAsync("/api/gan/tasks");
        await SeedAsync(id);
        await SeedAsync(id);
        var three = await CountAsync("/api/gan/tasks");

        one.Should().Be(new Cost(Commands: 1, Connections: 1));
        three.Should().Be(one);
        (await _client.GetFromJsonAsync<JsonElement>("/api/gan/tasks", GanDashboardApp.Json)).GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task Health_and_statistics_read_every_count_in_one_query()
    {
        (await CountAsync("/api/gan/health")).Should().Be(new Cost(Commands: 1, Connections: 1));
        (await CountAsync("/api/gan/statistics")).Should().Be(new Cost(Commands: 1, Connections: 1));

        string id = await _app.CreateSampleMachineAsync(_client, "cnc_haas_vf2_004");
        await SeedAsync(id);
        var health = await _client.GetFromJsonAsync<JsonElement>("/api/gan/health", GanDashboardApp.Json);
        health.GetProperty("machines").GetInt32().Should().Be(1);
        health.GetProperty("running_tasks").GetInt32().Should().Be(0);
        health.GetProperty("pending_tasks").GetInt32().Should().Be(0);
        var statistics = await _client.GetFromJsonAsync<JsonElement>("/api/gan/statistics", GanDashboardApp.Json);
        statistics.GetProperty("machines").GetInt32().Should().Be(1);
        statistics.GetProperty("datasets").GetInt32().Should().Be(1, "one seed dataset");
        statistics.GetProperty("models").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task A_training_thread_is_its_own_lower_priority_thread_and_passes_its_outcome_on()
    {
        var (poolThread, niceness) = await TrainingThread.RunAsync("test training", 7,
            () => (Thread.CurrentThread.IsThreadPoolThread, TrainingThread.CurrentNiceness()));
        poolThread.Should().BeFalse("a training must not hold one of the request threads");
        if (OperatingSystem.IsLinux()) niceness.Should().Be(7);

        var cancelled = () => TrainingThread.RunAsync<int>("test training", 0, () => throw new OperationCanceledException());
        await cancelled.Should().ThrowAsync<OperationCanceledException>("a cancelled training must still read as cancelled");
    }

    private async Task SeedAsync(string machineId)
    {
        var accepted = await _client.PostAsJsonAsync($"/api/gan/machines/{machineId}/seed", new { runs = 3, seed = 1 }, GanDashboardApp.Json);
        accepted.EnsureSuccessStatusCode();
        string taskId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        var task = await GanDashboardApp.WaitForTaskAsync(_client, taskId, TimeSpan.FromSeconds(60));
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
        await Task.Delay(200);   // the task's last progress write is fire-and-forget: let it land before counting
    }

    /// <summary>Commands and connection opens of one GET (nothing else runs: every task has ended).</summary>
    private async Task<Cost> CountAsync(string route)
    {
        (await _client.GetAsync(route)).EnsureSuccessStatusCode();   // first call compiles; count the second
        _counter.Reset();
        (await _client.GetAsync(route)).EnsureSuccessStatusCode();
        return _counter.Read();
    }

    private sealed record Cost(int Commands, int Connections);

    private sealed class CommandCounter : DbCommandInterceptor, IDbConnectionInterceptor
    {
        private int _commands;
        private int _connections;

        public void Reset() { Interlocked.Exchange(ref _commands, 0); Interlocked.Exchange(ref _connections, 0); }

        public Cost Read() => new(Volatile.Read(ref _commands), Volatile.Read(ref _connections));

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref _commands);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Interlocked.Increment(ref _commands);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return ValueTask.FromResult(result);
        }

        public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Increment(ref _connections);

        public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _connections);
            return Task.CompletedTask;
        }
    }
}
