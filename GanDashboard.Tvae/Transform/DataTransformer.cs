using GanDashboard.Core.Tables;

namespace GanDashboard.Tvae.Transform;

/// <summary>
/// CTGAN's <c>DataTransformer</c>: turns a table into the matrix the TVAE trains on and decoder outputs back into a
/// table. Continuous columns (numbers and datetimes) get mode-specific normalisation through a variational Gaussian
/// mixture; categorical, boolean and declared-discrete number columns get a one-hot. Columns are fitted and
/// transformed in parallel; every column draws from its own seeded stream, so results do not depend on scheduling.
/// </summary>
public sealed class DataTransformer
{
    // Distinct random streams per purpose, so fitting, encoding and decoding with one seed never share draws.
    private const ulong FitStream = 0x46495400UL, TransformStream = 0x5452414EUL, InverseStream = 0x494E5600UL;

    /// <summary>Rows decoded together: about 1 MB of a 120-wide matrix, so a block stays in cache across its columns.</summary>
    private const int InverseBlockRows = 2048;

    private readonly ColumnModel[] _models;
    private readonly IReadOnlyDictionary<string, ColumnBounds> _physicalBounds;

    private DataTransformer(ColumnModel[] models, TransformerOptions options, IReadOnlyDictionary<string, ColumnBounds> physicalBounds)
    {
        _models = models;
        Options = options;
        _physicalBounds = physicalBounds;
        var columns = new List<ColumnTransformInfo>(models.Length);
        var spans = new List<SpanInfo>();
        int offset = 0;
        foreach (var model in models)
        {
            columns.Add(new ColumnTransformInfo(model.Name, model.SourceKind, model.Kind, model.Spans, offset, model.Dimensions));
            spans.AddRange(model.Spans);
            offset += model.Dimensions;
        }
        Columns = columns;
        OutputSpans = spans;
        OutputDimensions = offset;
    }

    public TransformerOptions Options { get; }

    /// <summary>Every span of the output, in column order.</summary>
    public IReadOnlyList<SpanInfo> OutputSpans { get; }

    public int OutputDimensions { get; }

    public IReadOnlyList<ColumnTransformInfo> Columns { get; }

    /// <summary>Physical bounds applied to generated values (set with <see cref="WithBounds"/>).</summary>
    public IReadOnlyDictionary<string, ColumnBounds> PhysicalBounds => _physicalBounds;

