using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;
using TorchSharp;

namespace GanDashboard.Tests.Tvae.Training;

public sealed class TvaeTrainerTests
{
    private static readonly SpanInfo[] Spans = TinyData.MixedSpans;
    private static readonly float[] Data = TinyData.RandomRows(230, Spans, seed: 11);

    private static TvaeOptions Small(int epochs, long seed = 42) => new()
    {
        EmbeddingDim = 8, CompressDims = [16, 16], DecompressDims = [16, 16],
        BatchSize = 64, Epochs = epochs, Seed = seed, Threads = 1, ValidationFraction = 0.2,
    };

    public TvaeTrainerTests() => torch.set_num_threads(1);

    [Fact]
    public void Same_seed_gives_the_same_weights_and_samples_and_another_seed_does_not()
    {
        var first = TvaeTrainer.Fit(Data, 230, Spans, Small(3));
        var second = TvaeTrainer.Fit(Data, 230, Spans, Small(3));
        var other = TvaeTrainer.Fit(Data, 230, Spans, Small(3, seed: 43));

        second.Model.Parameters.Should().Equal(first.Model.Parameters);
        second.Model.History.Select(h => h.TrainLoss).Should().Equal(first.Model.History.Select(h => h.TrainLoss));
        other.Model.Parameters.Should().NotEqual(first.Model.Parameters);
        GanDashboard.Tvae.Sampling.TvaeSampler.Sample(first.Model, 100, seed: 1).Data
            .Should().Equal(GanDashboard.Tvae.Sampling.TvaeSampler.Sample(second.Model, 100, seed: 1).Data);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_or_a_finished_model_equals_an_uninterrupted_run()
    {
        var uninterrupted = TvaeTrainer.Fit(Data, 230, Spans, Small(4));
        TvaeCheckpoint? atTwo = null;
        TvaeTrainer.Fit(Data, 230, Spans, Small(4) with { CheckpointEvery = 2 }, onCheckpoint: c => atTwo ??= c);
        var finishedAtTwo = TvaeTrainer.Fit(Data, 230, Spans, Small(2)).Model;

        atTwo.Should().NotBeNull();
        atTwo!.EpochsDone.Should().Be(2);
        var resumed = TvaeTrainer.Fit(Data, 230, Spans, Small(4), resumeFrom: atTwo);
        var continued = TvaeTrainer.Fit(Data, 230, Spans, Small(4), resumeFrom: finishedAtTwo);

        resumed.Model.Parameters.Should().Equal(uninterrupted.Model.Parameters);
        continued.Model.Parameters.Should().Equal(uninterrupted.Model.Parameters);
        continued.Model.AdamSecondMoment.Should().Equal(uninterrupted.Model.AdamSecondMoment);
        continued.Model.History.Should().HaveCount(4);
        continued.Model.History.Select(h => h.ValidationLoss).Should().Equal(uninterrupted.Model.History.Select(h => h.ValidationLoss));
    }

    [Fact]
    public void Cancelling_stops_within_the_epoch_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        var seen = new List<EpochProgress>();
        var progress = new InlineProgress<EpochProgress>(p => { seen.Add(p); cancel.Cancel(); });

        var fit = () => TvaeTrainer.Fit(Data, 230, Spans, Small(50), progress, cancellationToken: cancel.Token);

        fit.Should().Throw<OperationCanceledException>();
        seen.Should().ContainSingle().Which.Epoch.Should().Be(1);
    }

    [Fact]
    public void Progress_reports_every_epoch_with_losses_and_an_eta()
    {
        var seen = new List<EpochProgress>();
        TvaeTrainer.Fit(Data, 230, Spans, Small(3), new InlineProgress<EpochProgress>(seen.Add));

        seen.Select(p => p.Epoch).Should().Equal(1, 2, 3);
        seen.Should().AllSatisfy(p =>
        {
            p.TotalEpochs.Should().Be(3);
            p.Batches.Should().Be(3); // 184 training rows in batches of 64: the short last batch is kept
            double.IsFinite(p.TrainLoss).Should().BeTrue();
            p.ValidationLoss.Should().NotBeNull();
        });
        seen[^1].Eta.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Early_stopping_halts_once_validation_loss_has_not_improved_for_the_patience()
    {
        // A learning rate this small leaves the weights in place, so the validation loss only wanders with its noise.
        var result = TvaeTrainer.Fit(Data, 230, Spans, Small(60) with { LearningRate = 1e-12, EarlyStoppingPatience = 2 });

        result.StoppedEarly.Should().BeTrue();
        var losses = result.Model.History.Select(h => h.ValidationLoss!.Value).ToList();
        losses.Should().HaveCountLessThan(60);
        int best = losses.IndexOf(losses.Min());
        best.Should().Be(losses.Count - 1 - 2);
    }

    [Fact]
    public void Training_lowers_the_loss_and_keeps_sigma_in_its_bounds()
    {
        var result = TvaeTrainer.Fit(Data, 230, Spans, Small(30) with { LearningRate = 5e-3 });

        result.Model.History[^1].TrainLoss.Should().BeLessThan(result.Model.History[0].TrainLoss);
        result.Model.Sigmas().Should().OnlyContain(s => s >= 0.01f && s <= 1f);
    }

    [Fact]
    public void Asking_for_cuda_on_a_machine_without_it_fails_clearly()
    {
        var fit = () => TvaeTrainer.Fit(Data, 230, Spans, Small(1) with { Device = "cuda" });

        fit.Should().Throw<Exception>().WithMessage("*cuda*");
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
