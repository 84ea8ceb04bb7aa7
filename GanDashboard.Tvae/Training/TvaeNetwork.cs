using TorchSharp;
using static TorchSharp.torch;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The TVAE encoder and decoder with an explicit forward and backward pass. Autograd's per-node bookkeeping
/// costs more than the matrix products of a network this small (notes: 9.7 ms per step vs 2.5 ms of products),
/// so the activations are kept in preallocated buffers, libtorch's BLAS does only the matrix products (straight
/// into those buffers, <see cref="Blas"/>) and <see cref="Kernels"/> does everything element-wise.
/// Activations are feature-major (<c>[features, rows]</c>): layer l computes <c>A_l = W_l A_(l-1) + b_l</c>. The
/// exception is the first encoder layer, which reads the input as rows (<see cref="FirstLayer"/>): its activation
/// and gradient are row-major <c>[rows, features]</c>, and the second layer's products read them transposed.
/// </summary>
internal sealed unsafe class TvaeNetwork : IDisposable
{
    private readonly Tensor _parameters;
    private readonly DenseSlot[] _encoderAndHeads;
    private readonly Dictionary<(int Rows, int Slot), Workspace> _workspaces = [];

    public TvaeNetwork(ParameterLayout layout, ReadOnlySpan<float> initial)
    {
        if (initial.Length != layout.Count) throw new ArgumentException($"Expected {layout.Count} parameters, got {initial.Length}.", nameof(initial));
        Layout = layout;
        // Long-lived tensors stay out of any dispose scope: each step runs in its own scope.
        _parameters = zeros(layout.Count, dtype: ScalarType.Float32).DetachFromDisposeScope();
        P = TensorMemory.Floats(_parameters);
        initial.CopyTo(Parameters);
        _encoderAndHeads = [.. layout.Encoder, layout.Heads];
    }

    public ParameterLayout Layout { get; }
    public float* P { get; }
    public Span<float> Parameters => new(P, Layout.Count);
    public float* Sigma => P + Layout.SigmaOffset;

    /// <summary>
    /// Buffers for <paramref name="rows"/> rows, made once and kept (a fit sees two or three sizes). Chunks of one
    /// batch computed side by side each take their own <paramref name="slot"/>.
    /// </summary>
    public Workspace WorkspaceFor(int rows, int slot = 0)
    {
        if (!_workspaces.TryGetValue((rows, slot), out var workspace))
        {
            workspace = new Workspace(Layout, rows);
            _workspaces[(rows, slot)] = workspace;
        }
        return workspace;
    }

    /// <summary>
    /// Encoder, reparameterisation with the noise already in <see cref="Workspace.Eps"/>, decoder. Returns the
    /// KL sum. The encoder input (and any condition rows of the decoder input) must be filled by the caller.
    /// </summary>
    public double Forward(Workspace ws)
    {
        int n = ws.Rows;
        Encode(ws);
        int latent = Layout.Architecture.EmbeddingDim * n;
        double kl = Kernels.Reparameterise(ws.HeadsPtr, ws.HeadsPtr + latent, ws.Eps, ws.Std, ws.DecoderInputPtr, latent);
        Decode(ws);
        return kl;
    }

    /// <summary>Encoder and heads only: mu rows, then logvar rows, in <see cref="Workspace.Heads"/>. The input must be filled.</summary>
    public void Encode(Workspace ws)
    {
        int n = ws.Rows;
        var first = Layout.Encoder[0];
        var input = ws.Input ?? throw new InvalidOperationException("The workspace's input rows were not filled.");
        // The layer reads the weight by input column: a transposed copy, made per chunk so chunks share nothing.
        Kernels.Transpose(P + first.WeightOffset, first.Outputs, first.Inputs, ws.FirstWeightsT);
        FirstLayer.Forward(input, ws.FirstWeightsT, P + first.BiasOffset, first.Outputs, ws.Encoder[0].Ptr);
        for (int l = 1; l < _encoderAndHeads.Length; l++)
        {
            bool heads = l == _encoderAndHeads.Length - 1;
            Dense(_encoderAndHeads[l], ws.Encoder[l - 1], heads ? ws.Heads : ws.Encoder[l], relu: !heads, n, inputRowMajor: l == 1);
        }
    }

