using Bunit;
using GanDashboard.Web.Components.Pages.Analytics;
using GanDashboard.Web.Components.Pages.Batch;
using GanDashboard.Web.Components.Pages.Explorer;
using GanDashboard.Web.Components.Pages.Generation;
using GanDashboard.Web.Components.Pages.Validation;
using Microsoft.AspNetCore.Components;

namespace GanDashboard.Tests.Dashboard;

public sealed class EmptyPagesTests : DashboardTest
{
    public static TheoryData<Type, string> Pages() => new()
    {
        { typeof(Generation), "Generation samples a trained TVAE" },
        { typeof(Validation), "Nothing to validate yet" },
        { typeof(Batch), "No machines to batch" },
        { typeof(Analytics), "No activity to analyse yet" },
        { typeof(DataExplorer), "No datasets stored yet" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void An_empty_store_gives_each_page_its_empty_state_with_a_way_forward(Type page, string text)
    {
        var cut = Render(builder => { builder.OpenComponent(0, page); builder.CloseComponent(); });
        cut.WaitForAssertion(() => cut.Find(".page-empty").TextContent.Should().Contain(text));
        cut.Find(".page-empty a").GetAttribute("href").Should().Be("/upload");
    }
}
