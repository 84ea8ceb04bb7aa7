using Bunit;
using FluentAssertions;
using GanDashboard.Tests.Import;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Components.Pages.Import;
using GanDashboard.Web.Imports;
using Microsoft.AspNetCore.Components;
using Xunit;

namespace GanDashboard.Tests.Dashboard;

public sealed class ImportPageTests : DashboardTest
{
    private async Task<ImportView> UploadAsync(string[] header, int runs = 3)
    {
        using var folder = TestData.NewTempFolder();
        string path = ImportFixtures.Write(folder.File("fleet.csv"), ImportFixtures.Rows(runs: runs, baseLength: 6), header);
        var imports = Get<ImportService>();
        await using var stream = File.OpenRead(path);
        var (id, stored, size) = await imports.ReceiveAsync(stream, "pump_fleet_site.csv", CancellationToken.None);
        return (await imports.CreateAsync(id, stored, "pump_fleet_site.csv", size, null, null, CancellationToken.None)).View;
    }

    [Fact]
    public async Task Shows_the_detected_mapping_statistics_and_charts_and_confirm_opens_the_machine()
    {
        var import = await UploadAsync(ImportFixtures.Header);
        var cut = Render<ImportData>(p => p.Add(x => x.ImportId, import.ImportId));

        cut.WaitForAssertion(() => cut.Find(".preview-summary").TextContent.Should().Contain("3 runs"));
        cut.Find(".field-run-id input").GetAttribute("value").Should().Be("Pump No");
        cut.Find(".column-stats").TextContent.Should().Contain("FlowRate").And.Contain("constant").And.Contain("one value in every row");
        cut.FindAll(".trajectory-chart svg, .trajectory-chart path").Should().NotBeEmpty();
        cut.FindAll(".run-length-chart svg").Should().NotBeEmpty();

        cut.Find(".confirm-import").Click();
        var navigation = Get<NavigationManager>();
        cut.WaitForAssertion(() => navigation.Uri.Should().EndWith("/machines/pump_fleet_site"));
        (await Get<GanDashboard.Web.Workflow.GanManager>().LatestSeedAsync("pump_fleet_site")).Should().NotBeNull();
    }

    [Fact]
    public async Task A_file_without_a_run_id_lists_the_problem_and_the_mapping_fixes_it()
    {
        var import = await UploadAsync(["serial", "hours", "temp", "flow", "noise", "volts", "mode", "fault"]);
        // "serial" is text with contiguous blocks: detected. Force the problem by asking for one run per file, which has a duplicated order.
        var cut = Render<ImportData>(p => p.Add(x => x.ImportId, import.ImportId));
        cut.WaitForAssertion(() => cut.Find(".field-run-id input"));
        // On the renderer's thread: the field's change re-renders the page, which replaces the button's handler.
        await cut.InvokeAsync(() => cut.Find(".field-run-id input").Change("none"));
        await cut.InvokeAsync(() => cut.Find(".apply-mapping").Click());
        cut.WaitForAssertion(() => cut.Find(".import-problems").TextContent.Should().Contain("two rows at hours").And.Contain("Fix:"));
        cut.Find(".confirm-import").HasAttribute("disabled").Should().BeTrue();

        await cut.InvokeAsync(() => cut.Find(".field-run-id input").Change("serial"));
        await cut.InvokeAsync(() => cut.Find(".apply-mapping").Click());
        cut.WaitForAssertion(() => cut.Find(".preview-summary").TextContent.Should().Contain("3 runs"));
    }
}