    /// <summary>Decoder only, from <see cref="Workspace.DecoderInput"/> to <see cref="Workspace.Output"/> (logits, before tanh).</summary>
    public void Decode(Workspace ws)
    {
        var input = ws.DecoderInput;
        var decoder = Layout.Decoder;
        for (int l = 0; l < decoder.Length; l++)
        {
            bool hidden = l < decoder.Length - 1;
            var output = hidden ? ws.Decoder[l] : ws.Output;
            Dense(decoder[l], input, output, relu: hidden, ws.Rows);
            input = output;
        }
    }

    /// <summary>
    /// Gradients of every parameter except sigma (the loss writes that) into the workspace's
    /// <see cref="Workspace.G"/>, given the loss gradient at the output in <see cref="Workspace.OutputGradient"/>.
    /// <paramref name="batchRows"/> is the whole batch's size, which scales the KL term (a chunk is part of a batch).
    /// </summary>
    public void Backward(Workspace ws, int batchRows)
    {
        int n = ws.Rows;
        float* gradients = ws.G;
        // Decoder, from the output layer down. Layer l's input is the previous layer's activation.
        var gradient = ws.OutputGradient;
        Kernels.RowSums(ws.OutputGradientPtr, Layout.Decoder[^1].Outputs, n, gradients + Layout.Decoder[^1].BiasOffset);
        for (int l = Layout.Decoder.Length - 1; l >= 0; l--)
        {
            var layer = Layout.Decoder[l];
            var input = l == 0 ? ws.DecoderInput : ws.Decoder[l - 1];
            WeightGradient(layer, gradient, input, gradients);
            var below = l == 0 ? ws.DecoderInputGradient : ws.DecoderGradient[l - 1];
            InputGradient(layer, gradient, below);
            if (l > 0) Kernels.ReluBackward(below.Ptr, input.Ptr, layer.Inputs, n, gradients + Layout.Decoder[l - 1].BiasOffset);
            gradient = below;
        }

        int latent = Layout.Architecture.EmbeddingDim * n;
        Kernels.ReparameteriseBackward(ws.DecoderInputGradientPtr, ws.HeadsPtr, ws.Eps, ws.Std, ws.HeadsGradientPtr, ws.HeadsGradientPtr + latent, latent, 1f / batchRows);
        Kernels.RowSums(ws.HeadsGradientPtr, Layout.Heads.Outputs, n, gradients + Layout.Heads.BiasOffset);

        // Encoder, from the heads down to the second layer; the first layer's input (the first hidden activation
        // and its gradient) is row-major.
        gradient = ws.HeadsGradient;
        var layers = _encoderAndHeads;
        for (int l = layers.Length - 1; l >= 1; l--)
        {
            bool rowMajor = l == 1;
            var input = ws.Encoder[l - 1];
            WeightGradient(layers[l], gradient, input, gradients, rowMajor);
            var below = ws.EncoderGradient[l - 1];
            InputGradient(layers[l], gradient, below, rowMajor);
            float* biasGradient = gradients + Layout.Encoder[l - 1].BiasOffset;
            if (rowMajor) Kernels.ReluBackwardRows(below.Ptr, input.Ptr, n, layers[l].Inputs, biasGradient);
            else Kernels.ReluBackward(below.Ptr, input.Ptr, layers[l].Inputs, n, biasGradient);
            gradient = below;
        }
        var first = Layout.Encoder[0];
        FirstLayer.WeightGradient(ws.Input!, gradient.Ptr, first.Outputs, ws.FirstWeightGradientT);
        Kernels.Transpose(ws.FirstWeightGradientT, first.Inputs, first.Outputs, gradients + first.WeightOffset);
    }