    /// <summary>
    /// Fits every column of <paramref name="table"/>. Categorical and boolean columns are always discrete; number
    /// columns are discrete when named in <paramref name="discreteColumns"/>, otherwise continuous.
    /// </summary>
    public static DataTransformer Fit(Table table, IReadOnlyCollection<string> discreteColumns, TransformerOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (table.Columns.Count == 0 || table.RowCount == 0) throw new ArgumentException("The table has no rows or no columns to fit.", nameof(table));
        var discrete = new HashSet<string>(discreteColumns, StringComparer.Ordinal);
        var unknown = discrete.Where(name => !table.Has(name)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"Discrete columns not in the table: {string.Join(", ", unknown)}.", nameof(discreteColumns));

        var models = new ColumnModel[table.Columns.Count];
        Parallel.For(0, models.Length, new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism }, c =>
        {
            var column = table.Columns[c];
            models[c] = !column.IsNumberColumn || discrete.Contains(column.Name)
                ? DiscreteColumnModel.Fit(column)
                : ContinuousColumnModel.Fit(column, options, new SeededRandom(seed, c, FitStream));
        });
        return new DataTransformer(models, options, new Dictionary<string, ColumnBounds>(StringComparer.Ordinal));
    }

    /// <summary>The table as a row-major [rows x <see cref="OutputDimensions"/>] matrix; component choices are sampled with <paramref name="seed"/>.</summary>
    public float[] Transform(Table table, int seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = _models.Select(m => table.Find(m.Name) ?? throw new ArgumentException($"The table has no column '{m.Name}'.", nameof(table))).ToArray();
        for (int c = 0; c < columns.Length; c++) _models[c].EnsureMatches(columns[c]);
        int rows = table.RowCount;
        var output = new float[(long)rows * OutputDimensions];
        Parallel.For(0, _models.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.EffectiveParallelism }, c =>
            _models[c].Transform(columns[c], output, OutputDimensions, Columns[c].OutputOffset, new SeededRandom(seed, c, TransformStream)));
        return output;
    }

    /// <summary>
    /// Decoder outputs back to a table (CTGAN's <c>inverse_transform</c>). <paramref name="data"/> is row-major with
    /// tanh already applied to every output; <paramref name="sigmas"/> holds the decoder's per-output sigma (empty:
    /// no noise). A continuous value is <c>alpha * 4 std_k + mean_k</c> with alpha drawn from N(output, sigma) and
    /// clipped to [-1, 1] and k the argmax of its component span; a discrete value is the argmax of its span.
    /// Generated values are clipped to the physical bounds set with <see cref="WithBounds"/>.
    /// </summary>
    public Table InverseTransform(ReadOnlySpan<float> data, int rows, ReadOnlySpan<float> sigmas, int seed) =>
        InverseTransform(data, rows, sigmas, seed, InverseTransformOptions.Default);

    /// <inheritdoc cref="InverseTransform(ReadOnlySpan{float}, int, ReadOnlySpan{float}, int)"/>
    public unsafe Table InverseTransform(ReadOnlySpan<float> data, int rows, ReadOnlySpan<float> sigmas, int seed, InverseTransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (rows < 0 || data.Length != (long)rows * OutputDimensions)
            throw new ArgumentException($"Expected {rows} x {OutputDimensions} values, got {data.Length}.", nameof(data));
        if (!sigmas.IsEmpty && sigmas.Length != OutputDimensions)
            throw new ArgumentException($"Expected {OutputDimensions} sigmas (or none), got {sigmas.Length}.", nameof(sigmas));
        var decoders = new ColumnDecoder[_models.Length];
        for (int c = 0; c < _models.Length; c++)
            decoders[c] = _models[c].StartInverse(rows, sigmas.IsEmpty ? 0 : sigmas[Columns[c].OutputOffset], BoundsFor(_models[c], options));
        int blocks = (rows + InverseBlockRows - 1) / InverseBlockRows;
        int dataLength = data.Length;
        // The data is pinned so blocks of rows can be decoded in parallel from a raw pointer (a span cannot be
        // captured by the worker delegates, and copying 50,000 x 120 floats would cost more than the decoding).
        // A block is decoded column after column while it is in cache; each (column, block) has its own random
        // stream, so the result does not depend on the number of threads.
        fixed (float* dataPointer = data)
        {
            nint dataAddress = (nint)dataPointer;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Options.EffectiveParallelism }, block =>
            {
                var pinned = new ReadOnlySpan<float>((void*)dataAddress, dataLength);
                int first = block * InverseBlockRows, count = Math.Min(InverseBlockRows, rows - first);
                for (int c = 0; c < decoders.Length; c++)
                    decoders[c].Decode(pinned, first, count, OutputDimensions, Columns[c].OutputOffset, new SeededRandom(seed, c, InverseStream, block));
            });
        }
        var columns = Array.ConvertAll(decoders, d => d.Finish());
        return new Table(columns);
    }

    /// <summary>
    /// A copy that clips generated values of the named continuous columns to the given physical bounds (kept in the
    /// state). Bounds on a discrete column are accepted and change nothing: its values are always training labels.
    /// </summary>
    public DataTransformer WithBounds(IReadOnlyDictionary<string, (double Min, double Max)> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        var merged = new Dictionary<string, ColumnBounds>(_physicalBounds, StringComparer.Ordinal);
        foreach (var (name, (min, max)) in bounds)
        {
            if (_models.All(m => m.Name != name)) throw new ArgumentException($"No column '{name}' to bound.", nameof(bounds));
            if (!(min <= max)) throw new ArgumentException($"Bounds of '{name}' are empty: [{min}, {max}].", nameof(bounds));
            merged[name] = new ColumnBounds(min, max);
        }
        return new DataTransformer(_models, Options, merged);
    }

    public TransformerState ToState() => new(
        TransformerState.CurrentFormatVersion,
        Options,
        _models.Select(m => m.ToState()).ToArray(),
        new Dictionary<string, ColumnBounds>(_physicalBounds, StringComparer.Ordinal));

    public static DataTransformer FromState(TransformerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FormatVersion != TransformerState.CurrentFormatVersion)
            throw new NotSupportedException($"Transformer state version {state.FormatVersion} is not supported (expected {TransformerState.CurrentFormatVersion}).");
        var models = state.Columns.Select(c => c switch
        {
            { Continuous: not null } => (ColumnModel)ContinuousColumnModel.FromState(c),
            { Discrete: not null } => DiscreteColumnModel.FromState(c),
            _ => throw new InvalidDataException($"Column '{c.Name}' has neither a continuous nor a discrete state."),
        }).ToArray();
        return new DataTransformer(models, state.Options,
            new Dictionary<string, ColumnBounds>(state.PhysicalBounds ?? new Dictionary<string, ColumnBounds>(), StringComparer.Ordinal));
    }

    /// <summary>Call bounds win over stored physical bounds; observed-range clipping applies when neither is given.</summary>
    private ColumnBounds? BoundsFor(ColumnModel model, InverseTransformOptions options)
    {
        if (model is not ContinuousColumnModel continuous) return null;
        if (options.Bounds is not null && options.Bounds.TryGetValue(model.Name, out var given)) return new ColumnBounds(given.Min, given.Max);
        if (_physicalBounds.TryGetValue(model.Name, out var physical)) return physical;
        return options.ClipToObservedRange ? continuous.ObservedRange : null;
    }
}
