using System.Globalization;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Import;

/// <summary>What a column's values turned out to be after the first pass.</summary>
public enum ImportedKind
{
    /// <summary>No value in any row.</summary>
    Empty,
    Numeric,
    DateTime,
    Boolean,
    Text,
    /// <summary>Mostly numbers with a few text values: an error in a sensor or context column.</summary>
    NumericWithText,
}

/// <summary>
/// Everything the first pass learns about one column without holding its values: counts, range, moments,
/// distinct values (while few, or while whole numbers that could be run ids), how often it changes, falls or
/// repeats from one row to the next.
/// </summary>
internal sealed class ColumnScan(string name, int index)
{
    private const int FewValues = 64;
    private const int MaxRunIds = 200_000;

    public string Name { get; } = name;
    public int Index { get; } = index;
    public long Rows, Empty, NaN, Infinite, Numbers, Dates, Texts, Booleans;
    public double Min = double.PositiveInfinity, Max = double.NegativeInfinity;
    private double _mean, _m2;
    public bool AllWhole = true;
    public long Transitions, Decreases, Ties;
    public string? FirstText;
    public int FirstTextLine;
    public int FirstMissingLine;
    private double _previous = double.NaN;
    private string? _previousText;
    private bool _started, _dateLike = true;

    // Distinct values in order of first appearance, with their row counts and whether a censored row holds them.
    private Dictionary<double, int>? _numberIndex = [];
    private Dictionary<string, int>? _textIndex = new(StringComparer.Ordinal);
    public readonly List<string> Keys = [];
    public readonly List<int> Counts = [];
    public readonly List<bool> Censored = [];

    public double Mean => _mean;
    public double Std => Numbers + Dates > 1 ? Math.Sqrt(_m2 / (Numbers + Dates - 1)) : 0;
    public long Values => Numbers + Dates + Texts;

    /// <summary>Distinct values, or null when there are too many to keep.</summary>
    public int? Distinct => _numberIndex is null || _textIndex is null ? null : Keys.Count;

    public ImportedKind Kind
    {
        get
        {
            if (Values == 0) return NaN + Infinite > 0 ? ImportedKind.Numeric : ImportedKind.Empty;
            if (Texts == 0 && Dates == 0) return ImportedKind.Numeric;
            if (Texts == 0 && Numbers == 0) return ImportedKind.DateTime;
            if (Numbers == 0 && Dates == 0 && Booleans == Texts) return ImportedKind.Boolean;
            if (Numbers > 0 && Texts * 10 < Numbers) return ImportedKind.NumericWithText;
            return ImportedKind.Text;
        }
    }

    public void Add(IRowSource source, bool censored)
    {
        Rows++;
        var field = source.Field(Index);
        if (field.IsEmpty)
        {
            Empty++;
            if (FirstMissingLine == 0) FirstMissingLine = source.LineNumber;
            Change(double.NaN, null);
            return;
        }
        if (source.TryGetNumber(Index, out double value))
        {
            if (double.IsNaN(value)) { NaN++; if (FirstMissingLine == 0) FirstMissingLine = source.LineNumber; Change(double.NaN, null); return; }
            if (double.IsInfinity(value)) { Infinite++; if (FirstMissingLine == 0) FirstMissingLine = source.LineNumber; Change(value, null); return; }
            Numbers++;
            AddNumber(value);
            AllWhole &= value == Math.Floor(value) && Math.Abs(value) < 1e15;
            Count(value, null, censored);
            return;
        }
        if (_dateLike && Texts == 0 && Csv.TryParseDate(field, out double seconds))
        {
            Dates++;
            AddNumber(seconds);
            AllWhole = false;
            Count(seconds, null, censored);
            return;
        }
        _dateLike = false;
        Texts++;
        string text = field.ToString();
        if (IsBoolean(text)) Booleans++;
        if (FirstText is null) { FirstText = text; FirstTextLine = source.LineNumber; }
        Count(double.NaN, text, censored);
    }

    private void AddNumber(double value)
    {
        long n = Numbers + Dates;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        double delta = value - _mean;
        _mean += delta / n;
        _m2 += delta * (value - _mean);
    }

    private void Count(double number, string? text, bool censored)
    {
        Change(number, text);
        int slot;
        if (text is null)
        {
            if (_numberIndex is null) return;
            if (!_numberIndex.TryGetValue(number, out slot))
            {
                if (Keys.Count >= (AllWhole ? MaxRunIds : FewValues)) { _numberIndex = null; return; }
                slot = Keys.Count;
                _numberIndex.Add(number, slot);
                Keys.Add(number.ToString("R", CultureInfo.InvariantCulture));
                Counts.Add(0);
                Censored.Add(false);
            }
        }
        else
        {
            if (_textIndex is null) return;
            if (!_textIndex.TryGetValue(text, out slot))
            {
                if (Keys.Count >= MaxRunIds) { _textIndex = null; return; }
                slot = Keys.Count;
                _textIndex.Add(text, slot);
                Keys.Add(text);
                Counts.Add(0);
                Censored.Add(false);
            }
        }
        Counts[slot]++;
        if (censored) Censored[slot] = true;
    }

    private void Change(double number, string? text)
    {
        if (_started)
        {
            bool same = text is null ? _previousText is null && (number == _previous || double.IsNaN(number) && double.IsNaN(_previous)) : text == _previousText;
            if (!same) Transitions++;
            if (text is null && _previousText is null && !double.IsNaN(number) && !double.IsNaN(_previous))
            {
                if (number < _previous) Decreases++;
                else if (number == _previous) Ties++;
            }
        }
        _started = true;
        _previous = number;
        _previousText = text;
    }

    /// <summary>The index (in order of first appearance) of a run id value, or -1.</summary>
    public int SlotOf(double number, string? text)
    {
        if (text is null) return _numberIndex is not null && _numberIndex.TryGetValue(number, out int s) ? s : -1;
        return _textIndex is not null && _textIndex.TryGetValue(text, out int t) ? t : -1;
    }

    public static bool IsBoolean(string text) =>
        text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A value that marks a censored run (true, 1, yes, y, t, censored).</summary>
    public static bool IsTruthy(ReadOnlySpan<char> text) =>
        text.Equals("1", StringComparison.Ordinal) || text.Equals("1.0", StringComparison.Ordinal) || text.Equals("true", StringComparison.OrdinalIgnoreCase)
        || text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text.Equals("y", StringComparison.OrdinalIgnoreCase)
        || text.Equals("t", StringComparison.OrdinalIgnoreCase) || text.Equals("censored", StringComparison.OrdinalIgnoreCase);
}
