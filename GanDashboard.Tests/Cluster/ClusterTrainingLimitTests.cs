using FluentAssertions;
using GanDashboard.Storage;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Tasks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GanDashboard.Tests.Cluster;

/// <summary>
/// The cluster-wide training limit (<see cref="WorkOptions.MaxConcurrentTrainingsInCluster"/>) as two nodes see it: each
/// node's <see cref="WorkSlots"/> over one PostgreSQL database. The database holds the count, so a node that dies frees
/// its slot with its session.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTrainingLimitTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task A_second_node_waits_for_the_clusters_only_training_slot_and_gets_it_when_the_first_ends()
    {
        var database = new DatabaseConnection(DatabaseProviders.Postgres, PostgresServer.Shared.CreateDatabase());
        using var nodeA = Slots(database, inCluster: 1);
        using var nodeB = Slots(database, inCluster: 1);

        var first = await nodeA.AcquireAsync(training: true, CancellationToken.None);
        var second = nodeB.AcquireAsync(training: true, CancellationToken.None);
        (await Task.WhenAny(second, Task.Delay(Blocked))).Should().NotBe(second, "the cluster's only training slot is taken by node A");

        // Short steps never wait for a training slot.
        using (await nodeB.AcquireAsync(training: false, CancellationToken.None)) { }

        first.Dispose();
        using var granted = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Two_slots_let_two_nodes_train_at_once_and_a_dead_nodes_slot_is_freed_by_the_server()
    {
        var database = new DatabaseConnection(DatabaseProviders.Postgres, PostgresServer.Shared.CreateDatabase());
        using var nodeA = Slots(database, inCluster: 2);
        using var nodeB = Slots(database, inCluster: 2);
        using var nodeC = Slots(database, inCluster: 2);

        var a = await nodeA.AcquireAsync(training: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var b = await nodeB.AcquireAsync(training: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var c = nodeC.AcquireAsync(training: true, CancellationToken.None);
        (await Task.WhenAny(c, Task.Delay(Blocked))).Should().NotBe(c, "both cluster slots are taken");

        // One of the training nodes dies: its session ends without a release, and the server drops its advisory lock.
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted LIMIT 1) holder", admin);
            (await kill.ExecuteScalarAsync()).Should().Be(1L);
        }
        using var granted = await c.WaitAsync(TimeSpan.FromSeconds(10));
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task Without_a_cluster_limit_the_node_limit_alone_applies()
    {
        var database = new DatabaseConnection(DatabaseProviders.Postgres, PostgresServer.Shared.CreateDatabase());
        using var nodeA = Slots(database, inCluster: null);
        using var nodeB = Slots(database, inCluster: null);
        using var a = await nodeA.AcquireAsync(training: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        using var b = await nodeB.AcquireAsync(training: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var secondOnA = nodeA.AcquireAsync(training: true, CancellationToken.None);
        (await Task.WhenAny(secondOnA, Task.Delay(TimeSpan.FromSeconds(1)))).Should().NotBe(secondOnA, "node A runs one training at a time");
        a.Dispose();
        using var next = await secondOnA.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static WorkSlots Slots(DatabaseConnection database, int? inCluster) =>
        new(Options.Create(new WorkOptions { MaxConcurrentTrainings = 1, MaxConcurrentTrainingsInCluster = inCluster }), database);
}
