using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;
using TorchSharp;

namespace GanDashboard.Tests.Tvae.Training;

/// <summary>A batch runs as chunks side by side: the sum of the chunks must be the batch, whatever the thread count.</summary>
public sealed class ChunkedStepTests
{
    private static readonly SpanInfo[] Spans = TinyData.MixedSpans;

    public ChunkedStepTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(500)]
    [InlineData(1001)]
    public void Chunks_cover_the_batch_in_order_with_sizes_differing_by_at_most_one(int rows)
    {
        var chunks = TvaeTrainer.Chunks(rows);

        chunks.Should().HaveCount((rows + TvaeTrainer.ChunkRows - 1) / TvaeTrainer.ChunkRows);
        chunks.Sum(c => c.Rows).Should().Be(rows);
        chunks.Select(c => c.First).Should().Equal(chunks.Select((_, i) => chunks.Take(i).Sum(c => c.Rows)));
        chunks.Max(c => c.Rows).Should().BeLessThanOrEqualTo(TvaeTrainer.ChunkRows);
        (chunks.Max(c => c.Rows) - chunks.Min(c => c.Rows)).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void Gradients_of_two_chunks_sum_to_the_gradient_of_the_whole_batch()
    {
        const int Rows = 40, Half = 20;
        const float Factor = 2f;
        int dataDim = TinyData.Width(Spans);
        var architecture = new TvaeArchitecture(dataDim, 0, EmbeddingDim: 4, CompressDims: [6], DecompressDims: [5]);
        var layout = new ParameterLayout(architecture);
        var parameters = layout.Initialise(new TvaeRandom(3));
        var data = TinyData.RandomRows(Rows, Spans, seed: 8);
        var noise = new float[Rows * architecture.EmbeddingDim];
        new TvaeRandom(4).FillNormal(noise);
        using var network = new TvaeNetwork(layout, parameters);
        var loss = new TvaeLoss(Spans);

        var rows = TinyData.Prepare(data, Rows, Spans);

        var whole = Fill(network.WorkspaceFor(Rows), rows, noise, 0, Rows);
        double wholeLoss = TvaeTrainer.ComputeGradients(network, loss, whole, Factor);
        var first = Fill(network.WorkspaceFor(Half, 0), rows, noise, 0, Half);
        var second = Fill(network.WorkspaceFor(Half, 1), rows, noise, Half, Half);
        double chunkLoss = TvaeTrainer.ComputeGradients(network, loss, first, Factor, Rows) + TvaeTrainer.ComputeGradients(network, loss, second, Factor, Rows);

        chunkLoss.Should().BeApproximately(wholeLoss, 1e-5 * Math.Abs(wholeLoss));
        var summed = first.Gradients.ToArray().Zip(second.Gradients.ToArray(), (a, b) => a + b).ToArray();
        var expected = whole.Gradients.ToArray();
        float scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) summed[i].Should().BeApproximately(expected[i], 1e-5f * scale, $"parameter {i}");
    }

    [Fact]
    public void Two_threads_train_exactly_the_weights_of_one()
    {
        var data = TinyData.RandomRows(700, Spans, seed: 12);
        var options = new TvaeOptions
        {
            EmbeddingDim = 8, CompressDims = [16], DecompressDims = [16],
            BatchSize = 600, Epochs = 3, Seed = 5, ValidationFraction = 0.1, // 630 training rows: chunked batches of 600 and 30
        };

        var one = TvaeTrainer.Fit(data, 700, Spans, options with { Threads = 1 });
        var two = TvaeTrainer.Fit(data, 700, Spans, options with { Threads = 2 });

        TvaeTrainer.Chunks(options.BatchSize).Should().HaveCount(3);
        two.Model.Parameters.Should().Equal(one.Model.Parameters);
        two.Model.History.Select(h => h.ValidationLoss).Should().Equal(one.Model.History.Select(h => h.ValidationLoss));
    }

    [Fact]
    public void A_failing_chunk_fails_the_step_and_the_workers_stay_usable()
    {
        using var workers = new ChunkWorkers(2);
        var seen = new int[4];

        var failing = () => workers.Run(4, c => { if (c == 2) throw new InvalidOperationException("chunk 2"); });
        workers.Run(4, c => Interlocked.Increment(ref seen[c]));

        failing.Should().Throw<InvalidOperationException>().WithMessage("chunk 2");
        workers.Run(4, c => Interlocked.Increment(ref seen[c]));
        seen.Should().Equal(2, 2, 2, 2);
    }

    [Fact]
    public async Task Thousands_of_back_to_back_and_spaced_runs_each_run_every_index_once()
    {
        // Spaced runs let the workers fall asleep between steps; back-to-back runs catch them spinning.
        var counts = new int[5];
        var all = Task.Run(() =>
        {
            using var workers = new ChunkWorkers(3);
            for (int run = 0; run < 3000; run++)
            {
                if (run % 500 == 0) Thread.Sleep(5);
                workers.Run(5, c => Interlocked.Increment(ref counts[c]));
            }
        });

        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
        finished.Should().BeSameAs(all, "a worker that misses a wake-up would hang the step");
        counts.Should().AllBeEquivalentTo(3000);
    }

    /// <summary>Rows [first, first + count) of the prepared rows and of row-major noise, written into the workspace.</summary>
    private static Workspace Fill(Workspace ws, TrainingData rows, float[] noise, int first, int count)
    {
        int embedding = ws.EpsBuffer.Features;
        rows.Gather([.. Enumerable.Range(first, count)], ws, embedding);
        var eps = ws.EpsSpan;
        for (int r = 0; r < count; r++)
        {
            for (int e = 0; e < embedding; e++) eps[e * count + r] = noise[(first + r) * embedding + e];
        }
        return ws;
    }
}
