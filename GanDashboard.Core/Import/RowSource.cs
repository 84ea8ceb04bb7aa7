using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>Rows of a table file read one at a time, whatever the format.</summary>
internal interface IRowSource : IDisposable
{
    IReadOnlyList<string> Header { get; }
    string Layout { get; }
    int LineNumber { get; }
    bool Read();
    ReadOnlySpan<char> Field(int index);
    bool TryGetNumber(int index, out double value);
}

internal static class RowSources
{
    /// <summary>Opens a CSV (any separator, streamed) or Parquet file (read whole: Parquet is columnar).</summary>
    public static async Task<IRowSource> OpenAsync(string path, string name, CancellationToken ct)
    {
        if (name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            return new TableRowSource(await TableFile.ReadAsync(EnsureExtension(path, ".parquet"), ct));
        return new CsvRowSource(CsvRecordReader.Open(path));
    }

    // TableFile picks the format by extension; an uploaded file is stored without one.
    private static string EnsureExtension(string path, string extension)
    {
        if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return path;
        string linked = path + extension;
        if (!File.Exists(linked)) File.Copy(path, linked);
        return linked;
    }

    private sealed class CsvRowSource(CsvRecordReader reader) : IRowSource
    {
        public IReadOnlyList<string> Header => reader.Header;
        public string Layout => reader.Layout.ToString();
        public int LineNumber => reader.LineNumber;
        public bool Read() => reader.Read();
        public ReadOnlySpan<char> Field(int index) => reader.Field(index);
        public bool TryGetNumber(int index, out double value) => reader.TryGetNumber(index, out value);
        public void Dispose() => reader.Dispose();
    }

    private sealed class TableRowSource(Table table) : IRowSource
    {
        private int _row = -1;
        public IReadOnlyList<string> Header { get; } = table.Columns.Select(c => c.Name).ToList();
        public string Layout => "Parquet";
        public int LineNumber => _row + 1;
        public bool Read() => ++_row < table.RowCount;
        public ReadOnlySpan<char> Field(int index) => Csv.Format(table.Columns[index], _row).Trim('"');

        public bool TryGetNumber(int index, out double value)
        {
            var column = table.Columns[index];
            if (column.Kind == ColumnKind.Numeric)
            {
                value = column.Numbers![_row];
                return true;
            }
            value = double.NaN;
            return false;
        }

        public void Dispose() { }
    }
}
