using Parquet;
using Parquet.Schema;

namespace GanDashboard.Core.Tables;

/// <summary>
/// Writes tables to Parquet one row group at a time, so a long stream of rows (a million-row seed
/// dataset) never has to be held in memory at once. All row groups must share the first one's columns.
/// </summary>
public sealed class ParquetTableWriter : IAsyncDisposable
{
    private readonly Stream _stream;
    private ParquetWriter? _writer;
    private DataField[]? _fields;
    private readonly IReadOnlySet<string> _complete;

    /// <param name="complete">Numeric columns known to hold no NaN in any row group: stored as required (non-nullable) doubles, which is faster to write and read.</param>
    public ParquetTableWriter(Stream stream, IReadOnlySet<string>? complete = null)
    {
        _stream = stream;
        _complete = complete ?? new HashSet<string>();
    }

    public long RowsWritten { get; private set; }

    public async Task WriteAsync(Table rows, CancellationToken ct = default)
    {
        if (_writer is null)
        {
            _fields = rows.Columns.Select(FieldFor).ToArray();
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, cancellationToken: ct);
        }
        using var group = _writer.CreateRowGroup();
        for (int c = 0; c < _fields!.Length; c++)
        {
            var column = rows[_fields[c].Name];
            var field = _fields[c];
            switch (column.Kind)
            {
                case ColumnKind.Numeric when column.IsInteger:
                    await group.WriteAsync<long>(field, Array.ConvertAll(column.Numbers!, v => (long)Math.Round(v)), cancellationToken: ct);
                    break;
                case ColumnKind.Numeric when _complete.Contains(column.Name):
                    await group.WriteAsync<double>(field, column.Numbers!, cancellationToken: ct);
                    break;
                case ColumnKind.Numeric:
                    await group.WriteAsync<double>(field, Array.ConvertAll(column.Numbers!, v => double.IsNaN(v) ? (double?)null : v), cancellationToken: ct);
                    break;
                case ColumnKind.DateTime:
                    await group.WriteAsync<DateTime>(field, Array.ConvertAll(column.Numbers!, v => double.IsNaN(v) ? (DateTime?)null : TimeStamps.FromUnixSeconds(v)), cancellationToken: ct);
                    break;
                case ColumnKind.Boolean:
                    await group.WriteAsync<bool>(field, Array.ConvertAll(column.Labels!, v => v is null ? (bool?)null : v == "True"), cancellationToken: ct);
                    break;
                default:
                    await group.WriteAsync(field, column.Labels!);
                    break;
            }
        }
        RowsWritten += rows.RowCount;
    }

    private DataField FieldFor(Column column) => column.Kind switch
    {
        ColumnKind.Numeric when column.IsInteger => new DataField<long>(column.Name),
        ColumnKind.Numeric when _complete.Contains(column.Name) => new DataField<double>(column.Name),
        ColumnKind.Numeric => new DataField<double?>(column.Name),
        ColumnKind.DateTime => new DataField<DateTime?>(column.Name),
        ColumnKind.Boolean => new DataField<bool?>(column.Name),
        _ => new DataField<string>(column.Name, true),
    };

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync();
    }
}

/// <summary>Reads a whole Parquet file into a <see cref="Table"/>.</summary>
public static class ParquetTables
{
    public static async Task<Table> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
        var fields = reader.Schema.DataFields;
        var parts = new List<Table>(reader.RowGroupCount);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            var columns = new List<Column>(fields.Length);
            foreach (var field in fields)
                columns.Add(await ReadColumnAsync(group, field, n, ct));
            parts.Add(new Table(columns));
        }
        if (parts.Count == 0) return new Table(fields.Select(f => Column.Numeric(f.Name, [])));
        return Table.Concat(parts);
    }

    private static async Task<Column> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[n];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: ct);
            return Column.Categorical(field.Name, values);
        }
        if (type == typeof(bool))
        {
            var values = new bool?[n];
            await group.ReadAsync<bool>(field, values.AsMemory(), cancellationToken: ct);
            return Column.Boolean(field.Name, values);
        }
        if (type == typeof(DateTime))
        {
            var values = new DateTime?[n];
            await group.ReadAsync<DateTime>(field, values.AsMemory(), cancellationToken: ct);
            return Column.DateTime(field.Name, Array.ConvertAll(values, v => v is { } d ? TimeStamps.ToUnixSeconds(d) : double.NaN));
        }
        if (type == typeof(long)) return Column.Numeric(field.Name, await ReadNumbers<long>(group, field, n, v => v, ct), isInteger: true);
        if (type == typeof(int)) return Column.Numeric(field.Name, await ReadNumbers<int>(group, field, n, v => v, ct), isInteger: true);
        if (type == typeof(short)) return Column.Numeric(field.Name, await ReadNumbers<short>(group, field, n, v => v, ct), isInteger: true);
        if (type == typeof(float)) return Column.Numeric(field.Name, await ReadNumbers<float>(group, field, n, v => v, ct));
        if (type == typeof(double)) return Column.Numeric(field.Name, await ReadNumbers<double>(group, field, n, v => v, ct));
        if (type == typeof(decimal)) return Column.Numeric(field.Name, await ReadNumbers<decimal>(group, field, n, v => (double)v, ct));
        throw new InvalidDataException($"Column '{field.Name}' has Parquet type {type.Name}, which GanDashboard cannot read.");
    }

    private static async Task<double[]> ReadNumbers<T>(ParquetRowGroupReader group, DataField field, int n, Func<T, double> convert, CancellationToken ct)
        where T : struct
    {
        var result = new double[n];
        if (field.IsNullable)
        {
            var values = new T?[n];
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
            for (int i = 0; i < n; i++) result[i] = values[i] is { } v ? convert(v) : double.NaN;
        }
        else
        {
            var values = new T[n];
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
            for (int i = 0; i < n; i++) result[i] = convert(values[i]);
        }
        return result;
    }
}
