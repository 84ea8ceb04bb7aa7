using System.Text.RegularExpressions;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// WCAG 2.1 AA beyond the pages' first screens (ResponsivePageTests checks those): the tabs, settings, dialogs, menus
/// and running-task states the journey reaches, and the upload-to-download journey with the keyboard alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    // Keyboard stops per control searched; the drawer, app bar and a page's controls fit well within it.
    private const int MaxTabs = 60;

    [Fact]
    public async Task Tabs_settings_dialogs_menus_and_a_running_training_have_no_axe_violations_at_1440_375_and_320_px()
    {
        const string id = "motor_siemens_1la7_a11y";
        await fixture.Api.CreateMachineAsync("motor_siemens_1la7_001", id);
        await fixture.Api.RunAsync(id, "seed", new Dictionary<string, object> { ["samples"] = 300, ["seed"] = 2 });
        var problems = new List<string>();
        var open = new List<(int Width, DashboardPage Ui)>();
        try
        {
            foreach (int width in new[] { 1440, 375, 320 })
            {
                var ui = await fixture.OpenAsync(width, width >= 1000 ? 900 : 740);
                open.Add((width, ui));
                var page = ui.Page;
                await ui.GotoAsync($"/machines/{id}");
                foreach (string tab in new[] { "Datasets", "Models", "Tasks" })
                {
                    await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex($"^{tab}") }).ClickAsync();
                    problems.AddRange(await Accessibility.ViolationsAsync(page, $"machine page, {tab} tab, {width} px"));
                }
                await ui.Button("Pipeline settings").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Seed runs", Exact = true })).ToBeVisibleAsync();
                problems.AddRange(await Accessibility.ViolationsAsync(page, $"machine page, pipeline settings, {width} px"));

                await ui.Button("Delete").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
                problems.AddRange(await Accessibility.ViolationsAsync(page, $"delete dialog, {width} px"));
                await ui.Button("Keep").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            }

            // One training long enough to be looked at while it runs, at every width; its cancellation then fills the
            // notifications of the pages still open.
            string task = await fixture.Api.StartAsync(id, "train", new Dictionary<string, object> { ["epochs"] = 5000, ["batch_size"] = 100, ["mode"] = "plain" });
            foreach (var (width, ui) in open)
            {
                var page = ui.Page;
                await Expect(page.Locator(".workflow-steps")).ToContainTextAsync(new Regex(@"Epoch \d+/5000"), new() { Timeout = DashboardPage.TaskTimeoutMs });
                problems.AddRange(await Accessibility.ViolationsAsync(page, $"machine page while training, {width} px"));
                // Every page's running state at the desktop width; the phone widths show the same components.
                foreach (string path in width == 1440 ? new[] { "/", "/machines", "/analytics", "/training" } : ["/training"])
                {
                    await ui.GotoAsync(path);
                    await Expect(page.Locator(".page-state")).ToHaveCountAsync(0);
                    problems.AddRange(await Accessibility.ViolationsAsync(page, $"{path} while training, {width} px"));
                }
            }
            await fixture.Api.CancelActiveTasksAsync(id);
            await fixture.Api.WaitAsync(task);

            foreach (var (width, ui) in open)
            {
                // The cancellation reached the open page as a notification: the badge, then the open menu.
                var page = ui.Page;
                await Expect(page.GetByText("1", new() { Exact = true }).Locator("xpath=ancestor::*[contains(@class,'mud-badge')]").First).ToBeVisibleAsync();
                problems.AddRange(await Accessibility.ViolationsAsync(page, $"notification badge, {width} px"));
                await page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true }).ClickAsync();
                await Expect(page.GetByText($"train of {id} was cancelled")).ToBeVisibleAsync();
                problems.AddRange(await Accessibility.ViolationsAsync(page, $"notification menu, {width} px"));
            }
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(id);
            foreach (var (_, ui) in open) await ui.DisposeAsync();
        }
        problems.Should().BeEmpty(string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Keyboard_alone_uploads_creates_runs_the_pipeline_and_downloads_with_visible_focus_and_no_trap()
    {
        const string id = "pump_ksb_etanorm_kbd";
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            await ui.GotoAsync("/upload");
            await WaitForNavigationFocusAsync(page);
            var chooser = await page.RunAndWaitForFileChooserAsync(async () =>
            {
                await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Choose file for the profile" }));
                await page.Keyboard.PressAsync("Enter");
            });
            await chooser.SetFilesAsync(new FilePayload { Name = id + ".json", MimeType = "application/json", Buffer = DashboardApi.SampleProfileAs("pump_ksb_etanorm_002", id) });
            await Expect(page.GetByText("Valid", new() { Exact = true })).ToBeVisibleAsync();

            await TabToAsync(page, ui.Button("Create machine"));
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex($"/machines/{id}$"), new() { Timeout = DashboardPage.TaskTimeoutMs });
            await ui.WaitForInteractiveAsync();
            await WaitForNavigationFocusAsync(page);

            await TabToAsync(page, ui.Button("Pipeline settings"));
            await page.Keyboard.PressAsync("Enter");
            await TypeNumberAsync(page, "Seed runs", 6);
            await TypeNumberAsync(page, "Unseen runs", 2);
            await TypeNumberAsync(page, "Epochs", 3);
            await TabToAsync(page, ui.Button("Run full pipeline"), backwards: true);
            await page.Keyboard.PressAsync("Enter");
            await Expect(ui.Snackbar.GetByText("Full pipeline queued")).ToBeVisibleAsync();

            var download = page.GetByRole(AriaRole.Link, new() { Name = $"Download train split of {id} as csv" });
            await Expect(download).ToBeVisibleAsync(new() { Timeout = 2 * DashboardPage.TaskTimeoutMs });
            var file = await page.RunAndWaitForDownloadAsync(async () =>
            {
                await TabToAsync(page, download);
                await page.Keyboard.PressAsync("Enter");
            });
            using var folder = TestData.NewTempFolder();
            string path = folder.File(file.SuggestedFilename);
            await file.SaveAsAsync(path);
            (await TableFile.ReadAsync(path)).RowCount.Should().BeGreaterThan(0);
            ui.Errors.Should().BeEmpty();
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(id);
        }
    }

    [Fact]
    public async Task The_profile_editor_has_no_axe_violations_at_1440_375_and_320_px_and_its_fields_work_by_keyboard()
    {
        // A finding in the upload makes the editor show errors at a field, in the summary and in the chart's band order.
        var json = System.Text.Json.Nodes.JsonNode.Parse(DashboardApi.SampleProfileAs("motor_siemens_1la7_001", "motor_siemens_1la7_edit"))!;
        json["sensors"]![1]!["critical"] = 80; // below its warning (85)
        byte[] profile = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        var problems = new List<string>();
        foreach (int width in new[] { 1440, 375, 320 })
        {
            await using var ui = await fixture.OpenAsync(width, width >= 1000 ? 900 : 740);
            var page = ui.Page;
            await ui.GotoAsync("/upload");
            await ui.UploadAsync("motor_siemens_1la7_edit.json", profile);
            await Expect(page.Locator(".sensor-row").First).ToBeVisibleAsync();
            await Expect(page.Locator("[data-field='sensors[1].critical']")).ToContainTextAsync("must be below critical (80)");
            problems.AddRange(await Accessibility.ViolationsAsync(page, $"profile editor, Form tab, {width} px"));
            await page.GetByRole(AriaRole.Tab, new() { Name = "JSON", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Profile JSON", new() { Exact = true })).ToBeVisibleAsync();
            problems.AddRange(await Accessibility.ViolationsAsync(page, $"profile editor, JSON tab, {width} px"));
            ui.Errors.Should().BeEmpty();
        }
        problems.Should().BeEmpty(string.Join(Environment.NewLine, problems));

        // Keyboard alone: reach the failing critical level, correct it, and the profile turns valid.
        await using (var ui = await fixture.OpenAsync(1440))
        {
            var page = ui.Page;
            await ui.GotoAsync("/upload");
            await WaitForNavigationFocusAsync(page);
            await ui.UploadAsync("motor_siemens_1la7_edit.json", profile);
            var critical = page.GetByLabel("Critical of sensor 2", new() { Exact = true });
            await TabToAsync(page, page.GetByLabel("Machine id", new() { Exact = true }));
            await TabToAsync(page, critical);
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.TypeAsync("100");
            await Expect(page.GetByText("Valid", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(page.Locator("[data-field='sensors[1].critical']")).Not.ToContainTextAsync("must be below");
            ui.Errors.Should().BeEmpty();
        }
    }

    /// <summary>Focuses a number field with Tab, replaces its value by typing, and leaves it with Tab (which binds it).</summary>
    private static async Task TypeNumberAsync(IPage page, string label, int value)
    {
        var field = page.GetByRole(AriaRole.Spinbutton, new() { Name = label, Exact = true });
        await TabToAsync(page, field);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Tab");
        await Expect(field).ToHaveValueAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // What the focused element is and whether its focus shows: an outline drawn by the :focus-visible rule (or the control's own).
    private const string FocusedScript = """
        () => {
          const el = document.activeElement;
          if (!el || el === document.body) return { name: 'body', visible: true };
          const style = getComputedStyle(el);
          const name = el.tagName.toLowerCase() + (el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : '') + ` "${(el.innerText || el.value || '').trim().slice(0, 30)}"`;
          const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return { name, visible: outlined || style.boxShadow !== 'none' };
        }
        """;

    /// <summary>
    /// Waits (up to five seconds) for the router's FocusOnNavigate to move focus to the new page's heading. It runs after
    /// the first render of a navigation; a Tab pressed before it lands is overtaken by it, and the walk would then stand
    /// on the heading, which takes focus only programmatically (so shows no ring), mid-way.
    /// </summary>
    private static async Task WaitForNavigationFocusAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => document.activeElement?.tagName === 'H1'", null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // No heading took focus: the walk below starts from wherever focus is, and still checks every stop.
        }
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until <paramref name="target"/> has focus. Every stop on the way must show its focus;
    /// not reaching the target within <see cref="MaxTabs"/> stops means it is unreachable or focus is trapped elsewhere.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        await Expect(target).ToBeVisibleAsync();
        var visited = new List<string>();
        for (int i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var focused = await page.EvaluateAsync<FocusedElement>(FocusedScript);
            visited.Add(focused.Name);
            focused.Visible.Should().BeTrue($"keyboard focus must be visible, but {focused.Name} shows none");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement || el.contains(document.activeElement)")) return;
        }
        throw new Xunit.Sdk.XunitException($"{target} was not reached with {MaxTabs} {(backwards ? "Shift+Tab" : "Tab")} presses; focus went through: {string.Join(" → ", visited)}");
    }

    private sealed class FocusedElement
    {
        public string Name { get; set; } = "";
        public bool Visible { get; set; }
    }
}
