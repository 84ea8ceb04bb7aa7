using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// Every page at desktop and phone widths: no horizontal scrolling, no browser errors, no table word broken or cut,
/// and no WCAG 2.1 A/AA violation that axe finds. Full-page screenshots go to
/// <c>TestResults/screenshots/{width}/</c> under the repository root (next to the test assembly when the tests run
/// outside a checkout), one PNG per page, for review and for the user guide.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResponsivePageTests(BrowserFixture fixture)
{
    private const string MachineId = "pump_ksb_etanorm_002";

    // Table cells whose longest word is wider than the cell: the word was broken ("Sco/re") or spills out of it.
    private const string BrokenWordsScript = """
        () => {
          const measure = document.createElement('canvas').getContext('2d');
          const broken = [];
          for (const cell of document.querySelectorAll('.page-container td, .page-container th')) {
            // Text for screen readers only (.sr-only) is clipped on purpose: it is not what the cell shows.
            let text = cell.innerText;
            for (const hidden of cell.querySelectorAll('.sr-only')) text = text.replace(hidden.innerText, '');
            text = text.trim();
            if (!text || cell.offsetParent === null) continue;
            const style = getComputedStyle(cell);
            measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const longest = Math.max(...text.split(/\s+/).map(word => measure.measureText(word).width));
            const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            if (longest > room + 1) broken.push(`"${text.slice(0, 40)}" needs ${Math.round(longest)} px, has ${Math.round(room)} px`);
          }
          return broken.slice(0, 5);
        }
        """;

    public static readonly IReadOnlyList<(string Name, string Path)> Pages =
    [
        ("overview", "/"), ("upload", "/upload"), ("machines", "/machines"), ("machine-detail", $"/machines/{MachineId}"),
        ("import", "/import"), ("training", "/training"), ("generation", "/generation"), ("validation", "/validation"), ("analytics", "/analytics"),
        ("batch", "/batch"), ("explorer", "/explorer"), ("audit", "/audit"),
    ];

    [Fact]
    public async Task Every_page_fits_1440_375_and_320_pixels_without_horizontal_scroll_browser_errors_or_accessibility_violations()
    {
        await PrepareMachineWithEveryArtefactAsync();
        var problems = new List<string>();
        foreach (int width in new[] { 1440, 375, 320 })
        {
            string folder = Directory.CreateDirectory(Path.Combine(ScreenshotRoot, width.ToString())).FullName;
            await using var ui = await fixture.OpenAsync(width, width >= 1000 ? 900 : 740);
            foreach (var (name, path) in Pages)
            {
                ui.ClearErrors();
                await ui.GotoAsync(path);
                await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                // The loading bar of PageState (role=status) is gone once the page has its data.
                await Expect(ui.Page.Locator(".page-state")).ToHaveCountAsync(0);
                await ui.Page.WaitForTimeoutAsync(500); // let charts and popovers settle before measuring
                await ui.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });

                var size = await ui.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
                if (size[0] > size[1]) problems.Add($"{path} at {width} px scrolls sideways: content is {size[0]} px wide in a {size[1]} px window");
                problems.AddRange(ui.Errors.Distinct().Take(5).Select(e => $"{path} at {width} px: {e}"));
                problems.AddRange(await Accessibility.ViolationsAsync(ui.Page, $"{path} at {width} px"));
                var brokenWords = await ui.Page.EvaluateAsync<string[]>(BrokenWordsScript);
                problems.AddRange(brokenWords.Select(cell => $"{path} at {width} px: table cell {cell}"));
            }
        }
        problems.Should().BeEmpty(string.Join(Environment.NewLine, problems));
    }

    /// <summary>Seed data, a model, a generation and a report, so each page shows its filled state (tiny sizes keep it fast).</summary>
    private async Task PrepareMachineWithEveryArtefactAsync()
    {
        await fixture.Api.CreateMachineAsync(MachineId, MachineId);
        await fixture.Api.RunAsync(MachineId, "seed", new Dictionary<string, object> { ["samples"] = 600, ["seed"] = 5 });
        await fixture.Api.RunAsync(MachineId, "train", new Dictionary<string, object> { ["epochs"] = 4, ["batch_size"] = 300, ["mode"] = "plain" });
        await fixture.Api.RunAsync(MachineId, "generate", new Dictionary<string, object> { ["train_samples"] = 400, ["val_samples"] = 100, ["test_samples"] = 100, ["seed"] = 3 });
        await fixture.Api.RunAsync(MachineId, "validate", new Dictionary<string, object> { ["usefulness"] = false });
    }

    /// <summary>TestResults/screenshots under the repository root (found by GanDashboard.sln), else next to the tests.</summary>
    public static string ScreenshotRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GanDashboard.sln"))) return Path.Combine(dir.FullName, "TestResults", "screenshots");
            return Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        }
    }
}
