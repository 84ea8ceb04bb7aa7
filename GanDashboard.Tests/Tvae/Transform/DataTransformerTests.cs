using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tests.Tvae.Transform;

public sealed class DataTransformerTests
{
    private const int Rows = 600;
    private static readonly string[] Discrete = ["gear", "ratio"];

    [Fact]
    public void Spans_follow_the_reference_layout_with_a_null_span_for_columns_that_had_nulls()
    {
        var transformer = Fit(SampleTable());

        var byName = transformer.Columns.ToDictionary(c => c.Name);
        byName["temp"].Kind.Should().Be(ColumnTransformKind.Continuous);
        byName["temp"].Spans.Select(s => s.Activation).Should().Equal(SpanActivation.Tanh, SpanActivation.Softmax, SpanActivation.Softmax);
        byName["temp"].Spans[0].Dim.Should().Be(1);
        byName["temp"].Spans[2].Dim.Should().Be(2, "temp has nulls, so it gets a [present, missing] span");
        byName["count"].Spans.Select(s => s.Activation).Should().Equal(SpanActivation.Tanh, SpanActivation.Softmax);
        byName["ts"].Kind.Should().Be(ColumnTransformKind.Continuous);
        byName["mode"].Spans.Should().Equal(new SpanInfo(4, SpanActivation.Softmax)); // a, b, c and null
        byName["ok"].Spans.Should().Equal(new SpanInfo(2, SpanActivation.Softmax));
        byName["gear"].Kind.Should().Be(ColumnTransformKind.Discrete);
        byName["gear"].Spans.Should().Equal(new SpanInfo(5, SpanActivation.Softmax)); // 1-4 and null

        transformer.OutputSpans.Should().Equal(transformer.Columns.SelectMany(c => c.Spans));
        transformer.OutputDimensions.Should().Be(transformer.OutputSpans.Sum(s => s.Dim));
        int offset = 0;
        foreach (var column in transformer.Columns)
        {
            column.OutputOffset.Should().Be(offset);
            column.OutputDimensions.Should().Be(column.Spans.Sum(s => s.Dim));
            offset += column.OutputDimensions;
        }
    }

    [Fact]
    public void Transformed_rows_hold_a_bounded_alpha_and_exactly_one_hot_per_softmax_span()
    {
        var table = SampleTable();
        var transformer = Fit(table);

        var encoded = transformer.Transform(table, seed: 3);

        encoded.Length.Should().Be(Rows * transformer.OutputDimensions);
        for (int row = 0; row < Rows; row++)
        {
            int at = row * transformer.OutputDimensions;
            foreach (var span in transformer.OutputSpans)
            {
                var cells = encoded.AsSpan(at, span.Dim);
                if (span.Activation == SpanActivation.Tanh) Math.Abs(cells[0]).Should().BeLessThanOrEqualTo(0.99f);
                else
                {
                    cells.ToArray().Count(v => v == 1).Should().Be(1);
                    cells.ToArray().Count(v => v == 0).Should().Be(span.Dim - 1);
                }
                at += span.Dim;
            }
        }
    }

    [Fact]
    public void Inverse_of_transform_without_noise_gives_back_the_table()
    {
        var table = SampleTable();
        var transformer = Fit(table);
        var encoded = transformer.Transform(table, seed: 5);

        var decoded = transformer.InverseTransform(encoded, Rows, [], seed: 9);

        decoded.ColumnNames.Should().Equal(table.ColumnNames);
        foreach (var column in transformer.Columns)
        {
            var original = table[column.Name];
            var back = decoded[column.Name];
            back.Kind.Should().Be(original.Kind);
            if (column.Kind == ColumnTransformKind.Discrete)
            {
                if (original.Labels is not null) back.Labels.Should().Equal(original.Labels);
                else back.Numbers.Should().Equal(original.Numbers);
                continue;
            }
            var stds = ChosenComponentStds(transformer, column, encoded);
            for (int row = 0; row < Rows; row++)
            {
                double expected = original.Numbers![row], actual = back.Numbers![row];
                if (double.IsNaN(expected))
                {
                    actual.Should().Be(double.NaN, "nulls of {0} are modelled and come back", column.Name);
                    continue;
                }
                float alpha = encoded[row * transformer.OutputDimensions + column.OutputOffset];
                if (Math.Abs(alpha) >= 0.99f) continue; // clipped at encoding: the reference loses these too
                if (original.IsInteger) actual.Should().Be(expected);
                else actual.Should().BeApproximately(expected, 4 * stds[row] * 1e-7 + Math.Abs(expected) * 1e-15);
            }
        }
    }

