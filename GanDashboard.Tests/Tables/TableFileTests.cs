using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Tables;

public class TableFileTests
{
    private static Table Sample() => new([
        Column.Numeric("step", [0, 1, 2], isInteger: true),
        Column.Numeric("vibration", [0.5, double.NaN, 1.25]),
        Column.Categorical("mode", ["bep", null, "part, \"flow\""]),
        Column.Boolean("fault", [true, false, null]),
        Column.DateTime("timestamp", [0, 86400, 172800]),
    ]);

    [Theory]
    [InlineData("t.csv")]
    [InlineData("t.parquet")]
    public async Task A_table_survives_a_round_trip_through_each_file_format(string name)
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File(name);
        await TableFile.WriteAsync(Sample(), path);
        var back = await TableFile.ReadAsync(path);

        back.ColumnNames.Should().Equal("step", "vibration", "mode", "fault", "timestamp");
        back["step"].IsInteger.Should().BeTrue();
        back["vibration"].Numbers![0].Should().Be(0.5);
        double.IsNaN(back["vibration"].Numbers![1]).Should().BeTrue();
        back["mode"].Labels.Should().Equal("bep", null, "part, \"flow\"");
        back["fault"].Kind.Should().Be(ColumnKind.Boolean);
        back["fault"].Labels.Should().Equal("True", "False", null);
        back["timestamp"].Kind.Should().Be(ColumnKind.DateTime);
        back["timestamp"].Numbers.Should().Equal(0, 86400, 172800);
        Directory.GetFiles(folder.FullPath).Should().ContainSingle("the temporary file is renamed into place");
    }

    [Fact]
    public async Task A_corrupt_parquet_file_gets_a_clear_error()
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File("bad.parquet");
        await File.WriteAllTextAsync(path, "not parquet at all");
        var read = () => TableFile.ReadAsync(path);
        (await read.Should().ThrowAsync<InvalidDataException>()).WithMessage("*not a readable Parquet file*");
    }

    [Fact]
    public void Csv_rows_with_the_wrong_number_of_fields_are_rejected_with_the_line_number()
    {
        var read = () => Csv.Read(new StringReader("a,b\n1,2\n3\n"));
        read.Should().Throw<InvalidDataException>().WithMessage("*line 3*");
    }

    [Fact]
    public void Concat_stacks_rows_and_take_picks_them_in_order()
    {
        var both = Table.Concat([Sample(), Sample()]);
        both.RowCount.Should().Be(6);
        both.Take([5, 0])["step"].Numbers.Should().Equal(2, 0);
    }
}
