using TorchSharp;
using static TorchSharp.torch;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The TVAE encoder and decoder with an explicit forward and backward pass. Autograd's per-node bookkeeping
/// costs more than the matrix products of a network this small (notes: 9.7 ms per step vs 2.5 ms of products),
/// so the activations are kept in preallocated buffers, libtorch does only the matrix products (in place, via
/// <c>addmm_</c> into views of those buffers) and <see cref="Kernels"/> does everything element-wise.
/// Activations are feature-major (<c>[features, rows]</c>): layer l computes <c>A_l = W_l A_(l-1) + b_l</c>.
/// </summary>
internal sealed unsafe class TvaeNetwork : IDisposable
{
    private readonly Tensor _parameters;
    private readonly LayerTensors[] _encoder;
    private readonly LayerTensors _heads;
    private readonly LayerTensors[] _decoder;
    private readonly LayerTensors[] _encoderAndHeads;
    private readonly Dictionary<(int Rows, int Slot), Workspace> _workspaces = [];

    public TvaeNetwork(ParameterLayout layout, ReadOnlySpan<float> initial)
    {
        if (initial.Length != layout.Count) throw new ArgumentException($"Expected {layout.Count} parameters, got {initial.Length}.", nameof(initial));
        Layout = layout;
        // Long-lived tensors stay out of any dispose scope: each step runs in its own scope.
        _parameters = zeros(layout.Count, dtype: ScalarType.Float32).DetachFromDisposeScope();
        P = TensorMemory.Floats(_parameters);
        initial.CopyTo(Parameters);
        _encoder = [.. layout.Encoder.Select(Views)];
        _heads = Views(layout.Heads);
        _decoder = [.. layout.Decoder.Select(Views)];
        _encoderAndHeads = [.. _encoder, _heads];
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
        var input = ws.Input;
        for (int l = 0; l < _encoder.Length; l++)
        {
            Dense(_encoder[l], input, ws.Encoder[l], relu: true, n);
            input = ws.Encoder[l];
        }
        Dense(_heads, input, ws.Heads, relu: false, n);
        int latent = Layout.Architecture.EmbeddingDim * n;
        double kl = Kernels.Reparameterise(ws.HeadsPtr, ws.HeadsPtr + latent, ws.Eps, ws.Std, ws.DecoderInputPtr, latent);
        Decode(ws);
        return kl;
    }

    /// <summary>Decoder only, from <see cref="Workspace.DecoderInput"/> to <see cref="Workspace.Output"/> (logits, before tanh).</summary>
    public void Decode(Workspace ws)
    {
        var input = ws.DecoderInput;
        for (int l = 0; l < _decoder.Length; l++)
        {
            bool hidden = l < _decoder.Length - 1;
            var output = hidden ? ws.Decoder[l] : ws.Output;
            Dense(_decoder[l], input, output, relu: hidden, ws.Rows);
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
        for (int l = _decoder.Length - 1; l >= 0; l--)
        {
            var layer = _decoder[l];
            var input = l == 0 ? ws.DecoderInput : ws.Decoder[l - 1];
            MatMul(ws.WeightGradients[DecoderIndex(l)], gradient, input.T);
            var below = l == 0 ? ws.DecoderInputGradient : ws.DecoderGradient[l - 1];
            MatMul(below.Value, layer.WeightT, gradient);
            if (l > 0) Kernels.ReluBackward(below.Ptr, input.Ptr, layer.Slot.Inputs, n, gradients + Layout.Decoder[l - 1].BiasOffset);
            gradient = below;
        }

        int latent = Layout.Architecture.EmbeddingDim * n;
        Kernels.ReparameteriseBackward(ws.DecoderInputGradientPtr, ws.HeadsPtr, ws.Eps, ws.Std, ws.HeadsGradientPtr, ws.HeadsGradientPtr + latent, latent, 1f / batchRows);
        Kernels.RowSums(ws.HeadsGradientPtr, Layout.Heads.Outputs, n, gradients + Layout.Heads.BiasOffset);

        gradient = ws.HeadsGradient;
        var layers = _encoderAndHeads;
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var input = l == 0 ? ws.Input : ws.Encoder[l - 1];
            MatMul(ws.WeightGradients[l], gradient, input.T);
            if (l == 0) break; // nothing upstream of the data
            var below = ws.EncoderGradient[l - 1];
            MatMul(below.Value, layers[l].WeightT, gradient);
            Kernels.ReluBackward(below.Ptr, input.Ptr, layers[l].Slot.Inputs, n, gradients + Layout.Encoder[l - 1].BiasOffset);
            gradient = below;
        }
    }

