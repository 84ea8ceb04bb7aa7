using System.Security.Claims;
using Bunit;
using GanDashboard.Storage;
using GanDashboard.Web.Audit;
using GanDashboard.Web.Components.Pages.Audit;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;

namespace GanDashboard.Tests.Dashboard;

/// <summary>The dashboard's actions leave audit entries (with the circuit's user when there is one); the audit page lists and filters them.</summary>
public sealed class AuditPageTests : DashboardTest
{
    private async Task<IReadOnlyList<AuditEntryView>> EntriesAsync(AuditQuery? query = null) => (await Get<AuditTrail>().QueryAsync(query ?? new AuditQuery())).Entries;

    [Fact]
    public async Task Dashboard_actions_are_recorded_with_the_circuits_user_and_their_outcome()
    {
        var actions = Get<WorkflowActions>();
        var draft = await actions.UploadProfileAsync(await File.ReadAllBytesAsync(Support.TestData.SampleProfile("cnc_haas_vf2_004")), "cnc.json");
        var machine = await actions.CreateMachineAsync(draft.DraftId);
        var refused = () => actions.StartAsync(WorkflowActions.Train, machine.MachineId, new TrainRequest());
        await refused.Should().ThrowAsync<WorkflowException>("the caller still hears about the refusal");
        var task = await actions.StartAsync(WorkflowActions.Seed, machine.MachineId, new SeedRequest());
        await actions.CancelAsync(task.TaskId);
        await actions.DeleteMachineAsync(machine.MachineId);

        var entries = await EntriesAsync();
        entries.Select(e => (e.Action, e.TargetKind, e.TargetId, e.Outcome)).Should().Equal(
            ("deleted", "machine", machine.MachineId, "succeeded"),
            ("cancelled", "task", task.TaskId, "succeeded"),
            ("started", "machine", machine.MachineId, "succeeded"),
            ("started", "machine", machine.MachineId, "failed 409"),
            ("created", "machine", machine.MachineId, "succeeded"),
            ("uploaded", "profile_draft", draft.DraftId.ToString(), "succeeded"));
        entries.Should().OnlyContain(e => e.Actor == "test-admin" && e.Role == "admin" && e.Detail!.StartsWith("dashboard") || e.Outcome != "succeeded");
        entries[2].Detail.Should().Contain($"task {task.TaskId}");
        entries[5].Detail.Should().Contain("file cnc.json");
    }

    [Fact]
    public async Task A_refused_action_is_recorded_with_the_users_role_and_key()
    {
        Authorization.SetAuthorized("olga");
        Authorization.SetRoles("operator");
        Authorization.SetClaims(new Claim(AuditActor.ApiKeyClaim, "k1"));
        string machineId = await CreateMachineAsync();

        var delete = () => Get<WorkflowActions>().DeleteMachineAsync(machineId);
        await delete.Should().ThrowAsync<GanDashboard.Web.Access.AccessDeniedException>("only an admin deletes machines");

        var entry = (await EntriesAsync()).Single();
        (entry.Actor, entry.Role, entry.ApiKeyId, entry.Action, entry.Outcome).Should().Be(("olga", "operator", "k1", "deleted", "failed 403"));
    }

    [Fact]
    public async Task The_page_lists_entries_newest_first_and_its_filters_narrow_the_table_and_the_csv_link()
    {
        var trail = Get<AuditTrail>();
        await trail.RecordAsync(new AuditActor("alice", "operator", null, "10.1.2.3"), AuditActions.Started, "machine", "m1", "train", AuditOutcomes.Succeeded);
        await trail.RecordAsync(new AuditActor("bob", "admin", null, null), AuditActions.Deleted, "machine", "m2", null, "failed 409");

        var cut = Render<AuditLog>();
        cut.WaitForAssertion(() => cut.FindAll(".audit-table tbody tr").Should().HaveCount(2));
        cut.FindAll(".audit-table tbody tr")[0].TextContent.Should().Contain("bob").And.Contain("deleted").And.Contain("failed 409");
        cut.FindAll(".audit-table tbody tr")[1].TextContent.Should().Contain("10.1.2.3");

        // Found and clicked on the renderer's thread: the filter's change re-renders the page, and a button found before
        // that render carries a handler id the next render dropped.
        await cut.InvokeAsync(() => cut.Find(".filter-field input").Change("alice"));
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Contains("Apply filters")).Click());

        cut.WaitForAssertion(() => cut.FindAll(".audit-table tbody tr").Should().ContainSingle().Which.TextContent.Should().Contain("alice"));
        cut.Find("a[href^='/api/gan/audit.csv']").GetAttribute("href").Should().Be("/api/gan/audit.csv?actor=alice");
    }
}