    /// <summary>output = W input + b, then ReLU when asked. A row-major input (<c>[n, inputs]</c>) is read transposed.</summary>
    private void Dense(DenseSlot layer, Buffer input, Buffer output, bool relu, int n, bool inputRowMajor = false)
    {
        Blas.Multiply(P + layer.WeightOffset, false, input.Ptr, inputRowMajor, output.Ptr, layer.Outputs, n, layer.Inputs);
        Kernels.AddBias(output.Ptr, P + layer.BiasOffset, layer.Outputs, n, relu);
    }

    /// <summary>dW = dOutput input^T, into the gradient buffer's slot of the layer.</summary>
    private static void WeightGradient(DenseSlot layer, Buffer outputGradient, Buffer input, float* gradients, bool inputRowMajor = false) =>
        Blas.Multiply(outputGradient.Ptr, false, input.Ptr, !inputRowMajor, gradients + layer.WeightOffset, layer.Outputs, layer.Inputs, outputGradient.Rows);

    /// <summary>dInput = W^T dOutput, or its transpose dOutput^T W for a row-major input.</summary>
    private void InputGradient(DenseSlot layer, Buffer outputGradient, Buffer inputGradient, bool inputRowMajor = false)
    {
        if (inputRowMajor) Blas.Multiply(outputGradient.Ptr, true, P + layer.WeightOffset, false, inputGradient.Ptr, outputGradient.Rows, layer.Inputs, layer.Outputs);
        else Blas.Multiply(P + layer.WeightOffset, true, outputGradient.Ptr, false, inputGradient.Ptr, layer.Inputs, outputGradient.Rows, layer.Outputs);
    }

    public void Dispose()
    {
        foreach (var workspace in _workspaces.Values) workspace.Dispose();
        _parameters.Dispose();
    }
}

/// <summary>
/// A feature-major <c>[features, rows]</c> block of floats and a pointer to it. libtorch owns the memory (a tensor
/// nobody else sees); everything reads and writes it through <see cref="Ptr"/>.
/// </summary>
internal sealed unsafe class Buffer : IDisposable
{
    private readonly Tensor _memory;

    public Buffer(int features, int rows)
    {
        // Made once and reused by every step: kept out of any dispose scope.
        _memory = zeros(features, rows, dtype: ScalarType.Float32).DetachFromDisposeScope();
        Ptr = TensorMemory.Floats(_memory);
        Features = features;
        Rows = rows;
    }

    public int Rows { get; }
    public Span<float> Span => new(Ptr, Features * Rows);

    public float* Ptr { get; }
    public int Features { get; }

    public void Dispose() => _memory.Dispose();
}

/// <summary>
/// Every activation and gradient of one batch (or chunk of a batch) size, allocated once, including a
/// parameter-shaped gradient buffer: chunks computed side by side never write to shared memory.
/// </summary>
internal sealed unsafe class Workspace : IDisposable
{
    private readonly List<Buffer> _all = [];
    private readonly Tensor _gradients;
    private readonly AlignedMemory<float> _firstWeightsT, _firstWeightGradientT;

    public Workspace(ParameterLayout layout, int rows)
    {
        var a = layout.Architecture;
        Rows = rows;
        _gradients = zeros(layout.Count, dtype: ScalarType.Float32).DetachFromDisposeScope();
        G = TensorMemory.Floats(_gradients);
        GradientCount = layout.Count;
        var first = layout.Encoder[0];
        _firstWeightsT = new AlignedMemory<float>(first.Inputs * first.Outputs);
        _firstWeightGradientT = new AlignedMemory<float>(first.Inputs * first.Outputs);
        Encoder = [.. layout.Encoder.Select(s => Make(s.Outputs))];
        EncoderGradient = [.. layout.Encoder.Select(s => Make(s.Outputs))];
        Heads = Make(2 * a.EmbeddingDim);
        HeadsGradient = Make(2 * a.EmbeddingDim);
        StdBuffer = Make(a.EmbeddingDim);
        EpsBuffer = Make(a.EmbeddingDim);
        DecoderInput = Make(a.EmbeddingDim + a.ConditionDim);
        DecoderInputGradient = Make(a.EmbeddingDim + a.ConditionDim);
        Decoder = [.. layout.Decoder[..^1].Select(s => Make(s.Outputs))];
        DecoderGradient = [.. layout.Decoder[..^1].Select(s => Make(s.Outputs))];
        Output = Make(a.DataDim);
        OutputGradient = Make(a.DataDim);
        SigmaGradientScratch = new float[a.DataDim];
    }

