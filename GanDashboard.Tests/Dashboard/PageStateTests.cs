using Bunit;
using GanDashboard.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace GanDashboard.Tests.Dashboard;

public sealed class PageStateTests : DashboardTest
{
    private static readonly RenderFragment Data = b => b.AddMarkupContent(0, "<p class=\"data\">rows</p>");
    private static readonly RenderFragment Empty = b => b.AddMarkupContent(0, "<p class=\"nothing\">nothing yet</p>");

    [Fact]
    public void Loading_shows_a_progress_bar_and_no_data()
    {
        var cut = Render<PageState>(p => p.Add(x => x.Loading, true).Add(x => x.ChildContent, Data).Add(x => x.EmptyContent, Empty));
        cut.Find("[role=status]").TextContent.Should().Contain("Loading");
        cut.FindAll(".data").Should().BeEmpty();
    }

    [Fact]
    public void An_error_says_what_happened_and_offers_a_retry()
    {
        int retries = 0;
        var cut = Render<PageState>(p => p.Add(x => x.Error, "The store is unreachable. Try again.")
            .Add(x => x.OnRetry, () => retries++).Add(x => x.ChildContent, Data));
        cut.Find("[role=alert]").TextContent.Should().Contain("The store is unreachable");
        cut.Find("[role=alert] button").Click();
        retries.Should().Be(1);
        cut.FindAll(".data").Should().BeEmpty();
    }

    [Fact]
    public void Empty_shows_the_empty_content_and_data_shows_the_data()
    {
        Render<PageState>(p => p.Add(x => x.IsEmpty, true).Add(x => x.EmptyContent, Empty).Add(x => x.ChildContent, Data))
            .FindAll(".nothing").Should().ContainSingle();
        Render<PageState>(p => p.Add(x => x.EmptyContent, Empty).Add(x => x.ChildContent, Data))
            .FindAll(".data").Should().ContainSingle();
    }
}
