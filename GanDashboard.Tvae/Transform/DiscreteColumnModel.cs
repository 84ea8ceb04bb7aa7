using System.Globalization;
using System.Runtime.CompilerServices;
using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// One-hot encoding of a discrete column (CTGAN's <c>_transform_discrete</c> over RDT's one-hot encoder): one slot
/// per label seen in training, in order of first appearance, with a missing value as a label of its own. Numbers
/// in a column declared discrete are labelled by their invariant round-trip text and parsed back on the way out.
/// A label never seen in training encodes as all zeros, as RDT's encoder does.
/// </summary>
internal sealed class DiscreteColumnModel : ColumnModel
{
    private readonly string?[] _categories;
    private readonly Dictionary<string, int> _index;
    private readonly int _nullIndex;

    private DiscreteColumnModel(string name, ColumnKind sourceKind, bool isInteger, string?[] categories)
        : base(name, sourceKind, isInteger)
    {
        if (categories.Length == 0) throw new ArgumentException($"Column '{name}' has no categories.", nameof(categories));
        _categories = categories;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _nullIndex = -1;
        for (int i = 0; i < categories.Length; i++)
        {
            if (categories[i] is { } label) _index.Add(label, i);
            else _nullIndex = i;
        }
        Spans = [new SpanInfo(categories.Length, SpanActivation.Softmax)];
    }

    public override ColumnTransformKind Kind => ColumnTransformKind.Discrete;
    public override IReadOnlyList<SpanInfo> Spans { get; }

    public static DiscreteColumnModel Fit(Column column)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var categories = new List<string?>();
        bool sawNull = false;
        for (int row = 0; row < column.Length; row++)
        {
            string? label = LabelOf(column, row);
            if (label is null)
            {
                if (!sawNull) categories.Add(null);
                sawNull = true;
            }
            else if (seen.Add(label)) categories.Add(label);
        }
        return new DiscreteColumnModel(column.Name, column.Kind, column.IsInteger, [.. categories]);
    }

    public static DiscreteColumnModel FromState(ColumnState state) =>
        new(state.Name, state.SourceKind, state.IsInteger, state.Discrete!.Categories);

    public override ColumnState ToState() => new(Name, SourceKind, IsInteger, null, new DiscreteColumnState((string?[])_categories.Clone()));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
    public override void Transform(Column column, Span<float> output, int stride, int offset, SeededRandom random)
    {
        for (int row = 0; row < column.Length; row++)
        {
            string? label = LabelOf(column, row);
            int slot = label is null ? _nullIndex : _index.GetValueOrDefault(label, -1);
            if (slot >= 0) output[row * stride + offset + slot] = 1;
        }
    }

    public override ColumnDecoder StartInverse(int rows, double sigma, ColumnBounds? clip) => new Decoder(this, new int[rows]);

    private sealed class Decoder(DiscreteColumnModel model, int[] slots) : ColumnDecoder
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full optimisation from the first (often only) call
        public override void Decode(ReadOnlySpan<float> data, int firstRow, int rowCount, int stride, int offset, SeededRandom random)
        {
            int width = model._categories.Length;
            for (int row = firstRow; row < firstRow + rowCount; row++) slots[row] = ArgMax(data.Slice(row * stride + offset, width));
        }

        public override Column Finish()
        {
            var categories = model._categories;
            switch (model.SourceKind)
            {
                case ColumnKind.Numeric or ColumnKind.DateTime:
                    var numbers = categories.Select(c => c is null ? double.NaN : double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                    var values = Array.ConvertAll(slots, s => numbers[s]);
                    return model.SourceKind == ColumnKind.DateTime ? Column.DateTime(model.Name, values) : Column.Numeric(model.Name, values, model.IsInteger);
                case ColumnKind.Boolean:
                    return Column.Boolean(model.Name, Array.ConvertAll(slots, s => categories[s]));
                default:
                    return Column.Categorical(model.Name, Array.ConvertAll(slots, s => categories[s]));
            }
        }
    }

    private static string? LabelOf(Column column, int row)
    {
        if (column.Labels is { } labels) return labels[row];
        double value = column.Numbers![row];
        return double.IsNaN(value) ? null : value.ToString("R", CultureInfo.InvariantCulture);
    }
}
