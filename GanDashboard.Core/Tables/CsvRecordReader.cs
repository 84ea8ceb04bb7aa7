using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace GanDashboard.Core.Tables;

/// <summary>
/// Reads a delimited text file one record at a time (Sep for real separators, a line splitter for
/// whitespace-aligned files), so a file of any length is never held in memory. The layout is detected from the
/// first 64 KB unless given. Fields are trimmed; empty lines are skipped; CRLF and LF both end a line. Without a
/// header row the columns are named <c>column_1</c>, <c>column_2</c>, ...
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private const int SampleChars = 1 << 16;
    private readonly TextReader _text;
    private readonly SepReader? _sep;
    private string? _line;
    private int[] _starts = [];
    private int[] _lengths = [];
    private int _lineNumber;
    private int _whitespaceFields;

    private CsvRecordReader(TextReader text, CsvLayout layout, string source)
    {
        _text = text;
        Layout = layout;
        Source = source;
        if (!layout.IsWhitespace)
        {
            _sep = Sep.New(layout.Separator).Reader(o => o with
            {
                HasHeader = false,
                Unescape = true,
                Trim = SepTrim.All,
                DisableColCountCheck = true,
                CultureInfo = CultureInfo.InvariantCulture,
            }).From(text);
        }
        Header = ReadHeader();
    }

    public CsvLayout Layout { get; }

    /// <summary>The file's name, for error messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public int FieldCount => Header.Count;

    /// <summary>The line the current record starts on (1-based, counting the header).</summary>
    public int LineNumber { get; private set; }

    /// <summary>Opens a file, detecting its layout (or using <paramref name="layout"/>). Refuses a binary file.</summary>
    public static CsvRecordReader Open(string path, CsvLayout? layout = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Open(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16), Path.GetFileName(path), layout);
    }

    public static CsvRecordReader Open(TextReader reader, string source = "the CSV file", CsvLayout? layout = null)
    {
        var buffer = new char[SampleChars];
        int read = 0, n;
        while (read < buffer.Length && (n = reader.Read(buffer, read, buffer.Length - read)) > 0) read += n;
        var sample = new string(buffer, 0, read);
        if (sample.Contains('\0'))
        {
            reader.Dispose();
            throw new InvalidDataException($"'{source}' is a binary file, not delimited text: export the table as CSV (or Parquet) and try again.");
        }
        try
        {
            return new CsvRecordReader(new PrefixedTextReader(sample, reader), layout ?? CsvLayout.Detect(sample, complete: read < buffer.Length), source);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private List<string> ReadHeader()
    {
        if (!Read()) throw new InvalidDataException($"'{Source}' is empty: it needs at least one row of data.");
        var first = new List<string>(_starts.Length);
        int count = _sep is not null ? _sep.Current.ColCount : _whitespaceFields;
        for (int i = 0; i < count; i++) first.Add(Field(i).ToString());
        if (!Layout.HasHeader)
        {
            _pendingFirst = true;
            return Enumerable.Range(1, count).Select(i => $"column_{i}").ToList();
        }
        for (int i = 0; i < first.Count; i++)
        {
            if (first[i].Length == 0) throw new InvalidDataException($"Column {i + 1} of the header of '{Source}' has no name: give it one.");
        }
        var twice = first.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InvalidDataException($"The header of '{Source}' names column '{twice.Key}' twice: rename one of them.");
        return first;
    }

    private bool _pendingFirst;

    /// <summary>Moves to the next record; false at the end. A record with the wrong number of fields is an error naming its line.</summary>
    public bool Read()
    {
        if (_pendingFirst) { _pendingFirst = false; return true; }
        int count;
        if (_sep is not null)
        {
            do
            {
                if (!_sep.MoveNext()) return false;
            } while (_sep.Current.ColCount == 1 && _sep.Current.Span.IsWhiteSpace());
            LineNumber = _sep.Current.LineNumberFrom;
            count = _sep.Current.ColCount;
        }
        else
        {
            do
            {
                _line = _text.ReadLine();
                _lineNumber++;
                if (_line is null) return false;
            } while (string.IsNullOrWhiteSpace(_line));
            LineNumber = _lineNumber;
            count = _whitespaceFields = SplitWhitespace(_line);
        }
        if (Header is not null && count != Header.Count)
            throw new InvalidDataException($"Line {LineNumber} of '{Source}' has {count} fields; the {(Layout.HasHeader ? "header has" : "first row has")} {Header.Count} ({Layout}). Fix that line or check the separator.");
        return true;
    }

    private int SplitWhitespace(string line)
    {
        int count = 0, i = 0;
        while (true)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
            if (i >= line.Length) break;
            int start = i;
            while (i < line.Length && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') i++;
            if (count == _starts.Length)
            {
                Array.Resize(ref _starts, Math.Max(8, count * 2));
                Array.Resize(ref _lengths, _starts.Length);
            }
            _starts[count] = start;
            _lengths[count] = i - start;
            count++;
        }
        return count;
    }

    /// <summary>The text of field <paramref name="index"/> of the current record (trimmed, unquoted).</summary>
    public ReadOnlySpan<char> Field(int index) =>
        _sep is not null ? _sep.Current[index].Span : _line.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Field <paramref name="index"/> as a number (invariant culture; nan and inf spelled out count); false for text or empty.</summary>
    /// <remarks>Parsed with <see cref="double.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider?, out double)"/>, which
    /// refuses a field it cannot read whole (a decimal comma such as <c>40,5</c> is text, not 40).</remarks>
    public bool TryGetNumber(int index, out double value) => NumberText.TryParse(Field(index), out value);

    public void Dispose()
    {
        _sep?.Dispose();
        _text.Dispose();
    }

    /// <summary>Replays the detection sample, then the rest of the underlying reader.</summary>
    private sealed class PrefixedTextReader(string prefix, TextReader rest) : TextReader
    {
        private int _position;

        public override int Peek() => _position < prefix.Length ? prefix[_position] : rest.Peek();

        public override int Read() => _position < prefix.Length ? prefix[_position++] : rest.Read();

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_position < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return rest.Read(buffer);
        }

        public override string? ReadLine()
        {
            if (_position >= prefix.Length) return rest.ReadLine();
            int end = prefix.IndexOf('\n', _position);
            if (end >= 0)
            {
                string line = prefix[_position..end].TrimEnd('\r');
                _position = end + 1;
                return line;
            }
            string head = prefix[_position..];
            _position = prefix.Length;
            return (head + rest.ReadLine()).TrimEnd('\r');
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
