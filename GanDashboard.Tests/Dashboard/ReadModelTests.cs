using GanDashboard.Core.Tables;
using GanDashboard.Web.Components.Shared;
using GanDashboard.Web.Dashboard;

namespace GanDashboard.Tests.Dashboard;

public sealed class ReadModelTests
{
    [Theory]
    [InlineData("""[{"epoch":1,"train_loss":2.5,"validation_loss":2.7,"seconds":0.1},{"epoch":2,"train_loss":1.5,"validation_loss":null}]""")]
    [InlineData("""[{"Epoch":1,"TrainLoss":2.5,"ValidationLoss":2.7},{"Epoch":2,"TrainLoss":1.5}]""")]
    public void Training_history_reads_snake_and_pascal_case(string json)
    {
        TrainingHistory.Parse(json).Should().Equal(new EpochPoint(1, 2.5, 2.7), new EpochPoint(2, 1.5, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    public void Unreadable_history_gives_an_empty_curve(string json) => TrainingHistory.Parse(json).Should().BeEmpty();

    [Fact]
    public void Small_values_are_spread_over_whole_ticks_and_labelled_in_their_own_units()
    {
        var scale = ChartScale.For([0.012, 0.3, 0.45]);
        scale.Factor.Should().Be(100);
        scale.Apply([0.3]).Should().Equal(30);
        var options = scale.LineOptions();
        options.YAxisTicks.Should().BeGreaterThanOrEqualTo(1);
        options.YAxisToStringFunc!(30).Should().Be("0.3");
        options.ShowToolTips.Should().BeFalse();
        ChartScale.For([120, 900]).Factor.Should().Be(1);
        ChartScale.For([120, 900]).LineOptions(points: 20).ShowToolTips.Should().BeTrue("a short series keeps its tooltips");
        var dense = ChartScale.For([120, 900]).LineOptions(points: 600);
        dense.ShowToolTips.Should().BeFalse("a hover target per point of a dense chart is most of a page's first render");
        dense.ShowDataMarkers.Should().BeFalse();
        ChartScale.Label(6000).Should().Be("6,000");
    }

    [Fact]
    public void Distributions_share_bins_and_each_side_sums_to_one()
    {
        var comparison = DatasetExplorer.Compare(Column.Numeric("x", [0, 1, 2, 3]), Column.Numeric("x", [2, 3, 4, 5, double.NaN]))!;
        comparison.Bins.Should().HaveCount(20);
        comparison.Reference.Sum().Should().BeApproximately(1, 1e-9);
        comparison.Compared.Sum().Should().BeApproximately(1, 1e-9);
        comparison.Reference[^1].Should().Be(0, "nothing real reaches the synthetic maximum");

        var labels = DatasetExplorer.Compare(Column.Categorical("m", ["a", "a", "b", null]), Column.Categorical("m", ["b", "b", "c"]))!;
        labels.Bins.Should().BeEquivalentTo(["a", "b", "c"]);
        labels.Reference.Sum().Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Column_statistics_ignore_missing_values()
    {
        var stats = DatasetExplorer.Statistics(Column.Numeric("x", [1, 3, double.NaN]));
        stats.Should().BeEquivalentTo(new { Missing = 1, Mean = 2.0, Min = 1.0, Max = 3.0, Distinct = 2 });
        stats.Std.Should().BeApproximately(Math.Sqrt(2), 1e-12);
        DatasetExplorer.Statistics(Column.Categorical("c", ["a", "b", "a", null])).TopLabel.Should().Be("a");
    }
}
