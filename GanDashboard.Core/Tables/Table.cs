namespace GanDashboard.Core.Tables;

/// <summary>
/// An in-memory columnar table: the one shape in which seed data, training data, synthetic data and
/// validation inputs travel between the generator, the TVAE, the quality report and the files.
/// </summary>
public sealed class Table
{
    private readonly Dictionary<string, int> _index;

    public Table(IEnumerable<Column> columns)
    {
        Columns = columns.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Columns.Count; i++)
        {
            if (!_index.TryAdd(Columns[i].Name, i))
                throw new ArgumentException($"Column '{Columns[i].Name}' appears twice.", nameof(columns));
        }
        RowCount = Columns.Count == 0 ? 0 : Columns[0].Length;
        foreach (var column in Columns)
        {
            if (column.Length != RowCount)
                throw new ArgumentException($"Column '{column.Name}' has {column.Length} rows; expected {RowCount}.", nameof(columns));
        }
    }

    public IReadOnlyList<Column> Columns { get; }
    public int RowCount { get; }
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Name);

    public Column this[string name] =>
        _index.TryGetValue(name, out int i) ? Columns[i] : throw new KeyNotFoundException($"The table has no column '{name}'.");

    public bool Has(string name) => _index.ContainsKey(name);

    public Column? Find(string name) => _index.TryGetValue(name, out int i) ? Columns[i] : null;

    /// <summary>The given rows, in that order.</summary>
    public Table Take(ReadOnlySpan<int> rows)
    {
        var taken = new Column[Columns.Count];
        for (int c = 0; c < Columns.Count; c++) taken[c] = Columns[c].Take(rows);
        return new Table(taken);
    }

    /// <summary>Only the named columns, in the given order.</summary>
    public Table Select(IEnumerable<string> names) => new(names.Select(n => this[n]));

    /// <summary>All columns except the named ones.</summary>
    public Table Without(IEnumerable<string> names)
    {
        var drop = new HashSet<string>(names, StringComparer.Ordinal);
        return new Table(Columns.Where(c => !drop.Contains(c.Name)));
    }

    /// <summary>Stacks tables with the same columns (names and kinds) on top of each other.</summary>
    public static Table Concat(IReadOnlyList<Table> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        int rows = parts.Sum(p => p.RowCount);
        var columns = new List<Column>(first.Columns.Count);
        foreach (var template in first.Columns)
        {
            int offset = 0;
            if (template.Numbers is not null)
            {
                var values = new double[rows];
                foreach (var part in parts)
                {
                    var source = part[template.Name].Numbers ?? throw new ArgumentException($"Column '{template.Name}' changes kind between parts.");
                    source.CopyTo(values, offset);
                    offset += source.Length;
                }
                columns.Add(template.Kind == ColumnKind.DateTime
                    ? Column.DateTime(template.Name, values)
                    : Column.Numeric(template.Name, values, template.IsInteger));
            }
            else
            {
                var values = new string?[rows];
                foreach (var part in parts)
                {
                    var source = part[template.Name].Labels ?? throw new ArgumentException($"Column '{template.Name}' changes kind between parts.");
                    source.CopyTo(values, offset);
                    offset += source.Length;
                }
                columns.Add(template.Kind == ColumnKind.Boolean ? Column.Boolean(template.Name, values) : Column.Categorical(template.Name, values));
            }
        }
        return new Table(columns);
    }
}
