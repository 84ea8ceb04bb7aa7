using Bunit;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Components.Pages.Upload;
using GanDashboard.Web.Machines;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace GanDashboard.Tests.Dashboard;

public sealed class UploadPageTests : DashboardTest
{
    [Fact]
    public void An_unreadable_file_is_refused_with_what_to_do()
    {
        var cut = Render<UploadProfile>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("{ \"machine_id\": ", "broken.json"));
        cut.WaitForAssertion(() => cut.Find(".page-error").TextContent.Should().Contain("could not be read").And.Contain("try again"));
    }

    [Fact]
    public async Task Findings_are_grouped_by_field_with_fixes_shown_at_the_field_and_the_edited_JSON_is_validated_as_typed()
    {
        string text = await File.ReadAllTextAsync(TestData.SampleProfile("pump_ksb_etanorm_002"));
        var cut = Render<UploadProfile>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(text.Replace("\"machine_type\": \"pump\"", "\"machine_type\": \"\"", StringComparison.Ordinal), "pump.json"));

        cut.WaitForAssertion(() => cut.Markup.Should().Contain("error(s)"));
        cut.Find(".findings").TextContent.Should().Contain("machine_type").And.Contain("Suggested fix");
        cut.Find("[data-field='machine_type']").TextContent.Should().Contain("machine_type is missing");
        cut.FindAll("button").Single(b => b.TextContent.Contains("Create machine &", StringComparison.Ordinal) || b.TextContent.Contains("run full pipeline", StringComparison.Ordinal))
            .HasAttribute("disabled").Should().BeTrue();

        cut.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == "JSON").Click();
        cut.Find(".json-editor textarea").Input(text);
        cut.WaitForAssertion(() => cut.Markup.Should().Contain("Valid").And.NotContain("error(s)"));
    }

    [Fact]
    public async Task A_valid_profile_becomes_a_machine_and_the_page_moves_to_it()
    {
        var navigation = Get<NavigationManager>();
        var cut = Render<UploadProfile>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            await File.ReadAllTextAsync(TestData.SampleProfile("cnc_haas_vf2_004")), "cnc.json"));
        cut.WaitForAssertion(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Create machine").HasAttribute("disabled").Should().BeFalse());

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Create machine").Click();

        cut.WaitForAssertion(() => navigation.Uri.Should().EndWith("/machines/cnc_haas_vf2_004"));
        (await Get<MachineService>().GetAsync("cnc_haas_vf2_004")).Should().NotBeNull();
    }

    [Fact]
    public async Task Create_and_run_full_pipeline_queues_the_pipeline_in_two_clicks_from_the_file()
    {
        var navigation = Get<NavigationManager>();
        var cut = Render<UploadProfile>();
        // Click 1: the file. Click 2: create and run. The machine page then follows the pipeline to its downloads.
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            await File.ReadAllTextAsync(TestData.SampleProfile("motor_siemens_1la7_001")), "motor.json"));
        cut.WaitForAssertion(() => cut.FindAll("button").Single(b => b.TextContent.Contains("run full pipeline", StringComparison.Ordinal)).HasAttribute("disabled").Should().BeFalse());

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Contains("run full pipeline", StringComparison.Ordinal)).Click());

        cut.WaitForAssertion(() => navigation.Uri.Should().EndWith("/machines/motor_siemens_1la7_001"));
        var task = (await Get<GanDashboard.Web.Tasks.TaskService>().ListAsync("motor_siemens_1la7_001")).Should().ContainSingle().Subject;
        task.Kind.Should().Be("pipeline");
    }

    [Fact]
    public void The_Excel_template_is_offered_as_a_download()
    {
        var cut = Render<UploadProfile>();
        var link = cut.Find("a[download='machine-profile-template.xlsx']");
        link.GetAttribute("href").Should().StartWith("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,UEsD");
    }
}
