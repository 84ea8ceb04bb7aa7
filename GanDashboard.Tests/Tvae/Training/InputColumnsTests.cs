using GanDashboard.Tvae.Training;

namespace GanDashboard.Tests.Tvae.Training;

public sealed class InputColumnsTests
{
    // Columns: 0 a value, 1-3 a span, 4-5 a span, then one condition column.
    private static readonly (int Start, int Width)[] Softmax = [(1, 3), (4, 2)];

    [Fact]
    public void Exact_one_hot_spans_are_read_as_the_column_set_and_the_rest_as_dense_values()
    {
        float[] data =
        [
            0.5f, 0, 1, 0, 1, 0,
            -0.2f, 1, 0, 0, 0, 1,
        ];

        var columns = InputColumns.Of(data, dataDim: 6, conditionDim: 1, [0, 1], Softmax);

        columns.Width.Should().Be(7);
        columns.HotSpans.Should().Equal((1, 3), (4, 2));
        columns.DenseColumns.Should().Equal(0, 6);
    }

    [Theory]
    [InlineData(0.3f, 0.7f)] // soft values
    [InlineData(1f, 1f)]     // two ones
    [InlineData(0f, 0f)]     // none set
    public void A_span_that_is_not_an_exact_one_hot_in_some_row_is_dense(float first, float second)
    {
        float[] data =
        [
            0.5f, 0, 1, 0, 1, 0,
            -0.2f, 1, 0, 0, first, second,
        ];

        var columns = InputColumns.Of(data, dataDim: 6, conditionDim: 0, [0, 1], Softmax);

        columns.HotSpans.Should().Equal((1, 3));
        columns.DenseColumns.Should().Equal(0, 4, 5);
    }

    [Fact]
    public void Only_the_given_rows_are_read()
    {
        float[] data =
        [
            0.5f, 0, 1, 0, 1, 0,
            -0.2f, 1, 0, 0, 0.5f, 0.5f,
        ];

        InputColumns.Of(data, 6, 0, [0], Softmax).HotSpans.Should().HaveCount(2);
        InputColumns.Of(data, 6, 0, [0, 1], Softmax).HotSpans.Should().HaveCount(1);
    }
}
