namespace GanDashboard.Tvae.Training;

/// <summary>
/// The shape of the network: sdv-dev/CTGAN's Encoder (<c>compress</c> layers with ReLU, then the mu and logvar
/// heads) and Decoder (<c>decompress</c> layers with ReLU, then a linear output and a learnable sigma per output).
/// <see cref="ConditionDim"/> columns are appended to the encoder's and the decoder's input (0: the plain TVAE).
/// </summary>
public sealed record TvaeArchitecture(int DataDim, int ConditionDim, int EmbeddingDim, int[] CompressDims, int[] DecompressDims)
{
    public static TvaeArchitecture From(int dataDim, TvaeOptions options) =>
        new(dataDim, options.ConditionDim, options.EmbeddingDim, [.. options.CompressDims], [.. options.DecompressDims]);

    public bool SameAs(TvaeArchitecture other) =>
        DataDim == other.DataDim && ConditionDim == other.ConditionDim && EmbeddingDim == other.EmbeddingDim
        && CompressDims.SequenceEqual(other.CompressDims) && DecompressDims.SequenceEqual(other.DecompressDims);
}

/// <summary>Where one Linear layer's weight <c>[outputs, inputs]</c> (row-major, as torch stores it) and bias live in the flat parameter buffer.</summary>
internal readonly record struct DenseSlot(int Inputs, int Outputs, int WeightOffset)
{
    public int BiasOffset => WeightOffset + Inputs * Outputs;
    public int End => BiasOffset + Outputs;
}

/// <summary>
/// Every parameter in one flat buffer, so that Adam, the sigma clamp and checkpoints are single passes.
/// The mu and logvar heads are stored as one layer with 2 x embedding outputs (mu rows first): the same maths
/// as two Linear layers, one matrix product instead of two.
/// </summary>
internal sealed class ParameterLayout
{
    public ParameterLayout(TvaeArchitecture architecture)
    {
        int offset = 0;
        DenseSlot Next(int inputs, int outputs)
        {
            var slot = new DenseSlot(inputs, outputs, offset);
            offset = slot.End;
            return slot;
        }

        int width = architecture.DataDim + architecture.ConditionDim;
        var encoder = new List<DenseSlot>();
        foreach (int hidden in architecture.CompressDims) { encoder.Add(Next(width, hidden)); width = hidden; }
        Encoder = [.. encoder];
        Heads = Next(width, 2 * architecture.EmbeddingDim);

        width = architecture.EmbeddingDim + architecture.ConditionDim;
        var decoder = new List<DenseSlot>();
        foreach (int hidden in architecture.DecompressDims) { decoder.Add(Next(width, hidden)); width = hidden; }
        decoder.Add(Next(width, architecture.DataDim));
        Decoder = [.. decoder];

        SigmaOffset = offset;
        Count = offset + architecture.DataDim;
        Architecture = architecture;
    }

    public TvaeArchitecture Architecture { get; }
    public DenseSlot[] Encoder { get; }
    public DenseSlot Heads { get; }
    /// <summary>Hidden layers, then the output layer (last).</summary>
    public DenseSlot[] Decoder { get; }
    public int SigmaOffset { get; }
    public int Count { get; }

    public IEnumerable<DenseSlot> AllLayers => [.. Encoder, Heads, .. Decoder];

    /// <summary>
    /// torch.nn.Linear's default initialisation (kaiming_uniform with a = sqrt(5), which is U(+-1/sqrt(fan_in)) for
    /// weights and biases alike), and sigma = 0.1, drawn from our own seeded generator.
    /// </summary>
    public float[] Initialise(TvaeRandom random)
    {
        var values = new float[Count];
        foreach (var slot in AllLayers)
        {
            double bound = 1.0 / Math.Sqrt(slot.Inputs);
            for (int i = slot.WeightOffset; i < slot.End; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
        values.AsSpan(SigmaOffset, Architecture.DataDim).Fill(0.1f);
        return values;
    }
}
