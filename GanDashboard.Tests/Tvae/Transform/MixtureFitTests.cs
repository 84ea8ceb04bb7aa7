using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using GanDashboard.Tvae.Transform;
using Xunit.Abstractions;

namespace GanDashboard.Tests.Tvae.Transform;

/// <summary>The continuous-column mixtures against what scikit-learn 1.2.1 fits with the reference settings (TestData/bgm).</summary>
public sealed class MixtureFitTests(ITestOutputHelper output)
{
    public static TheoryData<string> Samples => new() { "bimodal", "integers", "lognormal", "single", "trimodal" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Fitted_mixture_has_the_cdf_of_the_reference_mixture(string sample)
    {
        var (values, ours, reference) = FitAndLoad(sample);

        double gap = MixtureCdf.LargestGap(ours, reference, values.Min(), values.Max());
        output.WriteLine($"{sample}: largest CDF gap {gap:F4}; components kept {ours.Count} (reference {reference.Count})");

        gap.Should().BeLessThan(0.02, "the fitted mixture should describe {0} as scikit-learn's does", sample);
    }

    [Fact]
    public void Integer_sample_gets_one_component_per_distinct_value()
    {
        var table = Csv.Read(TestData.Path("bgm", "integers.csv"));
        var state = FitState(table);
        int distinct = table["value"].Numbers!.Distinct().Count();

        state.KeptComponents.Should().HaveCount(distinct);
        var keptMeans = state.KeptComponents.Select(k => state.Mixture.Means[k]).Order().ToArray();
        var values = table["value"].Numbers!.Distinct().Order().ToArray();
        for (int i = 0; i < distinct; i++) keptMeans[i].Should().BeApproximately(values[i], 0.01);
    }

    [Fact]
    public void Mixture_fit_is_deterministic_for_a_seed()
    {
        var table = Csv.Read(TestData.Path("bgm", "trimodal.csv"));

        var first = FitState(table, seed: 7);
        var second = FitState(table, seed: 7);

        second.Mixture.Means.Should().Equal(first.Mixture.Means);
        second.Mixture.Covariances.Should().Equal(first.Mixture.Covariances);
        second.Mixture.Weights.Should().Equal(first.Mixture.Weights);
    }

    private static ContinuousColumnState FitState(Table table, int seed = 0) =>
        DataTransformer.Fit(table, [], new TransformerOptions(), seed).ToState().Columns[0].Continuous!;

    private static (double[] Values, MixtureCdf Ours, MixtureCdf Reference) FitAndLoad(string sample)
    {
        var table = Csv.Read(TestData.Path("bgm", sample + ".csv"));
        var state = FitState(table);
        var m = state.Mixture;
        var ours = new MixtureCdf(state.KeptComponents.Select(k => (m.Weights[k], m.Means[k], Math.Sqrt(m.Covariances[k]))));

        using var json = JsonDocument.Parse(File.ReadAllText(TestData.Path("bgm", sample + ".expected.json")));
        var reference = new MixtureCdf(json.RootElement.GetProperty("kept_components").EnumerateArray()
            .Select(c => (c.GetProperty("weight").GetDouble(), c.GetProperty("mean").GetDouble(), c.GetProperty("std").GetDouble())));
        return (table["value"].Numbers!, ours, reference);
    }
}
