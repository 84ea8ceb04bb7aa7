using System.Text.Json;
using GanDashboard.Core.Quality.Fidelity;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

/// <summary>Every score SDMetrics 0.29 reports for the reference table pairs, reproduced within 0.005.</summary>
public class SdMetricsParityTests
{
    private const double Tolerance = 0.005;

    public static TheoryData<string> Fixtures => new() { "mixed-close", "mixed-shifted", "edge-cases" };

    private static (FidelityResult Fidelity, DiagnosticResult Diagnostic, JsonElement Expected) Evaluate(string name)
    {
        var real = Csv.Read(TestData.Path("sdmetrics", name + ".real.csv"));
        var synthetic = Csv.Read(TestData.Path("sdmetrics", name + ".synthetic.csv"));
        var expected = JsonDocument.Parse(File.ReadAllText(TestData.Path("sdmetrics", name + ".expected.json"))).RootElement;
        var (fidelity, diagnostic) = FidelityEvaluator.Evaluate(real, synthetic, [], []);
        return (fidelity, diagnostic, expected);
    }

    private static double? Number(JsonElement row, string property) =>
        row.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static void ShouldMatch(double? actual, double? expected, string what)
    {
        if (expected is null) { actual.Should().BeNull(what); return; }
        actual.Should().NotBeNull(what);
        actual!.Value.Should().BeApproximately(expected.Value, Tolerance, what);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Column_kinds_read_from_the_csv_match_the_fixture_metadata(string name)
    {
        var real = Csv.Read(TestData.Path("sdmetrics", name + ".real.csv"));
        var expected = JsonDocument.Parse(File.ReadAllText(TestData.Path("sdmetrics", name + ".expected.json"))).RootElement;
        foreach (var column in expected.GetProperty("metadata").GetProperty("columns").EnumerateObject())
        {
            var kind = column.Value.GetProperty("sdtype").GetString() switch
            {
                "numerical" => ColumnKind.Numeric,
                "categorical" => ColumnKind.Categorical,
                "boolean" => ColumnKind.Boolean,
                "datetime" => ColumnKind.DateTime,
                var other => throw new InvalidDataException(other),
            };
            real[column.Name].Kind.Should().Be(kind, column.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Overall_and_property_scores_match_sdmetrics(string name)
    {
        var (fidelity, diagnostic, expected) = Evaluate(name);
        var properties = expected.GetProperty("properties");
        ShouldMatch(fidelity.Overall, expected.GetProperty("overall_score").GetDouble(), "overall");
        ShouldMatch(fidelity.ColumnShapes, Number(properties, "Column Shapes"), "Column Shapes");
        ShouldMatch(fidelity.ColumnPairTrends, Number(properties, "Column Pair Trends"), "Column Pair Trends");
        ShouldMatch(diagnostic.DataValidity, Number(expected.GetProperty("diagnostic_properties"), "Data Validity"), "Data Validity");
        ShouldMatch(diagnostic.TableStructure, Number(expected.GetProperty("diagnostic_properties"), "Data Structure"), "Data Structure");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_column_shape_row_matches_sdmetrics(string name)
    {
        var (fidelity, _, expected) = Evaluate(name);
        var rows = expected.GetProperty("column_shapes").EnumerateArray().ToList();
        fidelity.Columns.Select(c => c.Column).Should().Equal(rows.Select(r => r.GetProperty("Column").GetString()));
        foreach (var (actual, row) in fidelity.Columns.Zip(rows))
        {
            actual.Metric.Should().Be(row.GetProperty("Metric").GetString(), actual.Column);
            ShouldMatch(actual.Score, Number(row, "Score"), actual.Column);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_column_pair_row_matches_sdmetrics(string name)
    {
        var (fidelity, _, expected) = Evaluate(name);
        var rows = expected.GetProperty("column_pair_trends").EnumerateArray().ToList();
        fidelity.Pairs.Should().HaveCount(rows.Count);
        foreach (var (actual, row) in fidelity.Pairs.Zip(rows))
        {
            string pair = $"{actual.Column1}/{actual.Column2}";
            actual.Column1.Should().Be(row.GetProperty("Column 1").GetString());
            actual.Column2.Should().Be(row.GetProperty("Column 2").GetString());
            actual.Metric.Should().Be(row.GetProperty("Metric").GetString(), pair);
            ShouldMatch(actual.Score, Number(row, "Score"), pair + " score");
            ShouldMatch(actual.RealCorrelation, Number(row, "Real Correlation"), pair + " real correlation");
            ShouldMatch(actual.RealAssociation, Number(row, "Real Association"), pair + " real association");
            if (Number(row, "Synthetic Correlation") is { } syntheticCorrelation)
                ShouldMatch(actual.SyntheticCorrelation, syntheticCorrelation, pair + " synthetic correlation");
            var meets = row.GetProperty("Meets Threshold?");
            actual.MeetsThreshold.Should().Be(meets.ValueKind == JsonValueKind.Null ? null : meets.GetBoolean(), pair);
            string? error = row.TryGetProperty("Error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            actual.Error.Should().Be(error, pair);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_validity_row_matches_sdmetrics(string name)
    {
        var (_, diagnostic, expected) = Evaluate(name);
        var rows = expected.GetProperty("diagnostic_details").GetProperty("Data Validity").EnumerateArray().ToList();
        diagnostic.Columns.Should().HaveCount(rows.Count);
        foreach (var (actual, row) in diagnostic.Columns.Zip(rows))
        {
            actual.Column.Should().Be(row.GetProperty("Column").GetString());
            actual.AdherenceMetric.Should().Be(row.GetProperty("Metric").GetString(), actual.Column);
            ShouldMatch(actual.Adherence, Number(row, "Score"), actual.Column);
        }
    }
}
