using System.IO.Compression;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// A reliability engineer's own runs, end to end in the browser: the real C-MAPSS FD003 file dropped on "Import data",
/// the detected mapping confirmed, the full pipeline run (epochs turned down to fit CI), Train/Val/Test downloaded with
/// the file's own columns, and the quality report judged on held-out real units.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportJourneyTests(BrowserFixture fixture)
{
    private const string FileName = "cmapss_fd003_train.csv";
    private const string MachineId = "cmapss_fd003_train";
    private const int Epochs = 10;

    [Fact]
    public async Task Real_runs_go_from_the_file_to_downloaded_splits_and_a_report_judged_on_held_out_units()
    {
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            // 1. Drop the file: the detected mapping and the preview come back before anything is stored.
            await ui.GotoAsync("/import");
            await ui.UploadAsync(FileName, RealFile());
            await Expect(page.Locator(".import-mapping")).ToContainTextAsync("ready", new() { Timeout = DashboardPage.TaskTimeoutMs });
            await Expect(page.Locator(".field-run-id input")).ToHaveValueAsync("unit");
            await Expect(page.Locator(".field-order input")).ToHaveValueAsync("cycle");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview" })).ToBeVisibleAsync();

            // 2. Confirm: the machine exists with the 66 real units as its seed data.
            await ui.Button("Create the machine").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/machines/{MachineId}$"), new() { Timeout = DashboardPage.TaskTimeoutMs });
            await Expect(ui.Snackbar.GetByText($"Machine {MachineId} created from 66 runs.")).ToBeVisibleAsync();

            // 3. Run the pipeline: nothing to simulate for real runs, so its settings offer the epochs only.
            await ui.Button("Pipeline settings").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Seed runs" })).ToHaveCountAsync(0);
            await ui.SetNumberAsync("Epochs", Epochs);
            await ui.Button("Run full pipeline").ClickAsync();
            await Expect(ui.Snackbar.GetByText("Full pipeline queued")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Download test split of {MachineId} as parquet" }))
                .ToBeVisibleAsync(new() { Timeout = DashboardPage.TaskTimeoutMs * 2 });

            // 4. Download the three splits: the file's own columns, the id column left out, constants kept, labels exact.
            using (var folder = TestData.NewTempFolder())
            {
                foreach (string split in (string[])["train", "val", "test"])
                {
                    var table = await DownloadAsync(page, folder, split);
                    table.RowCount.Should().BeGreaterThan(0);
                    table.ColumnNames.Should().Contain(["run_id", "step", "cycle", "setting1", "s2", "s21", "rul", "rul_capped"]);
                    table.ColumnNames.Should().NotContain("unit", "the original id column is replaced by run_id");
                    table["s1"].Numbers!.Distinct().Should().Equal([518.67], "a constant column comes back with its constant");
                    var steps = table["step"].Numbers!;
                    var rul = table["rul"].Numbers!;
                    var cycle = table["cycle"].Numbers!;
                    for (int i = 0; i < table.RowCount; i++)
                        cycle[i].Should().Be(steps[i] + 1, "the cycle counter counts 1, 2, ... along each generated run (step counts from 0)");
                    rul.Min().Should().Be(0, "every generated run ends in failure");
                }
            }

            // 5. The report: judged on the held-out real units, and it says how many. The download links appear live as
            // soon as the pipeline has generated the splits; its validation step follows.
            await fixture.Api.WaitForReportAsync(MachineId);
            var report = await fixture.Api.GetAsync($"/api/gan/machines/{MachineId}/validate");
            int unseen = report.GetProperty("data").GetProperty("unseen_runs").GetInt32();
            unseen.Should().BeInRange(10, 33, "20 % of the 66 units (at least 10) are held out of training");
            await ui.GotoAsync("/validation");
            await ui.ChooseAsync("Machine", MachineId);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quality report" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("unseen-runs")).ToContainTextAsync($"judged on {unseen} unseen runs");
            string verdict = report.GetProperty("verdict").GetString() switch { "passed" => "Passed", "failed" => "Failed", _ => "Not judged" };
            await Expect(page.GetByTestId("report-verdict")).ToContainTextAsync(verdict);
            ui.Errors.Should().BeEmpty();
        }
        finally
        {
            await fixture.Api.CancelActiveTasksAsync(MachineId);
        }
    }

    /// <summary>The real FD003 file (kept gzipped in the test data: 2.8 MB as text).</summary>
    private static byte[] RealFile()
    {
        using var gz = new GZipStream(File.OpenRead(TestData.Path("real", FileName + ".gz")), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static async Task<Table> DownloadAsync(IPage page, TempFolder folder, string split)
    {
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = $"Download {split} split of {MachineId} as parquet" }).ClickAsync());
        (await download.FailureAsync()).Should().BeNull();
        string file = folder.File(download.SuggestedFilename);
        await download.SaveAsAsync(file);
        return await TableFile.ReadAsync(file);
    }
}
