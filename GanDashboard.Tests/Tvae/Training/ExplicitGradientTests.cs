using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;
using TorchSharp;
using static TorchSharp.torch;

namespace GanDashboard.Tests.Tvae.Training;

/// <summary>
/// The hand-written backward pass must give what autograd gives for the reference's forward and loss
/// (sdv-dev/CTGAN tvae.py), written here in plain TorchSharp ops.
/// </summary>
public sealed class ExplicitGradientTests
{
    public ExplicitGradientTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(5, 0, 6, 2, false)]   // fewer rows than one vector: only the scalar tails run
    [InlineData(19, 0, 6, 2, false)]  // vector body and tail
    [InlineData(24, 3, 6, 2, false)]  // with a condition vector (run-aware mode)
    [InlineData(19, 0, 75, 2, false)] // a first layer wide enough for its 64-wide blocks, 8-wide vectors and a tail
    [InlineData(19, 2, 75, 1, true)]  // heads straight after the first layer; a softmax span that is not one-hot is read as dense columns
    public void Gradients_match_autograd_of_the_reference_loss(int rows, int conditionDim, int firstHidden, int encoderLayers, bool softSpan)
    {
        var spans = TinyData.MixedSpans;
        int dataDim = TinyData.Width(spans);
        int[] compress = encoderLayers == 1 ? [firstHidden] : [firstHidden, 5];
        var architecture = new TvaeArchitecture(dataDim, conditionDim, EmbeddingDim: 4, CompressDims: compress, DecompressDims: [5, 7]);
        var layout = new ParameterLayout(architecture);
        var parameters = layout.Initialise(new TvaeRandom(7));
        // Spread sigma so each tanh column has its own value.
        for (int j = 0; j < dataDim; j++) parameters[layout.SigmaOffset + j] = 0.05f + 0.1f * j;
        var data = TinyData.RandomRows(rows, spans, seed: 3);
        if (softSpan) SoftenSecondSoftmaxSpan(data, rows, dataDim);
        var conditions = new float[rows * conditionDim];
        var random = new Random(5);
        for (int i = 0; i < conditions.Length; i++) conditions[i] = (float)random.NextDouble();
        var eps = new float[rows * architecture.EmbeddingDim]; // row-major [rows, embedding]
        for (int i = 0; i < eps.Length; i++) eps[i] = (float)(random.NextDouble() * 2 - 1);
        const float Factor = 2f;

        // Explicit pass: the rows prepared as the trainer prepares them, the noise written feature-major by hand.
        using var network = new TvaeNetwork(layout, parameters);
        var loss = new TvaeLoss(spans);
        var ws = network.WorkspaceFor(rows);
        var prepared = TinyData.Prepare(data, rows, spans, conditions, conditionDim);
        prepared.Gather([.. Enumerable.Range(0, rows)], ws, architecture.EmbeddingDim);
        prepared.Columns.HotSpans.Should().HaveCount(softSpan ? 2 : 3, "the first layer must see both kinds of input column");
        var noise = ws.EpsSpan;
        for (int r = 0; r < rows; r++)
        {
            for (int e = 0; e < architecture.EmbeddingDim; e++) noise[e * rows + r] = eps[r * architecture.EmbeddingDim + e];
        }
        double explicitLoss = TvaeTrainer.ComputeGradients(network, loss, ws, Factor);
        var explicitGradients = ws.Gradients.ToArray();

        // Autograd reference.
        var (referenceLoss, referenceGradients) = AutogradReference(layout, spans, parameters, data, conditions, eps, rows, Factor);

        explicitLoss.Should().BeApproximately(referenceLoss, 1e-4 * Math.Max(1, Math.Abs(referenceLoss)));
        double scale = referenceGradients.Max(g => Math.Abs(g));
        scale.Should().BeGreaterThan(0);
        for (int i = 0; i < explicitGradients.Length; i++)
        {
            explicitGradients[i].Should().BeApproximately(referenceGradients[i], (float)(1e-4 * Math.Max(scale, 1e-3)), $"parameter {i} of {layout.Count}");
        }
    }

    /// <summary>Columns 5-6 (the width-2 softmax span) become (0.3, 0.7) or (0.7, 0.3) in every third row.</summary>
    private static void SoftenSecondSoftmaxSpan(float[] data, int rows, int dataDim)
    {
        for (int r = 0; r < rows; r += 3)
        {
            bool first = data[r * dataDim + 5] == 1f;
            data[r * dataDim + 5] = first ? 0.7f : 0.3f;
            data[r * dataDim + 6] = first ? 0.3f : 0.7f;
        }
    }

    private static (double Loss, float[] Gradients) AutogradReference(ParameterLayout layout, IReadOnlyList<SpanInfo> spans, float[] parameters, float[] data, float[] conditions, float[] eps, int rows, float factor)
    {
        using var scope = torch.NewDisposeScope();
        var a = layout.Architecture;
        var p = torch.tensor(parameters).requires_grad_();
        Tensor Weight(DenseSlot s) => p.narrow(0, s.WeightOffset, s.Outputs * s.Inputs).view(s.Outputs, s.Inputs);
        Tensor Bias(DenseSlot s) => p.narrow(0, s.BiasOffset, s.Outputs);
        var x = torch.tensor(data, [rows, a.DataDim]);
        var c = torch.tensor(conditions, [rows, a.ConditionDim]);

        var h = torch.cat([x, c], 1);
        foreach (var slot in layout.Encoder) h = nn.functional.relu(nn.functional.linear(h, Weight(slot), Bias(slot)));
        var heads = nn.functional.linear(h, Weight(layout.Heads), Bias(layout.Heads));
        var mu = heads.narrow(1, 0, a.EmbeddingDim);
        var logvar = heads.narrow(1, a.EmbeddingDim, a.EmbeddingDim);
        var std = torch.exp(0.5 * logvar);
        var z = torch.tensor(eps, [rows, a.EmbeddingDim]) * std + mu;
        var d = torch.cat([z, c], 1);
        for (int l = 0; l < layout.Decoder.Length; l++)
        {
            d = nn.functional.linear(d, Weight(layout.Decoder[l]), Bias(layout.Decoder[l]));
            if (l < layout.Decoder.Length - 1) d = nn.functional.relu(d);
        }
        var sigmas = p.narrow(0, layout.SigmaOffset, a.DataDim);

        var terms = new List<Tensor>();
        int st = 0;
        foreach (var span in spans)
        {
            if (span.Activation == SpanActivation.Tanh)
            {
                var eq = x[.., st] - torch.tanh(d[.., st]);
                terms.Add((eq.pow(2) / 2 / sigmas[st].pow(2)).sum());
                terms.Add(torch.log(sigmas[st]) * rows);
            }
            else
            {
                terms.Add(nn.functional.cross_entropy(d.narrow(1, st, span.Dim), x.narrow(1, st, span.Dim).argmax(-1), reduction: nn.Reduction.Sum));
            }
            st += span.Dim;
        }
        var reconstruction = terms.Aggregate((l, r) => l + r) * factor / rows;
        var kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / rows;
        var loss = reconstruction + kld;
        loss.backward();
        return (loss.item<float>(), p.grad!.data<float>().ToArray());
    }
}
