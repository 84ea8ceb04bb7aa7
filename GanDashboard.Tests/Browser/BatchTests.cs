using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>The Batch page runs one step on several machines, each with its own live row.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BatchTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Two_machines_are_trained_in_one_batch()
    {
        string[] ids = ["motor_siemens_1la7_001", "motor_siemens_1la7_002"];
        foreach (string id in ids)
        {
            await fixture.Api.CreateMachineAsync("motor_siemens_1la7_001", id);
            // Small seed data: the batch trains with the default 300 epochs, so the rows set its duration.
            await fixture.Api.RunAsync(id, "seed", new Dictionary<string, object> { ["samples"] = 200, ["seed"] = 11 });
        }
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            await ui.GotoAsync("/batch");
            foreach (string id in ids) await page.GetByRole(AriaRole.Checkbox, new() { Name = id, Exact = true }).CheckAsync();
            await ui.ChooseAsync("Step", "Train TVAE");
            await ui.Button("Run on 2 machine(s)").ClickAsync();

            await Expect(ui.Snackbar.GetByText("2 task(s) queued, 0 refused.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Batch train" })).ToBeVisibleAsync();
            foreach (string id in ids)
                await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = $"{id} progress" })).ToBeVisibleAsync();
            await Expect(page.GetByText("2 done · 0 failed · 0 running or waiting · 0 refused"))
                .ToBeVisibleAsync(new() { Timeout = 2 * DashboardPage.TaskTimeoutMs });

            foreach (string id in ids)
            {
                var status = await fixture.Api.GetAsync($"/api/gan/machines/{id}/status");
                status.GetProperty("has_model").GetBoolean().Should().BeTrue($"{id} was trained by the batch");
                status.GetProperty("next_step").GetString().Should().Be("generate");
            }
            ui.Errors.Should().BeEmpty();
        }
        finally
        {
            foreach (string id in ids) await fixture.Api.CancelActiveTasksAsync(id);
        }
    }

    [Fact]
    public async Task A_batch_started_through_the_api_shows_up_live_on_an_open_batch_page()
    {
        string[] ids = ["pump_ksb_etanorm_b01", "pump_ksb_etanorm_b02"];
        foreach (string id in ids) await fixture.Api.CreateMachineAsync("pump_ksb_etanorm_002", id);
        await using var ui = await fixture.OpenAsync(1440);
        var page = ui.Page;
        try
        {
            await ui.GotoAsync("/batch");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

            await fixture.Api.StartBatchAsync("seed", ids, new Dictionary<string, object> { ["samples"] = 400, ["seed"] = 3 });
            // Pushed to the open page, not found on a reload: a few seconds at most on the shared 2-core machine.
            var live = new LocatorAssertionsToBeVisibleOptions { Timeout = 5_000 };
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Batch seed" })).ToBeVisibleAsync(live);
            foreach (string id in ids)
                await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = $"{id} progress" })).ToBeVisibleAsync(live);
            await Expect(page.GetByText("2 done · 0 failed · 0 running or waiting")).ToBeVisibleAsync(new() { Timeout = DashboardPage.TaskTimeoutMs });
            ui.Errors.Should().BeEmpty();
        }
        finally
        {
            foreach (string id in ids) await fixture.Api.CancelActiveTasksAsync(id);
        }
    }
}
