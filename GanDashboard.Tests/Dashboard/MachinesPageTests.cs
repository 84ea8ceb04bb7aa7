using Bunit;
using GanDashboard.Web.Components.Pages.Machines;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Tests.Dashboard;

public sealed class MachinesPageTests : DashboardTest
{
    [Fact]
    public void Without_machines_the_list_says_how_to_create_one()
    {
        var cut = Render<Machines>();
        cut.WaitForAssertion(() => cut.Find(".page-empty").TextContent.Should().Contain("upload one"));
    }

    [Fact]
    public async Task The_search_narrows_cards_and_grid()
    {
        await CreateMachineAsync("cnc_haas_vf2_004");
        await CreateMachineAsync("pump_ksb_etanorm_002");
        var cut = Render<Machines>();
        cut.WaitForAssertion(() => cut.FindAll(".machine-card").Should().HaveCount(2));

        cut.Find(".filter-field input").Input("ksb");

        cut.WaitForAssertion(() => cut.FindAll(".machine-card").Should().ContainSingle().Which.TextContent.Should().Contain("pump_ksb_etanorm_002"));
        cut.Find(".machine-grid").TextContent.Should().NotContain("cnc_haas_vf2_004");
    }

    [Fact]
    public async Task The_grid_shows_each_machines_disk_use_summed_from_its_files()
    {
        string id = await CreateMachineAsync("cnc_haas_vf2_004");
        string folder = Get<DataPaths>().MachineFolder(id);
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "models", "a.gdm"), new byte[3 * 1024 * 1024]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "b.bin"), new byte[512 * 1024]);
        long expected = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        expected.Should().BeGreaterThanOrEqualTo(3584 * 1024);

        var cut = Render<Machines>();

        cut.WaitForAssertion(() => cut.Find(".machine-grid .disk-use").TextContent.Should().Be(GanDashboard.Web.Machines.MachineDiskUsage.Format(expected)));
        GanDashboard.Web.Machines.MachineDiskUsage.Format(3584 * 1024).Should().Be("3.5 MB");
    }

    [Fact]
    public void An_unknown_machine_shows_an_error_with_the_way_back()
    {
        var cut = Render<MachineDetail>(p => p.Add(x => x.MachineId, "no_such_machine"));
        cut.WaitForAssertion(() => cut.Find(".page-error").TextContent.Should().Contain("There is no machine 'no_such_machine'").And.Contain("Machine Profiles"));
    }

    [Fact]
    public async Task The_detail_page_follows_the_machines_tasks_live()
    {
        string id = await CreateMachineAsync();
        await SeedAsync(id);
        var cut = Render<MachineDetail>(p => p.Add(x => x.MachineId, id));
        cut.WaitForAssertion(() => cut.Find(".step-done").TextContent.Should().Contain("rows"));

        var task = await AddTaskAsync(id, "train", TaskStatuses.Started);
        Notifier.Publish(Event(task, TaskEvent.Types.Started, TaskStatuses.Started));
        Notifier.Publish(Event(task, TaskEvent.Types.TrainingProgress, TaskStatuses.Started, 30) with { Message = "Epoch 3/10", Epoch = 3, TotalEpochs = 10, Loss = 1 });

        cut.WaitForAssertion(() => cut.Find(".step-running").TextContent.Should().Contain("Epoch 3/10"));
    }

    [Fact]
    public async Task Delete_asks_for_confirmation_and_keep_keeps_the_machine()
    {
        string id = await CreateMachineAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<MachineDetail>(p => p.Add(x => x.MachineId, id));
        cut.WaitForAssertion(() => cut.FindAll("button").Any(b => b.TextContent.Trim() == "Delete").Should().BeTrue());

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain("This cannot be undone"));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Keep").Click());
        (await Get<GanDashboard.Web.Machines.MachineService>().GetAsync(id)).Should().NotBeNull();

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Any(b => b.TextContent.Trim() == "Delete").Should().BeTrue());
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());

        cut.WaitForAssertion(() => Get<Microsoft.AspNetCore.Components.NavigationManager>().Uri.Should().EndWith("/machines"));
        (await Get<GanDashboard.Web.Machines.MachineService>().GetAsync(id)).Should().BeNull();
    }
}
