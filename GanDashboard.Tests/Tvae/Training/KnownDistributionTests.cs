using GanDashboard.Tvae.Sampling;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;
using TorchSharp;

namespace GanDashboard.Tests.Tvae.Training;

/// <summary>
/// Trainer and sampler on data encoded by hand the way the transformer does: a two-component 1-D mixture
/// (alpha in a tanh span plus the component one-hot) and a three-category column.
/// </summary>
public sealed class KnownDistributionTests
{
    private static readonly SpanInfo[] Spans = [new(1, SpanActivation.Tanh), new(2, SpanActivation.Softmax), new(3, SpanActivation.Softmax)];
    private static readonly double[] Means = [-5, 5];
    private static readonly double[] CategoryShares = [0.6, 0.3, 0.1];

    public KnownDistributionTests() => torch.set_num_threads(1);

    [Fact]
    public void A_trained_model_reproduces_a_bimodal_mixture_and_category_frequencies()
    {
        const int Rows = 1500;
        var random = new Random(3);
        var data = new float[Rows * 6];
        for (int r = 0; r < Rows; r++)
        {
            int component = random.NextDouble() < 0.3 ? 0 : 1; // 30 % near -5, 70 % near +5
            double value = Means[component] + Gaussian(random);
            data[r * 6] = (float)Math.Clamp(value - Means[component], -0.99 * 4, 0.99 * 4) / 4; // std 1, alpha = (x - mean) / 4
            data[r * 6 + 1 + component] = 1f;
            double u = random.NextDouble();
            int category = u < CategoryShares[0] ? 0 : u < CategoryShares[0] + CategoryShares[1] ? 1 : 2;
            data[r * 6 + 3 + category] = 1f;
        }

        // A narrower network and a higher learning rate than the defaults reach the target in a few seconds (rare categories need the 200 epochs).
        var options = new TvaeOptions
        {
            EmbeddingDim = 32, CompressDims = [64, 64], DecompressDims = [64, 64], LearningRate = 2e-3,
            BatchSize = 100, Epochs = 200, Seed = 9, Threads = 1, ValidationFraction = 0,
        };
        var model = TvaeTrainer.Fit(data, Rows, Spans, options).Model;
        var sample = TvaeSampler.Sample(model, 4000, seed: 5);

        var values = new List<double>();
        var categories = new int[3];
        for (int r = 0; r < sample.Rows; r++)
        {
            var row = sample.Data.AsSpan(r * 6, 6);
            int component = row[2] > row[1] ? 1 : 0;
            values.Add(row[0] * 4 + Means[component]);
            int category = row[3] >= row[4] && row[3] >= row[5] ? 0 : row[4] >= row[5] ? 1 : 2;
            categories[category]++;
        }
        double negativeShare = values.Count(v => v < 0) / (double)values.Count;
        negativeShare.Should().BeApproximately(0.3, 0.06);
        values.Where(v => v > 0).Average().Should().BeApproximately(5, 0.5);
        values.Where(v => v < 0).Average().Should().BeApproximately(-5, 0.5);
        for (int c = 0; c < 3; c++) (categories[c] / (double)sample.Rows).Should().BeApproximately(CategoryShares[c], 0.06, $"category {c}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
