using System.Globalization;
using System.Text;

namespace GanDashboard.Core.Tables;

/// <summary>Reads delimited text through <see cref="CsvRecordReader"/>; writes RFC 4180 CSV (comma separated, double-quote escaping, header row).</summary>
public static class Csv
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-dd",
    ];

    /// <summary>
    /// Reads a delimited table (comma, semicolon, tab, pipe or whitespace separated; with or without a header row),
    /// typing each column from its values (numbers, True/False, ISO dates, else labels). Records are streamed from
    /// the reader; only the parsed columns are held.
    /// </summary>
    public static Table Read(TextReader reader, string source = "the CSV file")
    {
        using var records = CsvRecordReader.Open(reader, source);
        var raw = records.Header.Select(_ => new List<string?>()).ToArray();
        while (records.Read())
        {
            for (int c = 0; c < raw.Length; c++)
            {
                var field = records.Field(c);
                raw[c].Add(field.Length == 0 ? null : field.ToString());
            }
        }
        return new Table(records.Header.Select((name, c) => InferColumn(name, raw[c].ToArray())));
    }

    public static Table Read(string path) =>
        Read(new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), Encoding.UTF8), Path.GetFileName(path));

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

    private static bool TryParseDate(string text, out double unixSeconds) => TryParseDate(text.AsSpan(), out unixSeconds);

    /// <summary>An ISO date or date-time (UTC when no zone is given) as seconds since the Unix epoch.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out double unixSeconds)
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
}
