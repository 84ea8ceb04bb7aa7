using Bunit;
using GanDashboard.Web.Components.Pages.Analytics;
using GanDashboard.Web.Components.Pages.Generation;
using GanDashboard.Web.Components.Pages.Validation;

namespace GanDashboard.Tests.Dashboard;

/// <summary>The pages that need a generation and its quality report, over a real (simulated) pair of datasets.</summary>
public sealed class JudgedDataPagesTests : DashboardTest
{
    [Fact]
    public async Task Validation_shows_each_section_every_column_score_the_heat_map_and_RUL_monotonicity()
    {
        string id = await CreateMachineAsync();
        var (_, report) = await AddJudgedGenerationAsync(id);

        var cut = Render<Validation>();

        cut.WaitForAssertion(() => cut.Find(".sections").TextContent.Should().Contain(report.Sections[0].Name));
        cut.FindAll(".sections tbody tr").Should().HaveCount(report.Sections.Count);
        cut.Markup.Should().Contain(report.Passed ? "Passed" : "Failed");
        foreach (var column in report.Fidelity.Columns.Where(c => c.Score is not null).Take(3))
            cut.Markup.Should().Contain(column.Column).And.Contain(column.Score!.Value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        cut.FindAll(".chart-box svg").Count.Should().BeGreaterThanOrEqualTo(3, "distribution, heat map and trajectories are drawn");
        // A simulator's RUL only counts down, so every run of both datasets is monotone.
        cut.Find(".rul-line").TextContent.Should().Contain("Seed: 4/4 runs never increase").And.Contain("Synthetic: 4/4 runs never increase");
    }

    [Fact]
    public async Task Generation_previews_the_newest_split_compares_it_with_the_seed_and_links_the_downloads()
    {
        string id = await CreateMachineAsync();
        await AddJudgedGenerationAsync(id);

        var cut = Render<Generation>();

        cut.WaitForAssertion(() => cut.Markup.Should().Contain("Newest generation"));
        cut.FindAll(".dataset-grid tbody tr").Should().HaveCount(10);
        // Only the splits this generation has are offered (the stand-in generation has a train split alone).
        var links = cut.FindAll(".download-links a[href]").Select(a => a.GetAttribute("href")).ToList();
        links.Should().BeEquivalentTo([$"/api/gan/machines/{id}/datasets/train?format=parquet", $"/api/gan/machines/{id}/datasets/train?format=csv"]);
    }

    [Fact]
    public async Task Analytics_names_each_machines_workflow_state_in_a_table_and_draws_quality_and_task_charts()
    {
        string id = await CreateMachineAsync();
        await AddJudgedGenerationAsync(id);

        var cut = Render<Analytics>();

        cut.WaitForAssertion(() => cut.FindAll(".stat-value").Select(e => e.TextContent).Should().Contain(["1", "0"]));
        cut.Markup.Should().Contain("Machine health").And.NotContain("No validation reports yet");
        cut.FindAll(".chart-box svg").Should().NotBeEmpty("the quality trend is drawn");
        var health = cut.FindAll(".health-table tbody tr").Where(row => row.TextContent.Contains(id, StringComparison.Ordinal)).ToList();
        health.Should().ContainSingle();
        health[0].QuerySelectorAll("td.health-done").Should().NotBeEmpty("the machine has seed data, synthetic data and a report");
    }
}
