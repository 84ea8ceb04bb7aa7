using Bunit;
using GanDashboard.Web.Components.Pages.Overview;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Tests.Dashboard;

public sealed class OverviewPageTests : DashboardTest
{
    [Fact]
    public void Without_machines_the_overview_points_to_the_upload_page()
    {
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => cut.Find(".page-empty").TextContent.Should().Contain("No machines yet"));
        cut.Find(".page-empty a").GetAttribute("href").Should().Be("/upload");
    }

    [Fact]
    public async Task With_seed_data_it_counts_and_shows_the_workflow_of_the_machine()
    {
        string id = await CreateMachineAsync();
        await SeedAsync(id);
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => cut.FindAll(".stat-value").Select(e => e.TextContent).Should().StartWith(["1", "0", "1", "0"]));
        cut.Find(".step-done").TextContent.Should().Contain("Seed data");
        cut.Find(".step-next").TextContent.Should().Contain("TVAE training");
    }

    [Fact]
    public async Task A_task_queued_elsewhere_appears_in_recent_activity_without_a_reload()
    {
        string id = await CreateMachineAsync();
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => cut.Markup.Should().Contain("No tasks have run yet"));

        var task = await AddTaskAsync(id, "seed", TaskStatuses.Started);
        Notifier.Publish(Event(task, TaskEvent.Types.Started, TaskStatuses.Started, 40));

        cut.WaitForAssertion(() => cut.Find(".task-table").TextContent.Should().Contain("seed").And.Contain(TaskStatuses.Started));
        cut.Find(".step-running").TextContent.Should().Contain("Seed data");
    }
}
