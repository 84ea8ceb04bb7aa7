using Bunit;
using GanDashboard.Web.Components.Pages.Batch;
using GanDashboard.Web.Components.Pages.Explorer;
using GanDashboard.Web.Components.Pages.Generation;
using GanDashboard.Web.Components.Pages.Validation;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Tests.Dashboard;

public sealed class DataPagesTests : DashboardTest
{
    [Fact]
    public async Task The_explorer_pages_and_sorts_a_stored_dataset_on_the_server()
    {
        string id = await CreateMachineAsync();
        var seed = await SeedAsync(id, runs: 3);
        var cut = Render<DataExplorer>();
        cut.WaitForAssertion(() => cut.Find(".dataset-range").TextContent.Should().Contain($"of {seed.SamplesGenerated:N0}"));
        cut.FindAll(".dataset-grid tbody tr").Should().HaveCount(25);
        string firstStep() => cut.Find(".dataset-grid tbody tr td:nth-child(2)").TextContent;
        firstStep().Should().Be("0");

        IEnumerable<AngleSharp.Dom.IElement> stepHeader() => cut.FindAll(".sort-header").Where(b => b.TextContent.Trim().StartsWith("step ", StringComparison.Ordinal) || b.TextContent.Trim() == "step");
        await cut.InvokeAsync(() => stepHeader().Single().Click());
        cut.WaitForAssertion(() => stepHeader().Single().TextContent.Should().Contain("▲"));
        await cut.InvokeAsync(() => stepHeader().Single().Click());
        cut.WaitForAssertion(() => stepHeader().Single().TextContent.Should().Contain("▼"));

        cut.WaitForAssertion(() => int.Parse(firstStep(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0));
    }

    [Fact]
    public async Task Generation_without_synthetic_data_says_what_comes_first()
    {
        string id = await CreateMachineAsync();
        var cut = Render<Generation>();
        cut.WaitForAssertion(() => cut.Markup.Should().Contain($"{id} has no generated splits: train a model, then generate."));
    }

    [Fact]
    public async Task A_batch_shows_a_progress_row_per_machine_and_refuses_what_cannot_start()
    {
        string cnc = await CreateMachineAsync("cnc_haas_vf2_004");
        string pump = await CreateMachineAsync("pump_ksb_etanorm_002");
        await SeedAsync(cnc);
        var cut = Render<Batch>();
        cut.WaitForAssertion(() => cut.Markup.Should().Contain("Select all"));

        // Training needs seed data: the pump is refused, the CNC machine is queued.
        var step = cut.FindComponents<MudBlazor.MudSelect<string>>().Single();
        await cut.InvokeAsync(() => step.Instance.ValueChanged.InvokeAsync("train"));
        // On the renderer's thread: the checkbox re-renders the page, which replaces the button's handler.
        await cut.InvokeAsync(() => cut.FindAll("input[type=checkbox]")[0].Change(true));
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Contains("Run on 2", StringComparison.Ordinal)).Click());

        cut.WaitForAssertion(() => cut.FindAll(".batch-row").Should().ContainSingle().Which.TextContent.Should().Contain(cnc));
        cut.Find(".mud-alert").TextContent.Should().Contain(pump).And.Contain("no seed data");

        var task = (await Get<TaskService>().ListAsync(cnc)).Single();
        Notifier.Publish(Event(task, TaskEvent.Types.Failed, TaskStatuses.Failure) with { Error = "No handler for train" });
        cut.WaitForAssertion(() => cut.Find(".batch-summary").TextContent.Should().Contain("1 failed"));
        cut.Find(".batch-row").TextContent.Should().Contain("No handler for train").And.Contain("retry");
    }

    [Fact]
    public async Task An_unreadable_report_is_an_error_that_says_to_validate_again()
    {
        string id = await CreateMachineAsync();
        await using (var db = await Get<IDbContextFactory<GanDashboardDb>>().CreateDbContextAsync())
        {
            db.ValidationReports.Add(new ValidationReportRecord { Id = Guid.NewGuid(), MachineId = id, Overall = 0.9, Passed = true, ReportJson = "{ not json", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var cut = Render<Validation>();
        cut.WaitForAssertion(() => cut.Find(".no-report").TextContent.Should().Contain("cannot be read").And.Contain("validate the dataset again"));
    }
}