    [Fact]
    public void Nulls_are_regenerated_at_the_training_rate_when_sampling_with_noise()
    {
        var table = SampleTable();
        var transformer = Fit(table);
        var encoded = transformer.Transform(table, seed: 1);
        var sigmas = Enumerable.Repeat(0.1f, transformer.OutputDimensions).ToArray();

        var decoded = transformer.InverseTransform(encoded, Rows, sigmas, seed: 2);

        double trainingRate = table["temp"].Numbers!.Count(double.IsNaN) / (double)Rows;
        double generatedRate = decoded["temp"].Numbers!.Count(double.IsNaN) / (double)Rows;
        trainingRate.Should().BeGreaterThan(0.05);
        generatedRate.Should().BeApproximately(trainingRate, 0.02);
        decoded["count"].Numbers!.Should().OnlyContain(v => v == Math.Round(v), "integer columns come back as whole numbers");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void State_survives_a_json_round_trip_and_gives_identical_results(bool snakeCase)
    {
        var table = SampleTable();
        var transformer = Fit(table).WithBounds(new Dictionary<string, (double Min, double Max)> { ["temp"] = (-50, 150) });
        var json = snakeCase ? new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower } : new JsonSerializerOptions();

        string text = JsonSerializer.Serialize(transformer.ToState(), json);
        var restored = DataTransformer.FromState(JsonSerializer.Deserialize<TransformerState>(text, json)!);

        restored.OutputSpans.Should().Equal(transformer.OutputSpans);
        restored.PhysicalBounds.Should().BeEquivalentTo(transformer.PhysicalBounds);
        var encoded = transformer.Transform(table, seed: 4);
        restored.Transform(table, seed: 4).Should().Equal(encoded);
        var sigmas = Enumerable.Repeat(0.2f, transformer.OutputDimensions).ToArray();
        var expected = transformer.InverseTransform(encoded, Rows, sigmas, seed: 6);
        var actual = restored.InverseTransform(encoded, Rows, sigmas, seed: 6);
        foreach (var name in table.ColumnNames)
        {
            if (expected[name].Numbers is { } numbers) actual[name].Numbers.Should().Equal(numbers);
            else actual[name].Labels.Should().Equal(expected[name].Labels);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_fit_and_transform_and_another_seed_other_component_draws()
    {
        var table = SampleTable();

        var first = Fit(table, seed: 11).Transform(table, seed: 12);
        var second = Fit(table, seed: 11).Transform(table, seed: 12);
        var otherDraws = Fit(table, seed: 11).Transform(table, seed: 13);

        second.Should().Equal(first);
        otherDraws.Should().NotEqual(first, "components that overlap are sampled, not picked");
    }

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        var table = SampleTable();
        var serial = DataTransformer.Fit(table, Discrete, new TransformerOptions { MaxDegreeOfParallelism = 1 }, seed: 3);
        var parallel = DataTransformer.Fit(table, Discrete, new TransformerOptions { MaxDegreeOfParallelism = 4 }, seed: 3);
        var encoded = serial.Transform(table, seed: 8);
        const int rows = 5000; // several blocks of the inverse transform
        var tiled = Enumerable.Range(0, rows).SelectMany(r => encoded.Skip(r % Rows * serial.OutputDimensions).Take(serial.OutputDimensions)).ToArray();
        var sigmas = Enumerable.Repeat(0.3f, serial.OutputDimensions).ToArray();

        parallel.Transform(table, seed: 8).Should().Equal(encoded);
        var expected = serial.InverseTransform(tiled, rows, sigmas, seed: 2);
        var actual = parallel.InverseTransform(tiled, rows, sigmas, seed: 2);
        foreach (var name in table.ColumnNames)
        {
            if (expected[name].Numbers is { } numbers) actual[name].Numbers.Should().Equal(numbers);
            else actual[name].Labels.Should().Equal(expected[name].Labels);
        }
    }

    [Fact]
    public void Generated_values_are_clipped_to_observed_or_physical_bounds_on_request()
    {
        var table = SampleTable();
        var transformer = Fit(table);
        var encoded = transformer.Transform(table, seed: 1);
        var wide = Enumerable.Repeat(1f, transformer.OutputDimensions).ToArray(); // sigma 1 throws alphas far out
        var observed = table["temp"].Numbers!.Where(double.IsFinite).ToArray();

        var free = Finite(transformer.InverseTransform(encoded, Rows, wide, seed: 3)["temp"]);
        var clipped = Finite(transformer.InverseTransform(encoded, Rows, wide, seed: 3, new InverseTransformOptions { ClipToObservedRange = true })["temp"]);
        var bounded = Finite(transformer.WithBounds(new Dictionary<string, (double Min, double Max)> { ["temp"] = (15, 50) })
            .InverseTransform(encoded, Rows, wide, seed: 3)["temp"]);

        free.Should().Contain(v => v < observed.Min() || v > observed.Max(), "without clipping the noise leaves the observed range");
        clipped.Should().OnlyContain(v => v >= observed.Min() && v <= observed.Max());
        bounded.Should().OnlyContain(v => v >= 15 && v <= 50);
        bounded.Should().Contain(v => v == 15).And.Contain(v => v == 50);
    }

    [Fact]
    public void Unknown_discrete_column_names_are_rejected()
    {
        var act = () => DataTransformer.Fit(SampleTable(), ["no_such_column"], new TransformerOptions(), seed: 0);

        act.Should().Throw<ArgumentException>().WithMessage("*no_such_column*");
    }

    private static DataTransformer Fit(Table table, int seed = 0) =>
        DataTransformer.Fit(table, Discrete, new TransformerOptions(), seed);

    private static double[] Finite(Column column) => column.Numbers!.Where(double.IsFinite).ToArray();

    /// <summary>The std of the component each row was encoded with, read from the one-hot and the fitted state.</summary>
    private static double[] ChosenComponentStds(DataTransformer transformer, ColumnTransformInfo column, float[] encoded)
    {
        var state = transformer.ToState().Columns.Single(c => c.Name == column.Name).Continuous!;
        int components = state.KeptComponents.Length;
        var stds = new double[Rows];
        for (int row = 0; row < Rows; row++)
        {
            var oneHot = encoded.AsSpan(row * transformer.OutputDimensions + column.OutputOffset + 1, components).ToArray();
            int k = state.KeptComponents[Array.IndexOf(oneHot, 1f)];
            stds[row] = Math.Sqrt(state.Mixture.Covariances[k]);
        }
        return stds;
    }

    /// <summary>Every column kind the transformer handles: a bimodal column with nulls, integers, datetimes, labels, booleans and declared-discrete numbers.</summary>
    private static Table SampleTable()
    {
        var random = new Random(42);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var temp = new double[Rows];
        var count = new double[Rows];
        var ts = new double[Rows];
        var mode = new string?[Rows];
        var ok = new bool?[Rows];
        var gear = new double[Rows];
        var ratio = new double[Rows];
        double start = TimeStamps.ToUnixSeconds(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        for (int i = 0; i < Rows; i++)
        {
            temp[i] = random.NextDouble() < 0.1 ? double.NaN : (random.NextDouble() < 0.5 ? 20 + 2 * Normal() : 60 + 5 * Normal());
            count[i] = Math.Round(100 + 15 * Normal());
            ts[i] = start + 600 * i + 30 * Normal();
            mode[i] = random.NextDouble() < 0.05 ? null : "abc"[random.Next(3)].ToString();
            ok[i] = random.NextDouble() < 0.8;
            gear[i] = random.NextDouble() < 0.05 ? double.NaN : random.Next(1, 5);
            ratio[i] = random.Next(2) == 0 ? 0.1 : 1.25;
        }
        return new Table([
            Column.Numeric("temp", temp),
            Column.Numeric("count", count, isInteger: true),
            Column.DateTime("ts", ts),
            Column.Categorical("mode", mode),
            Column.Boolean("ok", ok),
            Column.Numeric("gear", gear, isInteger: true),
            Column.Numeric("ratio", ratio),
        ]);
    }
}