    /// <summary>Position of decoder layer l in <see cref="ParameterLayout.AllLayers"/> order (encoder, heads, decoder).</summary>
    private int DecoderIndex(int l) => _encoder.Length + 1 + l;

    private void Dense(LayerTensors layer, Buffer input, Buffer output, bool relu, int n)
    {
        MatMul(output.Value, layer.Weight, input.Value);
        Kernels.AddBias(output.Ptr, P + layer.Slot.BiasOffset, layer.Slot.Outputs, n, relu);
    }

    /// <summary>result = a @ b written in place: no tensor is allocated (a returned handle, if any, is left to the step's dispose scope).</summary>
    private static void MatMul(Tensor result, Tensor a, Tensor b) => result.addmm_(a, b, beta: 0, alpha: 1);

    private LayerTensors Views(DenseSlot slot)
    {
        using var scope = NewDisposeScope();
        var weight = WeightView(_parameters, slot);
        return new LayerTensors(slot, weight.DetachFromDisposeScope(), weight.t().DetachFromDisposeScope());
    }

    public void Dispose()
    {
        foreach (var workspace in _workspaces.Values) workspace.Dispose();
        foreach (var layer in _encoderAndHeads.Concat(_decoder))
        {
            layer.WeightT.Dispose();
            layer.Weight.Dispose();
        }
        _parameters.Dispose();
    }

    /// <summary>The <c>[outputs, inputs]</c> weight of a layer as a view into a flat parameter-shaped buffer.</summary>
    internal static Tensor WeightView(Tensor flat, DenseSlot slot) =>
        flat.narrow(0, slot.WeightOffset, (long)slot.Outputs * slot.Inputs).view(slot.Outputs, slot.Inputs);

    private sealed record LayerTensors(DenseSlot Slot, Tensor Weight, Tensor WeightT);
}

/// <summary>A feature-major <c>[features, rows]</c> float tensor, its transposed view and a pointer to its memory.</summary>
internal sealed unsafe class Buffer : IDisposable
{
    public Buffer(int features, int rows)
    {
        // Made once and reused by every step: kept out of the step's dispose scope.
        Value = zeros(features, rows, dtype: ScalarType.Float32).DetachFromDisposeScope();
        T = Value.t().DetachFromDisposeScope();
        Ptr = TensorMemory.Floats(Value);
        Features = features;
        Rows = rows;
    }

    public int Rows { get; }
    public Span<float> Span => new(Ptr, Features * Rows);

    public Tensor Value { get; }
    public Tensor T { get; }
    public float* Ptr { get; }
    public int Features { get; }

    public static implicit operator Tensor(Buffer buffer) => buffer.Value;

    public void Dispose()
    {
        T.Dispose();
        Value.Dispose();
    }
}

/// <summary>
/// Every activation and gradient of one batch (or chunk of a batch) size, allocated once, including a
/// parameter-shaped gradient buffer: chunks computed side by side never write to shared memory.
/// </summary>
internal sealed unsafe class Workspace : IDisposable
{
    private readonly List<Buffer> _all = [];
    private readonly Tensor _gradients;

    public Workspace(ParameterLayout layout, int rows)
    {
        var a = layout.Architecture;
        Rows = rows;
        _gradients = zeros(layout.Count, dtype: ScalarType.Float32).DetachFromDisposeScope();
        G = TensorMemory.Floats(_gradients);
        GradientCount = layout.Count;
        using (var scope = NewDisposeScope())
        {
            WeightGradients = [.. layout.AllLayers.Select(slot => TvaeNetwork.WeightView(_gradients, slot).DetachFromDisposeScope())];
        }
        Input = Make(a.DataDim + a.ConditionDim);
        Target = Make(a.DataDim);
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
    /// <summary>Views of <see cref="G"/> per layer, in <see cref="ParameterLayout.AllLayers"/> order.</summary>
    public Tensor[] WeightGradients { get; }
    /// <summary>Encoder input: data rows, then condition rows.</summary>
    public Buffer Input { get; }
    /// <summary>Loss targets: the data with each softmax span replaced by the one-hot of its argmax.</summary>
    public Buffer Target { get; }
    public Buffer[] Encoder { get; }
    public Buffer[] EncoderGradient { get; }
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
        foreach (var view in WeightGradients) view.Dispose();
        _gradients.Dispose();
    }
}
