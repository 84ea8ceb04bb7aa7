using System.Globalization;
using System.Text;

namespace GanDashboard.Core.Tables;

/// <summary>Reads and writes RFC 4180 CSV (comma separated, double-quote escaping, header row).</summary>
public static class Csv
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-dd",
    ];

    /// <summary>Reads a CSV table, typing each column from its values (numbers, True/False, ISO dates, else labels).</summary>
    public static Table Read(TextReader reader)
    {
        var rows = ReadRecords(reader).ToList();
        if (rows.Count == 0) throw new InvalidDataException("The CSV file is empty: it needs a header row.");
        var header = rows[0];
        for (int c = 0; c < header.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(header[c])) throw new InvalidDataException($"Column {c + 1} of the CSV header has no name.");
        }
        var columns = new Column[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            var raw = new string?[rows.Count - 1];
            for (int r = 1; r < rows.Count; r++)
            {
                var record = rows[r];
                if (record.Length != header.Length)
                    throw new InvalidDataException($"CSV line {r + 1} has {record.Length} fields; the header has {header.Length}.");
                raw[r - 1] = record[c].Length == 0 ? null : record[c];
            }
            columns[c] = InferColumn(header[c].Trim(), raw);
        }
        return new Table(columns);
    }

    public static Table Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader);
    }

    /// <summary>Types a column of raw text values the way a data scientist would read them.</summary>
    public static Column InferColumn(string name, string?[] raw)
    {
        bool allNumbers = true, allWhole = true, allBooleans = true, allDates = true, any = false;
        foreach (var v in raw)
        {
            if (v is null) continue;
            any = true;
            if (allNumbers)
            {
                if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
                    allWhole &= d == Math.Floor(d) && !v.Contains('.', StringComparison.Ordinal) && !v.Contains('e', StringComparison.OrdinalIgnoreCase);
                else allNumbers = false;
            }
            if (allBooleans) allBooleans = v is "True" or "False" or "true" or "false" or "TRUE" or "FALSE";
            if (allDates) allDates = TryParseDate(v, out _);
        }
        if (!any) return Column.Numeric(name, Enumerable.Repeat(double.NaN, raw.Length).ToArray());
        if (allNumbers)
            return Column.Numeric(name, Array.ConvertAll(raw, v => v is null ? double.NaN : double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)), allWhole);
        if (allBooleans)
            return Column.Boolean(name, Array.ConvertAll(raw, v => v is null ? null : char.ToUpperInvariant(v[0]) == 'T' ? "True" : "False"));
        if (allDates)
            return Column.DateTime(name, Array.ConvertAll(raw, v => v is not null && TryParseDate(v, out double s) ? s : double.NaN));
        return Column.Categorical(name, raw);
    }

    private static bool TryParseDate(string text, out double unixSeconds)
    {
        if (text.Length >= 10 && text[4] == '-' && text[7] == '-' &&
            System.DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            unixSeconds = TimeStamps.ToUnixSeconds(dt);
            return true;
        }
        unixSeconds = double.NaN;
        return false;
    }

    public static void Write(Table table, TextWriter writer)
    {
        writer.Write(string.Join(',', table.Columns.Select(c => Quote(c.Name))));
        writer.Write('\n');
        var line = new StringBuilder();
        for (int r = 0; r < table.RowCount; r++)
        {
            line.Clear();
            for (int c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0) line.Append(',');
                line.Append(Format(table.Columns[c], r));
            }
            line.Append('\n');
            writer.Write(line);
        }
    }

    public static string Format(Column column, int row)
    {
        if (column.Numbers is { } numbers)
        {
            double v = numbers[row];
            if (double.IsNaN(v)) return "";
            if (column.Kind == ColumnKind.DateTime) return TimeStamps.FromUnixSeconds(v).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            return column.IsInteger ? ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
        }
        return column.Labels![row] is { } label ? Quote(label) : "";
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static IEnumerable<string[]> ReadRecords(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool inQuotes = false, any = false;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            any = true;
            char c = (char)ch;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else inQuotes = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': inQuotes = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    if (!(fields.Count == 1 && fields[0].Length == 0)) yield return fields.ToArray();
                    fields.Clear(); any = false;
                    break;
                default: field.Append(c); break;
            }
        }
        if (inQuotes) throw new InvalidDataException("The CSV file ends inside a quoted field.");
        if (any)
        {
            fields.Add(field.ToString());
            if (!(fields.Count == 1 && fields[0].Length == 0)) yield return fields.ToArray();
        }
    }
}
