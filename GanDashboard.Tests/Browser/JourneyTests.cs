using System.Globalization;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>A new user's whole way through the dashboard, in a real Chromium against the real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserFixture fixture)
{
    private const string MachineId = "cnc_haas_vf2_004";
    private const int TrainingEpochs = 5;

    // Records every label of the live loss chart ("Loss per epoch, N epochs") as the circuit redraws it.
    private const string RecordLossChartScript = """
        () => {
          window.__lossCharts = [];
          const record = () => document.querySelectorAll('[role=img][aria-label^="Loss per epoch"]').forEach(chart => {
            const label = chart.getAttribute('aria-label');
            if (!window.__lossCharts.includes(label)) window.__lossCharts.push(label);
          });
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        """;

    [Fact]
    public async Task The_first_visit_set_up_the_administrator_who_is_signed_in_without_policy_violations()
    {
        fixture.FirstVisitUrl.Should().EndWith("/setup", "a fresh data directory has no administrator");
        await using var ui = await fixture.OpenAsync(1440);
        await ui.GotoAsync("/access");
        await Expect(ui.Page.Locator("#signed-in-user")).ToContainTextAsync($"{BrowserFixture.AdminName} (admin)");
        await Expect(ui.Page.Locator("#users")).ToContainTextAsync(BrowserFixture.AdminName);
        // A content security policy violation is a console error: none means Blazor and MudBlazor run under the policy.
        ui.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task New_user_fixes_a_profile_then_seeds_trains_generates_validates_and_downloads()
    {
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;

        // 1. Upload a copy with a deliberate error: the finding names the field and the fix, and creation is blocked.
        await ui.GotoAsync("/upload");
        await ui.UploadAsync($"{MachineId}.json", DashboardApi.SampleProfileAs(MachineId, "CNC Haas VF2"));
        await Expect(page.GetByText("1 error(s)")).ToBeVisibleAsync();
        // The finding is listed with its fix, and said again at the form field it concerns.
        await Expect(page.Locator(".findings").GetByText("machine_id 'CNC Haas VF2' must be lower snake_case")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-field='machine_id']")).ToContainTextAsync("must be lower snake_case");
        await Expect(page.GetByText("Suggested fix:").First).ToBeVisibleAsync();
        await Expect(ui.Button("Create machine")).ToBeDisabledAsync();
        await SaveScreenshotAsync(page, "upload-finding");

        // 2. Fix it in the form: the finding goes as the user types, and the JSON view shows the corrected id.
        var idField = page.GetByLabel("Machine id", new() { Exact = true });
        (await idField.InputValueAsync()).Should().Be("CNC Haas VF2");
        await idField.FillAsync(MachineId);
        await Expect(page.GetByText("Valid", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("error(s)")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Tab, new() { Name = "JSON", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Profile JSON", new() { Exact = true })).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"\"machine_id\": \"{MachineId}\""));
        await SaveScreenshotAsync(page, "upload-fixed-json");

        // 3. Create the machine: its page shows seed data as the next step.
        await ui.Button("Create machine").ClickAsync();
        // Blazor navigates in the page (history.pushState): poll the address instead of waiting for a load event
        // that such a navigation may never fire (it timed out once with the page already shown).
        try { await Expect(page).ToHaveURLAsync(MachinePage(MachineId), new() { Timeout = DashboardPage.TaskTimeoutMs }); }
        catch (PlaywrightException)
        {
            await SaveScreenshotAsync(page, "create-failed");
            throw;
        }
        await Expect(ui.Snackbar.GetByText($"Machine {MachineId} created.")).ToBeVisibleAsync();
        await Expect(Step(page, "Seed data")).ToContainTextAsync("Next step");

        // 4. Seed data: the dashboard offers it as a batch step (one machine is a batch of one).
        await ui.GotoAsync("/batch");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = MachineId, Exact = true }).CheckAsync();
        await ui.ChooseAsync("Step", "Generate seed data");
        await ui.Button("Run on 1 machine(s)").ClickAsync();
        await Expect(page.GetByText("1 done · 0 failed")).ToBeVisibleAsync(new() { Timeout = DashboardPage.TaskTimeoutMs });
        await ui.GotoAsync($"/machines/{MachineId}");
        await Expect(Step(page, "Seed data")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"[\d,]+ rows, \d+ runs"));

        // 5. Train with a tiny epoch count and watch the loss chart grow epoch by epoch.
        await ui.GotoAsync("/training");
        await ui.ChooseManyAsync("Machines", MachineId);
        await ui.SetNumberAsync("Epochs", TrainingEpochs);
        await ui.ChooseAsync("Mode", "plain TVAE");
        await page.EvaluateAsync(RecordLossChartScript);
        await ui.Button("Train 1 machine(s)").ClickAsync();
        await Expect(page.Locator(".status-chip").First).ToHaveTextAsync("SUCCESS", new() { Timeout = DashboardPage.TaskTimeoutMs });
        await Expect(page.GetByText($"Epoch {TrainingEpochs}: loss").First).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "training-finished");
        var charts = await page.EvaluateAsync<string[]>("() => window.__lossCharts");
        charts.Should().Contain($"Loss per epoch, {TrainingEpochs} epochs");
        charts.Should().HaveCountGreaterThan(1, "the chart must be redrawn while training runs, not only once at the end");
        var historyRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = MachineId });
        await Expect(historyRow.GetByRole(AriaRole.Cell, new() { Name = "plain", Exact = true })).ToBeVisibleAsync();
        await Expect(historyRow.GetByRole(AriaRole.Cell, new() { Name = TrainingEpochs.ToString(CultureInfo.InvariantCulture), Exact = true })).ToBeVisibleAsync();

        // 6. Generate Train/Val/Test with small split sizes.
        await ui.GotoAsync("/generation");
        await ui.ChooseAsync("Machine", MachineId);
        await ui.SetNumberAsync("Train", 600);
        await ui.SetNumberAsync("Validation", 200);
        await ui.SetNumberAsync("Test", 200);
        await ui.Button("Generate Train/Val/Test").ClickAsync();
        await Expect(page.GetByText("train 600 rows · val 200 rows · test 200 rows")).ToBeVisibleAsync(new() { Timeout = DashboardPage.TaskTimeoutMs });

        // 7. Download two splits and read them back.
        using (var folder = TestData.NewTempFolder())
        {
            var train = await DownloadAsync(page, folder, "train", "parquet");
            train.RowCount.Should().Be(600);
            train.Has("tool_flank_wear_mm").Should().BeTrue();
            var val = await DownloadAsync(page, folder, "val", "csv");
            val.RowCount.Should().Be(200);
            val.ColumnNames.Should().BeEquivalentTo(train.ColumnNames);
        }

        // The report page's own browser errors are checked at every width by ResponsivePageTests.
        ui.Errors.Should().BeEmpty("upload, seeding, training, generation and download must not raise browser errors");

        // 8. Validate and open the report: the page shows the stored report's score and verdict.
        await ui.GotoAsync("/validation");
        await ui.ChooseAsync("Machine", MachineId);
        await ui.Button("Validate newest generation").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quality report" })).ToBeVisibleAsync(new() { Timeout = DashboardPage.TaskTimeoutMs });
        var report = await fixture.Api.GetAsync($"/api/gan/machines/{MachineId}/validate");
        string overall = (report.GetProperty("overall").GetDouble() * 100).ToString("F1", CultureInfo.InvariantCulture);
        await Expect(page.GetByText(overall, new() { Exact = false }).First).ToBeVisibleAsync();
        await Expect(page.Locator(".sections")).ToContainTextAsync("fidelity");
        await Expect(page.Locator(".sections")).ToContainTextAsync("physics");
        string verdict = report.GetProperty("passed").GetBoolean() ? "Passed" : "Failed";
        await Expect(page.GetByText(verdict, new() { Exact = true }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Per-column scores" })).ToBeVisibleAsync();

        // 9. The audit trail lists the journey's actions, each by the signed-in administrator and succeeded.
        var audit = await fixture.Api.GetAsync($"/api/gan/audit?actor={BrowserFixture.AdminName}&page_size=200");
        var entries = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: Text(e, "action"), Kind: Text(e, "target_kind"), Target: Text(e, "target_id"), Outcome: Text(e, "outcome"), Detail: Text(e, "detail") ?? ""))
            .ToList();
        entries.Should().Contain(e => e.Action == "uploaded" && e.Kind == "profile_draft" && e.Detail.Contains($"file {MachineId}.json"));
        entries.Should().Contain(e => e.Action == "created" && e.Kind == "machine" && e.Target == MachineId);
        entries.Should().Contain(e => e.Action == "started" && e.Kind == "batch" && e.Detail.Contains("seed"));
        foreach (string step in new[] { "train", "generate", "validate" })
            entries.Should().Contain(e => e.Action == "started" && e.Kind == "machine" && e.Target == MachineId && e.Detail.Contains(step), $"the {step} start is in the trail");
        entries.Where(e => e.Target == MachineId).Should().OnlyContain(e => e.Outcome == "succeeded");
        entries.Should().Contain(e => e.Action == "signed_in", "the first-run setup signed the administrator in");
    }

    /// <summary>A string property of an API object; absent when null (the API leaves nulls out).</summary>
    private static string? Text(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.GetString() : null;

    [Fact]
    public async Task Create_and_run_full_pipeline_shows_live_progress_under_the_running_step_and_can_be_cancelled()
    {
        // The pump, whose default pipeline trains for minutes: the CNC's (86 s in all, built in Release) could end between
        // the first epoch on the page and the click on "Cancel task", leaving nothing to cancel.
        const string id = "pump_ksb_etanorm_005";
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            await ui.GotoAsync("/upload");
            await ui.UploadAsync($"{id}.json", DashboardApi.SampleProfileAs("pump_ksb_etanorm_002", id));
            await Expect(page.GetByText("Valid", new() { Exact = true })).ToBeVisibleAsync();
            await ui.Button("Create machine & run full pipeline").ClickAsync();
            await Expect(page).ToHaveURLAsync(MachinePage(id));
            await Expect(ui.Snackbar.GetByText("the full pipeline is running")).ToBeVisibleAsync();

            // Seeding is done once the pipeline trains: its epochs reach the page live.
            var epochs = new System.Text.RegularExpressions.Regex(@"Epoch \d+/\d+");
            await Expect(page.Locator(".workflow-steps")).ToContainTextAsync(epochs, new() { Timeout = DashboardPage.TaskTimeoutMs });
            // Live state from the server: the seed step and the datasets tab show the seed data the pipeline just wrote
            // (they kept "Next step" and "Datasets (0)" until the whole pipeline ended).
            var live = new LocatorAssertionsToContainTextOptions { Timeout = 3_000 };
            await Expect(Step(page, "Seed data")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"[\d,]+ rows"), live);
            await Expect(page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Datasets \([1-9]") })).ToBeVisibleAsync(new() { Timeout = 3_000 });
            string seedStepWhileTraining = await Step(page, "Seed data").InnerTextAsync();
            string trainStepWhileTraining = await Step(page, "TVAE training").InnerTextAsync();

            await page.GetByRole(AriaRole.Tab, new() { Name = "Tasks" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();
            await Expect(page.Locator(".task-table")).ToContainTextAsync("CANCELLED", new() { Timeout = DashboardPage.TaskTimeoutMs });
            await Expect(Step(page, "Seed data")).ToContainTextAsync(" runs");
            ui.Errors.Should().BeEmpty();

            // Checked last so a wrong strip does not hide the cancel path: the epochs belong to the training step.
            trainStepWhileTraining.Should().MatchRegex(epochs.ToString(), "the training step is the one running");
            seedStepWhileTraining.Should().NotContain("Epoch", "seeding had finished when the epochs arrived");
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(id);
        }
    }

    /// <summary>One card of the seed → train → generate → validate strip, found by its heading.</summary>
    private static System.Text.RegularExpressions.Regex MachinePage(string id) =>
        new($"/machines/{System.Text.RegularExpressions.Regex.Escape(id)}$");

    private static ILocator Step(IPage page, string title) =>
        page.Locator(".workflow-step").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }) });

    /// <summary>Journey screenshots for review and the user guide, next to the per-page ones.</summary>
    private static Task SaveScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResponsivePageTests.ScreenshotRoot, "journey", name + ".png"), FullPage = true });

    private static async Task<Table> DownloadAsync(IPage page, TempFolder folder, string split, string format)
    {
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = $"Download {split} split of {MachineId} as {format}" }).ClickAsync());
        download.SuggestedFilename.Should().Be($"{MachineId}_{split}.{format}");
        (await download.FailureAsync()).Should().BeNull();
        string file = folder.File(download.SuggestedFilename);
        await download.SaveAsAsync(file);
        return await TableFile.ReadAsync(file);
    }
}
