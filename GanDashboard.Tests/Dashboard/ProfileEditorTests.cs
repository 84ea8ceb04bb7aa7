using System.Text.Json.Nodes;
using Bunit;
using Bunit.Rendering;
using GanDashboard.Tests.Profiles;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Components.Pages.Upload;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;

namespace GanDashboard.Tests.Dashboard;

/// <summary>The upload page's profile editor: the form, the JSON text and the findings at the fields, as a user meets them.</summary>
public sealed class ProfileEditorTests : DashboardTest
{
    private async Task<IRenderedComponent<UploadProfile>> OpenAsync(string sampleId = "motor_siemens_1la7_001")
    {
        var cut = Render<UploadProfile>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(await File.ReadAllTextAsync(TestData.SampleProfile(sampleId)), sampleId + ".json"));
        cut.WaitForAssertion(() => cut.FindAll(".sensor-row").Should().NotBeEmpty());
        return cut;
    }

    /// <summary>
    /// Finds an element afresh and fires an event on it, waiting for its handler. A debounced input lands a moment after
    /// it is typed and its re-render retires the handlers of elements found just before; the renderer then refuses the
    /// event without running anything, so finding the element again and retrying is safe.
    /// </summary>
    private static async Task FireAsync(Func<AngleSharp.Dom.IElement> find, Func<AngleSharp.Dom.IElement, Task> fire)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await fire(find());
                return;
            }
            catch (UnknownEventHandlerIdException) when (attempt < 5) { }
        }
    }

    private static Task TypeAsync(IRenderedComponent<UploadProfile> cut, string field, string text) =>
        FireAsync(() => cut.Find($"[data-field='{field}'] input"), e => e.InputAsync(new ChangeEventArgs { Value = text }));

    private static Task TypeJsonAsync(IRenderedComponent<UploadProfile> cut, string text) =>
        FireAsync(() => cut.Find(".json-editor textarea"), e => e.InputAsync(new ChangeEventArgs { Value = text }));

    private static Task ClickAsync(Func<AngleSharp.Dom.IElement> find) => FireAsync(find, e => e.ClickAsync(new MouseEventArgs()));

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<UploadProfile> cut, string path) => cut.Find($"[data-field='{path}']");

    private static Task ClickTabAsync(IRenderedComponent<UploadProfile> cut, string name) =>
        ClickAsync(() => cut.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == name));

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<UploadProfile> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task Typing_a_critical_level_below_warning_shows_the_finding_at_that_field_and_blocks_creation()
    {
        var cut = await OpenAsync();
        cut.Markup.Should().Contain("Valid");
        Field(cut, "sensors[1].critical").TextContent.Should().NotContain("must be below");

        await TypeAsync(cut, "sensors[1].critical", "80"); // its warning is 85

        // The finding, the input's aria-invalid and the summary can land in separate renders: wait for all of them.
        cut.WaitForAssertion(() =>
        {
            Field(cut, "sensors[1].critical").TextContent.Should().Contain("warning (85) must be below critical (80)");
            Field(cut, "sensors[1].critical").QuerySelector("input")!.GetAttribute("aria-invalid").Should().Be("true");
            cut.Markup.Should().Contain("1 error(s)");
            Button(cut, "Create machine").HasAttribute("disabled").Should().BeTrue();
        });
        Field(cut, "sensors[1].normal.max").TextContent.Should().NotContain("must be below");
        // The row's chart follows the edit, and says so in words.
        cut.FindAll(".sensor-row")[1].QuerySelector("svg.sensor-band-chart")!.GetAttribute("aria-label").Should()
            .Contain("normal 30 to 70").And.Contain("warning at 85").And.Contain("critical at 80");

        await TypeAsync(cut, "sensors[1].critical", "100");

        cut.WaitForAssertion(() => Button(cut, "Create machine").HasAttribute("disabled").Should().BeFalse());
        Field(cut, "sensors[1].critical").TextContent.Should().NotContain("must be below");
    }

    [Fact]
    public async Task Switching_tabs_keeps_the_edits_of_both_views()
    {
        var cut = await OpenAsync();

        // One letter is too short for a manufacturer: the finding at the field shows the edit has landed.
        await TypeAsync(cut, "manufacturer", "A");
        cut.WaitForAssertion(() => Field(cut, "manufacturer").TextContent.Should().Contain("at least 2 characters"));
        await ClickTabAsync(cut, "JSON");

        cut.WaitForAssertion(() => cut.Find(".json-editor textarea").GetAttribute("value").Should().Contain("\"manufacturer\": \"A\""));
        var json = JsonNode.Parse(cut.Find(".json-editor textarea").GetAttribute("value")!)!;
        json["model"] = "1LE1 100";
        json["machine_id"] = "motor_siemens_1la7_101";
        await TypeJsonAsync(cut, json.ToJsonString());
        // The heading names the editor's machine id: it changes once the JSON edit has reached the form's state.
        cut.WaitForAssertion(() => cut.Find("h2").TextContent.Should().Contain("motor_siemens_1la7_101"));
        await ClickTabAsync(cut, "Form");

        cut.WaitForAssertion(() => Field(cut, "model").QuerySelector("input")!.GetAttribute("value").Should().Be("1LE1 100"));
        Field(cut, "machine_id").QuerySelector("input")!.GetAttribute("value").Should().Be("motor_siemens_1la7_101");
        Field(cut, "manufacturer").QuerySelector("input")!.GetAttribute("value").Should().Be("A");
        Field(cut, "manufacturer").TextContent.Should().Contain("at least 2 characters");
    }

    [Fact]
    public async Task Unreadable_JSON_is_reported_at_the_JSON_and_the_form_keeps_its_values()
    {
        var cut = await OpenAsync();
        await ClickTabAsync(cut, "JSON");

        await TypeJsonAsync(cut, "{ \"machine_id\": \"motor_siemens_1la7_001\", ");

        cut.WaitForAssertion(() => cut.Find(".json-editor").TextContent.Should().Contain("malformed").And.Contain("line"));
        Button(cut, "Create machine").HasAttribute("disabled").Should().BeTrue();
        await ClickTabAsync(cut, "Form");
        cut.WaitForAssertion(() => cut.Markup.Should().Contain("the form shows the last readable profile"));
        Field(cut, "manufacturer").QuerySelector("input")!.GetAttribute("value").Should().Be("Siemens");
    }

    [Fact]
    public async Task Adding_a_sensor_row_adds_it_to_the_JSON_with_findings_at_its_empty_fields()
    {
        var cut = await OpenAsync();
        int rows = cut.FindAll(".sensor-row").Count;

        await ClickAsync(() => Button(cut, "Add sensor"));

        cut.WaitForAssertion(() => cut.FindAll(".sensor-row").Should().HaveCount(rows + 1));
        Field(cut, $"sensors[{rows}].unit").TextContent.Should().Contain("has no unit");
        await TypeAsync(cut, $"sensors[{rows}].name", "oil_temp_c");
        cut.WaitForAssertion(() => Field(cut, $"sensors[{rows}].unit").TextContent.Should().Contain("Sensor 'oil_temp_c' has no unit"));

        await ClickTabAsync(cut, "JSON");
        cut.WaitForAssertion(() => JsonNode.Parse(cut.Find(".json-editor textarea").GetAttribute("value")!)!["sensors"]!.AsArray().Should().HaveCount(rows + 1));
    }

    [Fact]
    public async Task A_profile_edited_in_the_form_downloads_as_an_Excel_workbook_that_reads_back_the_same()
    {
        var cut = await OpenAsync();
        await TypeAsync(cut, "sensors[1].warning", "88");
        cut.WaitForAssertion(() => cut.Find("svg.sensor-band-chart[aria-label*='warning at 88']").Should().NotBeNull());

        string href = cut.FindAll("a").Single(a => a.TextContent.Contains("Download this profile as Excel", StringComparison.Ordinal)).GetAttribute("href")!;
        var parsed = GanDashboard.Core.Profiles.ProfileParser.Parse(Convert.FromBase64String(href[(href.IndexOf(',') + 1)..]), "motor.xlsx");

        parsed.Profile.Sensors![1].Warning.Should().Be(88);
        ProfileSamples.Canonical(parsed.Profile).Should()
            .Be(ProfileSamples.Canonical(ProfileSamples.Motor.WithSensor(1, s => s with { Warning = 88 })));
    }
}
