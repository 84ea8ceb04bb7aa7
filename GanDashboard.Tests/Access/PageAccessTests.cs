using Bunit;
using FluentAssertions;
using GanDashboard.Storage.Access;
using GanDashboard.Tests.Dashboard;
using GanDashboard.Web.Access;
using GanDashboard.Web.Components.Pages.Access;
using GanDashboard.Web.Components.Pages.Machines;
using GanDashboard.Web.Components.Pages.Upload;
using GanDashboard.Web.Components.Shared;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Workflow;

namespace GanDashboard.Tests.Access;

/// <summary>Pages hide what a role cannot do, and the services behind them refuse it anyway.</summary>
public sealed class PageAccessTests : DashboardTest
{
    private void ActAs(string role)
    {
        Authorization.SetAuthorized($"{role}-user");
        Authorization.SetRoles(role);
    }

    private static bool HasButton(IRenderedComponent<MachineDetail> cut, string text) =>
        cut.FindAll("button").Any(b => b.TextContent.Trim() == text);

    [Theory]
    [InlineData(Roles.Viewer, false, false)]
    [InlineData(Roles.Operator, true, false)]
    [InlineData(Roles.Admin, true, true)]
    public async Task The_machine_page_shows_start_and_delete_by_role(string role, bool canStart, bool canDelete)
    {
        string id = await CreateMachineAsync();
        ActAs(role);
        var cut = Render<MachineDetail>(p => p.Add(x => x.MachineId, id));
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.Should().Contain(id));
        cut.WaitForAssertion(() => HasButton(cut, "Run full pipeline").Should().Be(canStart));
        HasButton(cut, "Delete").Should().Be(canDelete);
    }

    [Theory]
    [InlineData(Roles.Viewer, 0)]
    [InlineData(Roles.Operator, 1)]
    public void Task_controls_show_by_role(string role, int cancelButtons)
    {
        ActAs(role);
        var table = Render<TaskTable>(p => p.Add(t => t.Tasks, TaskTableNodeTests.Tasks));
        table.WaitForAssertion(() => table.FindAll("td").Should().NotBeEmpty());
        table.FindAll("button[aria-label='Cancel task']").Should().HaveCount(cancelButtons, "only the pending task can be cancelled, by an operator");
    }

    [Fact]
    public void A_viewer_sees_why_the_upload_page_offers_nothing()
    {
        ActAs(Roles.Viewer);
        var cut = Render<UploadProfile>();
        cut.WaitForAssertion(() => cut.Find("#role-too-low").TextContent.Should().Contain("operator role"));
        cut.FindAll(".upload-box").Should().BeEmpty();
    }

    [Fact]
    public async Task A_viewer_cannot_start_a_task_even_past_the_page()
    {
        string id = await CreateMachineAsync();
        ActAs(Roles.Viewer);
        var start = () => Get<WorkflowActions>().StartAsync(WorkflowActions.Seed, id, new SeedRequest());
        (await start.Should().ThrowAsync<AccessDeniedException>()).Which.Message.Should().Contain("viewer").And.Contain("needs operator");
    }

    [Fact]
    public async Task An_operator_cannot_manage_users_even_past_the_page()
    {
        ActAs(Roles.Operator);
        var cut = Render<AccessPage>();
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.Should().Be("Access"));
        cut.FindAll("#users").Should().BeEmpty();
        cut.FindAll("#add-user").Should().BeEmpty();

        var add = () => Get<AccessActions>().AsAdminAsync("add users", a => a.AddUserAsync("mallory", Roles.Admin, "mallory-pass-1"));
        (await add.Should().ThrowAsync<AccessDeniedException>()).Which.Message.Should().Contain("operator").And.Contain("needs admin");
    }

    [Fact]
    public async Task An_admin_sees_users_and_can_add_one()
    {
        ActAs(Roles.Admin);
        await Get<AccessActions>().AsAdminAsync("add users", a => a.AddUserAsync("erin", Roles.Viewer, "erin-password-1"));
        var cut = Render<AccessPage>();
        cut.WaitForAssertion(() => cut.Find("#users").TextContent.Should().Contain("erin"));
        cut.FindAll("#add-user").Should().ContainSingle();
    }
}
