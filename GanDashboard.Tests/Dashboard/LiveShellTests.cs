using Bunit;
using GanDashboard.Web.Components.Layout;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Tests.Dashboard;

public sealed class LiveShellTests : DashboardTest
{
    [Fact]
    public async Task A_finished_task_raises_the_notification_badge_while_progress_does_not()
    {
        string id = await CreateMachineAsync();
        var task = await AddTaskAsync(id, "seed", TaskStatuses.Started);
        var cut = Render<NotificationCenter>();
        cut.FindAll(".mud-badge.mud-badge-top").Should().BeEmpty();

        Notifier.Publish(Event(task, TaskEvent.Types.Progress, TaskStatuses.Started, 50));
        Notifier.Publish(Event(task, TaskEvent.Types.Failed, TaskStatuses.Failure) with { Error = "disk full" });

        cut.WaitForAssertion(() => cut.Find(".mud-badge").TextContent.Should().Contain("1"));
    }

    [Theory]
    [InlineData(TaskEvent.Types.Completed, "seed of m_1 finished")]
    [InlineData(TaskEvent.Types.Failed, "seed of m_1 failed: disk full")]
    [InlineData(TaskEvent.Types.Cancelled, "seed of m_1 was cancelled")]
    public void Notifications_say_what_happened(string type, string expected) =>
        NotificationCenter.TextOf(new TaskEvent { Type = type, TaskId = "t", MachineId = "m_1", Kind = "seed", Status = "x", Error = "disk full" })
            .Should().Be(expected);
}
