using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tests.Tvae.Training;

public sealed class LossByHandTests
{
    [Fact]
    public void Reconstruction_sum_matches_the_formula_on_a_two_row_batch()
    {
        // One tanh column (sigma 0.5) and one softmax span of two; feature-major [3 features, 2 rows].
        var loss = new TvaeLoss([new SpanInfo(1, SpanActivation.Tanh), new SpanInfo(2, SpanActivation.Softmax)]);
        float[] output = [0f, 1f, /* logits class 0 */ 0f, 2f, /* class 1 */ 0f, 0f];
        float[] target = [0.5f, -0.25f, /* one-hot */ 1f, 0f, 0f, 1f];
        float[] sigma = [0.5f, 0.1f, 0.1f];
        var gradient = new float[6];
        var sigmaGradient = new float[3];
        double value = loss.Compute(output, target, sigma, 2, 1f, gradient, sigmaGradient);

        // Row 0: (0.5 - tanh 0)^2 / (2 * 0.25) = 0.5; row 1: (-0.25 - tanh 1)^2 / 0.5; plus 2 log 0.5.
        double tanhPart = 0.5 + Math.Pow(-0.25 - Math.Tanh(1), 2) / 0.5 + 2 * Math.Log(0.5);
        // Row 0: logits (0, 0), class 0 -> log 2; row 1: logits (2, 0), class 1 -> log(e^2 + 1).
        double softmaxPart = Math.Log(2) + Math.Log(Math.Exp(2) + 1);
        value.Should().BeApproximately(tanhPart + softmaxPart, 1e-5);

        // d/dlogit = softmax - one-hot: row 1 -> (e^2/(e^2+1), 1/(e^2+1) - 1).
        gradient[3].Should().BeApproximately((float)(Math.Exp(2) / (Math.Exp(2) + 1)), 1e-6f);
        gradient[5].Should().BeApproximately((float)(1 / (Math.Exp(2) + 1) - 1), 1e-6f);
        // d/dsigma = n / sigma - sum(e^2) / sigma^3; softmax columns have none.
        double squares = 0.25 + Math.Pow(-0.25 - Math.Tanh(1), 2);
        sigmaGradient[0].Should().BeApproximately((float)(2 / 0.5 - squares / 0.125), 1e-5f);
        sigmaGradient[1].Should().Be(0f);
    }
}
