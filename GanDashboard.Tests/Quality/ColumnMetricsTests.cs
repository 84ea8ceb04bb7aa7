using GanDashboard.Core.Quality.Fidelity;

namespace GanDashboard.Tests.Quality;

public class ColumnMetricsTests
{
    private const double NaN = double.NaN;

    [Fact]
    public void KsComplement_is_one_minus_the_largest_cdf_gap_with_ties_counted_together()
    {
        // real CDF at 1: 0.5, synthetic CDF at 1: 0.25 -> gap 0.25; at 2: 1.0 vs 0.5 -> gap 0.5.
        ColumnMetrics.KsComplement([1, 1, 2, 2], [1, 2, 3, 3]).Should().BeApproximately(0.5, 1e-12);
        ColumnMetrics.KsComplement([1, 2, 3], [1, 2, 3]).Should().Be(1);
    }

    [Fact]
    public void KsComplement_drops_nulls_and_has_no_score_for_an_empty_side()
    {
        ColumnMetrics.KsComplement([1, NaN, 2], [NaN, 1, 2]).Should().Be(1);
        double.IsNaN(ColumnMetrics.KsComplement([NaN, NaN], [1, 2])).Should().BeTrue();
    }

    [Fact]
    public void TvComplement_gives_a_synthetic_only_category_a_tiny_real_weight_as_sdmetrics_does()
    {
        ColumnMetrics.TvComplement(["a", "a", "b", null], ["a", "b", "b", null]).Should().BeApproximately(1 - 0.5 * (1 / 3.0 + 1 / 3.0), 1e-12);
        double score = ColumnMetrics.TvComplement(["a", "b"], ["a", "c"]);
        score.Should().BeLessThan(0.5 + 1e-5).And.BeGreaterThan(0.5, "the 1e-6 regularisation nudges it just above 0.5");
    }

    [Fact]
    public void TvComplement_without_values_is_incomputable()
    {
        var act = () => ColumnMetrics.TvComplement([null, null], ["a"]);
        act.Should().Throw<IncomputableMetricException>();
    }

    [Fact]
    public void BoundaryAdherence_counts_a_synthetic_null_as_outside_only_when_the_real_column_has_no_nulls()
    {
        ColumnMetrics.BoundaryAdherence([0, 10], [5, 11, NaN, 0]).Should().Be(0.5);
        ColumnMetrics.BoundaryAdherence([0, 10, NaN], [5, 11, NaN, 0]).Should().BeApproximately(2 / 3.0, 1e-12);
    }

    [Fact]
    public void CategoryAdherence_accepts_a_synthetic_null_only_when_the_real_column_has_nulls()
    {
        ColumnMetrics.CategoryAdherence(["a", "b"], ["a", null, "c", "b"]).Should().Be(0.5);
        ColumnMetrics.CategoryAdherence(["a", null], ["a", null, "c", "a"]).Should().Be(0.75);
    }

    [Fact]
    public void RangeCoverage_measures_the_covered_share_and_is_undefined_for_a_constant_real_column()
    {
        ColumnMetrics.RangeCoverage([0, 10], [2, 8]).Should().BeApproximately(0.6, 1e-12);
        ColumnMetrics.RangeCoverage([0, 10], [-5, 20]).Should().Be(1);
        double.IsNaN(ColumnMetrics.RangeCoverage([3, 3], [1, 5])).Should().BeTrue();
    }

    [Fact]
    public void CategoryCoverage_is_the_share_of_real_categories_produced()
    {
        ColumnMetrics.CategoryCoverage(["a", "b", "c", null], ["a", "a", "d", null]).Should().BeApproximately(1 / 3.0, 1e-12);
    }
}

public class PairMetricsTests
{
    [Fact]
    public void Histogram_edges_span_the_values_own_range_in_ten_equal_bins()
    {
        var edges = PairMetrics.HistogramBinEdges([0, 5, 10, double.NaN]);
        edges.Should().HaveCount(11);
        edges[0].Should().Be(0);
        edges[10].Should().Be(10);
        edges[3].Should().BeApproximately(3, 1e-12);
    }

    [Fact]
    public void A_constant_column_is_binned_over_its_value_plus_and_minus_a_half()
    {
        var edges = PairMetrics.HistogramBinEdges([5, 5, 5]);
        edges[0].Should().Be(4.5);
        edges[10].Should().Be(5.5);
        PairMetrics.Digitize([5.0], edges).Should().Equal(6);
    }

    [Fact]
    public void Digitize_puts_the_maximum_and_nulls_in_an_eleventh_bin()
    {
        var edges = PairMetrics.HistogramBinEdges([0, 10]);
        PairMetrics.Digitize([0, 0.5, 9.99, 10, double.NaN], edges).Should().Equal(1, 1, 10, 11, 11);
    }

    [Fact]
    public void Cramers_v_is_one_for_a_perfect_association_and_undefined_for_a_single_row_or_column()
    {
        PairMetrics.CramersV(new CodedPair([0, 0, 1, 1], [5, 5, 7, 7])).Should().BeApproximately(1, 1e-12);
        PairMetrics.CramersV(new CodedPair([0, 1, 0, 1], [5, 5, 7, 7])).Should().BeApproximately(0, 1e-12);
        double.IsNaN(PairMetrics.CramersV(new CodedPair([0, 0, 0], [1, 2, 3]))).Should().BeTrue();
    }

    [Fact]
    public void Contingency_similarity_is_one_minus_half_the_joint_frequency_distance()
    {
        var real = new CodedPair([0, 0, 1, 1], [0, 1, 0, 1]);
        var synthetic = new CodedPair([0, 0], [0, 0]);
        PairMetrics.ContingencySimilarity(real, synthetic).Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void Pearson_drops_incomplete_rows_and_is_undefined_without_spread()
    {
        PairMetrics.Pearson([1, 2, double.NaN, 3], [2, 4, 100, 6]).Should().BeApproximately(1, 1e-12);
        double.IsNaN(PairMetrics.Pearson([1, 1, 1], [1, 2, 3])).Should().BeTrue();
        var tooShort = () => PairMetrics.Pearson([1, double.NaN], [1, 2]);
        tooShort.Should().Throw<ArgumentException>();
    }
}
