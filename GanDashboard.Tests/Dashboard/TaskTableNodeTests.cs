using Bunit;
using GanDashboard.Web.Cluster;
using GanDashboard.Web.Components.Shared;
using GanDashboard.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Dashboard;

/// <summary>The task tables name the node that ran each task in a cluster, and stay as they were on a single node.</summary>
public sealed class TaskTableNodeTests : DashboardTest
{
    internal static readonly TaskRecord[] Tasks =
    [
        new() { Id = Guid.NewGuid(), TaskId = "t-1", MachineId = "cnc_haas_vf2_004", Kind = "train", Status = TaskStatuses.Success, RequestJson = "{}", CreatedAt = DateTime.UtcNow, Node = "node-b" },
        new() { Id = Guid.NewGuid(), TaskId = "t-2", MachineId = "cnc_haas_vf2_004", Kind = "seed", Status = TaskStatuses.Pending, RequestJson = "{}", CreatedAt = DateTime.UtcNow },
    ];

    [Fact]
    public void On_a_single_node_the_table_has_no_node_column()
    {
        var table = Render<TaskTable>(p => p.Add(t => t.Tasks, Tasks));
        table.FindAll("th").Select(th => th.TextContent.Trim()).Should().NotContain("Node");
        table.FindAll("td[data-label='Node']").Should().BeEmpty();
    }
}

public sealed class ClusteredTaskTableTests : DashboardTest
{
    // Registered before the base class renders anything (bUnit refuses registrations after the first resolve).
    public ClusteredTaskTableTests() => Services.AddSingleton(new NodeOptions { Name = "node-a", Clustered = true });

    [Fact]
    public void In_a_cluster_each_task_shows_the_node_that_ran_it()
    {
        var table = Render<TaskTable>(p => p.Add(t => t.Tasks, TaskTableNodeTests.Tasks));
        table.FindAll("th").Select(th => th.TextContent.Trim()).Should().Contain("Node");
        var nodeCells = table.FindAll("td[data-label='Node']").Select(td => td.TextContent.Trim()).ToList();
        nodeCells.Should().Equal("node-b", "—");
    }
}
