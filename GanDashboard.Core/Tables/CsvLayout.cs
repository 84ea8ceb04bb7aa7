using System.Globalization;

namespace GanDashboard.Core.Tables;

/// <summary>
/// How a delimited text file is laid out: its separator (a space stands for runs of spaces and tabs, as in
/// whitespace-aligned exports) and whether its first row names the columns. Numbers use a decimal point.
/// </summary>
public sealed record CsvLayout(char Separator, bool HasHeader)
{
    /// <summary>The separators tried, in order of preference when several fit equally well.</summary>
    public static readonly char[] Candidates = [',', ';', '\t', '|'];

    public bool IsWhitespace => Separator == ' ';

    public string SeparatorName => Separator switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        ' ' => "whitespace",
        _ => $"'{Separator}'",
    };

    public override string ToString() => $"{SeparatorName} separated, {(HasHeader ? "header row" : "no header row")}";

    /// <summary>
    /// Detects the layout from the first lines of a file: the separator that splits every sampled line into the same
    /// number (more than one) of fields, else runs of whitespace, else the one that splits most lines; a header when
    /// the first row holds no number and is followed by numbers, or (an all-text table) repeats none of its values.
    /// </summary>
    public static CsvLayout Detect(string sample, bool complete)
    {
        var lines = SampleLines(sample, complete);
        if (lines.Count == 0) return new CsvLayout(',', true);
        char separator = DetectSeparator(lines);
        var rows = lines.Select(l => Split(l, separator)).ToList();
        return new CsvLayout(separator, DetectHeader(rows));
    }

    private static List<string> SampleLines(string sample, bool complete)
    {
        var lines = sample.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (!complete && lines.Count > 1) lines.RemoveAt(lines.Count - 1); // the last line may be cut short
        return lines.Where(l => !string.IsNullOrWhiteSpace(l)).Take(200).ToList();
    }

    private static char DetectSeparator(List<string> lines)
    {
        char best = '\0';
        int bestCount = 1;
        foreach (char candidate in Candidates)
        {
            int first = Split(lines[0], candidate).Length;
            if (first > bestCount && lines.All(l => Split(l, candidate).Length == first)) { best = candidate; bestCount = first; }
        }
        if (best != '\0') return best;
        int words = Split(lines[0], ' ').Length;
        if (words > 1 && lines.All(l => Split(l, ' ').Length == words)) return ' ';
        // Nothing splits every line alike: take the separator most lines use, so the reader names the odd line.
        return Candidates.MaxBy(c => lines.Count(l => Split(l, c).Length > 1)) is var c && lines.Any(l => Split(l, c).Length > 1) ? c : ',';
    }

    private static bool DetectHeader(List<string[]> rows)
    {
        var first = rows[0];
        if (first.Any(IsNumber)) return false;
        if (rows.Count == 1) return true;
        for (int c = 0; c < first.Length; c++)
        {
            var below = rows.Skip(1).Where(r => c < r.Length && r[c].Length > 0).Select(r => r[c]).ToList();
            if (below.Count > 0 && below.Count(IsNumber) * 2 >= below.Count) return true;
        }
        if (first.Distinct(StringComparer.Ordinal).Count() != first.Length) return false;
        for (int c = 0; c < first.Length; c++)
        {
            if (rows.Skip(1).Any(r => c < r.Length && r[c] == first[c])) return false;
        }
        return true;
    }

    /// <summary>True for a number with a decimal point (or nan/inf).</summary>
    public static bool IsNumber(string text) => NumberText.TryParse(text.AsSpan(), out _);

    /// <summary>Splits one line (quotes respected for real separators; whitespace runs for <c>' '</c>), trimming each field.</summary>
    internal static string[] Split(string line, char separator)
    {
        if (separator == ' ') return line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool inQuotes = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (inQuotes)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') inQuotes = false;
                else field.Append(ch);
            }
            else if (ch == '"') inQuotes = true;
            else if (ch == separator) { fields.Add(field.ToString().Trim()); field.Clear(); }
            else field.Append(ch);
        }
        fields.Add(field.ToString().Trim());
        return fields.ToArray();
    }
}

/// <summary>Numbers as tables write them: invariant culture, decimal point, and the spellings of NaN and infinity.</summary>
public static class NumberText
{
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase)) { value = double.NaN; return true; }
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("+inf", StringComparison.OrdinalIgnoreCase)) { value = double.PositiveInfinity; return true; }
        if (text.Equals("-inf", StringComparison.OrdinalIgnoreCase)) { value = double.NegativeInfinity; return true; }
        return false;
    }
}