    public int Rows { get; }
    /// <summary>This workspace's gradient of every parameter, in <see cref="ParameterLayout"/> order.</summary>
    public float* G { get; }
    public int GradientCount { get; }
    public Span<float> Gradients => new(G, GradientCount);
    /// <summary>Encoder input, as rows of data then condition columns; set by <see cref="InputFor"/> and filled by the caller.</summary>
    public RowInput? Input { get; private set; }
    /// <summary>The first encoder layer's weight transposed, <c>[inputs, outputs]</c>, and its gradient in the same shape.</summary>
    public float* FirstWeightsT => _firstWeightsT.Ptr;
    public float* FirstWeightGradientT => _firstWeightGradientT.Ptr;
    /// <summary>Loss targets; set by <see cref="TargetsFor"/> and filled by the caller.</summary>
    public LossTargets? Targets { get; private set; }
    /// <summary>Hidden encoder activations; the first is row-major <c>[rows, features]</c> (its gradient too).</summary>
    public Buffer[] Encoder { get; }
    public Buffer[] EncoderGradient { get; }
    /// <summary>The encoder input buffers for rows read as <paramref name="columns"/> (made on first use, kept while the columns stay).</summary>
    public RowInput InputFor(InputColumns columns)
    {
        if (Input is null || !ReferenceEquals(Input.Columns, columns))
        {
            Input?.Dispose();
            Input = new RowInput(columns, Rows);
        }
        return Input;
    }

    /// <summary>The loss target buffers for <paramref name="loss"/> (made on first use, kept while the loss stays).</summary>
    public LossTargets TargetsFor(TvaeLoss loss)
    {
        if (Targets is null || !ReferenceEquals(Targets.Loss, loss))
        {
            Targets?.Dispose();
            Targets = new LossTargets(loss, Rows);
        }
        return Targets;
    }

    /// <summary>mu rows, then logvar rows.</summary>
    public Buffer Heads { get; }
    public Buffer HeadsGradient { get; }
    public Buffer StdBuffer { get; }
    public Buffer EpsBuffer { get; }
    /// <summary>Decoder input: z rows, then condition rows.</summary>
    public Buffer DecoderInput { get; }
    public Buffer DecoderInputGradient { get; }
    public Buffer[] Decoder { get; }
    public Buffer[] DecoderGradient { get; }
    public Buffer Output { get; }
    public Buffer OutputGradient { get; }
    public float[] SigmaGradientScratch { get; }

    public float* HeadsPtr => Heads.Ptr;
    public float* HeadsGradientPtr => HeadsGradient.Ptr;
    public float* DecoderInputPtr => DecoderInput.Ptr;
    public float* DecoderInputGradientPtr => DecoderInputGradient.Ptr;
    public float* OutputGradientPtr => OutputGradient.Ptr;
    public float* Std => StdBuffer.Ptr;
    public float* Eps => EpsBuffer.Ptr;
    public Span<float> EpsSpan => new(EpsBuffer.Ptr, EpsBuffer.Features * Rows);

    private Buffer Make(int features)
    {
        var buffer = new Buffer(features, Rows);
        _all.Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var buffer in _all) buffer.Dispose();
        _gradients.Dispose();
        _firstWeightsT.Dispose();
        _firstWeightGradientT.Dispose();
        Input?.Dispose();
        Targets?.Dispose();
    }
}
