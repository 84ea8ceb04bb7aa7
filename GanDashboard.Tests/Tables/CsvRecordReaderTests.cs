using FluentAssertions;
using GanDashboard.Core.Tables;
using Xunit;

namespace GanDashboard.Tests.Tables;

public sealed class CsvRecordReaderTests
{
    [Theory]
    [InlineData("a;b;c\r\n1;2.5;x\r\n2;3.5;y\r\n", ';', true)]
    [InlineData("a\tb\tc\n1\t2.5\tx\n2\t3.5\ty\n", '\t', true)]
    [InlineData("1 2.5  x\n2   3.5 y\n", ' ', false)]
    [InlineData("\"a,1\",b,c\n1,2.5,x\n2,3.5,y\n", ',', true)]
    [InlineData("1,2.5,x\n2,3.5,y\n", ',', false)]
    public void Detects_the_separator_and_the_header(string text, char separator, bool header)
    {
        using var reader = CsvRecordReader.Open(new StringReader(text));
        reader.Layout.Should().Be(new CsvLayout(separator, header));
        reader.FieldCount.Should().Be(3);
        reader.Read().Should().BeTrue();
        reader.TryGetNumber(1, out double value).Should().BeTrue();
        value.Should().Be(2.5);
        reader.Field(2).ToString().Should().Be("x");
        reader.Read().Should().BeTrue();
        reader.Read().Should().BeFalse();
    }

    [Fact]
    public void Csv_read_types_columns_from_any_layout()
    {
        var table = Csv.Read(new StringReader("unit;when;temp\r\n1;2024-01-01 00:00:00;20.5\r\n1;2024-01-01 00:10:00;\r\n"));
        table.ColumnNames.Should().Equal("unit", "when", "temp");
        table["when"].Kind.Should().Be(ColumnKind.DateTime);
        table["temp"].Numbers![1].Should().Be(double.NaN);
        Csv.Read(new StringReader("1,2\n3,4\n")).ColumnNames.Should().Equal("column_1", "column_2");
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        var open = () => CsvRecordReader.Open(new StringReader("PK\u0003\u0004\0\0binary"));
        open.Should().Throw<InvalidDataException>().WithMessage("*binary*");
    }
}
