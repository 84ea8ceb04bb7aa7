using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// "Run full pipeline" from a machine's page, with the run count and epochs turned down in its settings so it fits CI:
/// the report page shows the verdict and the unseen runs it rests on, as the API's report has them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PipelineVerdictTests(BrowserFixture fixture)
{
    private const string MachineId = "cnc_haas_vf2_006";
    private const int SeedRuns = 30, UnseenRuns = 30, Epochs = 20;

    [Fact]
    public async Task Full_pipeline_with_reduced_settings_ends_in_a_verdict_that_names_the_runs_it_rests_on()
    {
        await fixture.Api.CreateMachineAsync("cnc_haas_vf2_004", MachineId);
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            await ui.GotoAsync($"/machines/{MachineId}");
            await ui.Button("Pipeline settings").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Seed runs", Exact = true })).ToHaveValueAsync("100");
            await ui.SetNumberAsync("Seed runs", SeedRuns);
            await ui.SetNumberAsync("Unseen runs", UnseenRuns);
            await ui.SetNumberAsync("Epochs", Epochs);
            await ui.Button("Run full pipeline").ClickAsync();
            await Expect(ui.Snackbar.GetByText("Full pipeline queued")).ToBeVisibleAsync();

            // The validation step is the pipeline's last: wait for the machine's status to carry a report.
            var deadline = DateTime.UtcNow.AddMilliseconds(DashboardPage.TaskTimeoutMs * 2);
            while (!(await fixture.Api.GetAsync($"/api/gan/machines/{MachineId}/status")).GetProperty("has_validation").GetBoolean())
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the reduced pipeline must finish within CI's patience");
                await Task.Delay(1000);
            }

            var report = await fixture.Api.GetAsync($"/api/gan/machines/{MachineId}/validate");
            var data = report.GetProperty("data");
            data.GetProperty("real_runs").GetInt32().Should().Be(SeedRuns, "the seed step simulated the runs asked for in the settings");
            data.GetProperty("unseen_runs").GetInt32().Should().Be(UnseenRuns);
            data.GetProperty("synthetic_runs").GetInt32().Should().BeGreaterThanOrEqualTo(SeedRuns, "the train split has at least the seed's runs");
            string verdict = report.GetProperty("verdict").GetString()!;
            verdict.Should().BeOneOf("passed", "failed", "not_judged");

            await ui.GotoAsync("/validation");
            await ui.ChooseAsync("Machine", MachineId);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quality report" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("report-verdict")).ToContainTextAsync(new Regex(verdict switch
            {
                "passed" => "Passed", "failed" => "Failed", _ => "Not judged",
            }));
            await Expect(page.GetByTestId("unseen-runs")).ToContainTextAsync($"judged on {UnseenRuns} unseen runs");
            await Expect(page.Locator(".sections")).ToContainTextAsync($"{SeedRuns} seed runs");
            ui.Errors.Should().BeEmpty();
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(MachineId);
        }
    }

    [Fact]
    public async Task Bench_pipeline_runs_the_pipeline_on_a_new_machine_and_prints_the_reports_verdict_and_gates()
    {
        const string id = "pump_ksb_etanorm_006";
        using var folder = GanDashboard.Tests.Support.TestData.NewTempFolder();
        string profile = folder.File(id + ".json");
        await File.WriteAllBytesAsync(profile, DashboardApi.SampleProfileAs("pump_ksb_etanorm_002", id));
        var verbs = new Dictionary<string, Func<GanDashboard.Cli.CommandArgs, Task<int>>>(StringComparer.Ordinal)
        {
            ["bench pipeline"] = GanDashboard.Cli.Commands.BenchPipelineCommand.RunAsync,
        };
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            int code = await GanDashboard.Cli.CommandLine.RunAsync(["bench", "pipeline", "--url", fixture.Server.BaseAddress.ToString(), "--api-key", fixture.ApiKey, "--profile", profile,
                "--runs", "30", "--epochs", "10", "--unseen-runs", "30", "--timeout-minutes", "5"], verbs, output, error);

            var report = await fixture.Api.GetAsync($"/api/gan/machines/{id}/validate");
            string verdict = report.GetProperty("verdict").GetString()!;
            report.GetProperty("data").GetProperty("real_runs").GetInt32().Should().Be(30, "the seed step took --runs");
            report.GetProperty("data").GetProperty("unseen_runs").GetInt32().Should().Be(30);
            code.Should().Be(verdict == "passed" ? 0 : 1, error.ToString());
            string text = output.ToString();
            text.Should().Contain($"machine {id}").And.Contain($"verdict {verdict}").And.Contain("usefulness").And.Contain("memorisation");

            // A second run on the same dashboard refuses the machine it already made, naming the fix.
            var again = new StringWriter();
            (await GanDashboard.Cli.CommandLine.RunAsync(["bench", "pipeline", "--url", fixture.Server.BaseAddress.ToString(), "--api-key", fixture.ApiKey, "--profile", profile],
                verbs, new StringWriter(), again)).Should().Be(GanDashboard.Cli.ExitCodes.Unreadable);
            again.ToString().Should().Contain("already exists").And.Contain("--server");
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(id);
        }
    }
}
