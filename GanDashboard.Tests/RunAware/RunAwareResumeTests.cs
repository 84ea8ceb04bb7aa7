using FluentAssertions;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;
using GanDashboard.Tests.Support;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;
using TorchSharp;

namespace GanDashboard.Tests.RunAware;

public sealed class RunAwareResumeTests
{
    private const string Pump = "pump_ksb_etanorm_002";

    [Fact]
    public async Task A_training_paused_at_a_saved_checkpoint_and_continued_ends_where_an_uninterrupted_one_does()
    {
        torch.set_num_threads(1);
        var profile = ProfileJson.Deserialize(File.ReadAllText(TestData.SampleProfile(Pump)));
        var seed = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(8, 5));
        var options = new RunAwareOptions { Tvae = new TvaeOptions { Epochs = 4, CheckpointEvery = 2, Seed = 1, Threads = 1 }, CalibrationRows = 800 };
        using var folder = TestData.NewTempFolder();
        string checkpointPath = folder.File("checkpoint.gdm");
        var checkpoints = new List<int>();

        var whole = RunAwareSynthesizer.Fit(seed, profile, options, onCheckpoint: partial =>
        {
            checkpoints.Add(partial.Model.EpochsDone);
            partial.IsCalibrated.Should().BeFalse("a checkpoint is taken before the noise is calibrated");
            RunAwareModelFile.SaveAsync(partial, checkpointPath).GetAwaiter().GetResult();
        });
        checkpoints.Should().Equal(2);
        whole.IsCalibrated.Should().BeTrue();

        var loaded = await RunAwareModelFile.LoadAsync(checkpointPath);
        loaded.Model.EpochsDone.Should().Be(2);
        var plan = SplitPlanner.Plan(loaded.Spec.Skeletons, new SplitRequest { TrainRows = 300, ValRows = 0, TestRows = 0, Seed = 3 });
        loaded.GenerateRuns(plan, 3).RowCount.Should().Be(plan.Sum(p => p.Skeleton.Length), "a paused model can already generate");

        var resumed = loaded.Continue(seed, totalEpochs: 4);
        resumed.Model.EpochsDone.Should().Be(4);
        resumed.Model.Parameters.Should().Equal(whole.Model.Parameters, "resuming replays exactly the epochs the pause skipped");
        resumed.Spec.Sensors.Should().Equal(whole.Spec.Sensors, "the residuals are fitted and calibrated alike");
        resumed.Spec.Prior!.Weights.Should().Equal(whole.Spec.Prior!.Weights, "the latent prior is fitted alike");
        resumed.GenerateRuns(plan, 3)[resumed.Spec.Sensors[0].Name].Numbers.Should().Equal(whole.GenerateRuns(plan, 3)[whole.Spec.Sensors[0].Name].Numbers);
    }

    [Fact]
    public void Continuing_on_another_seed_table_is_refused()
    {
        torch.set_num_threads(1);
        var profile = ProfileJson.Deserialize(File.ReadAllText(TestData.SampleProfile(Pump)));
        var seed = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(6, 5));
        var other = new SeedGenerator(profile).Generate(SeedOptions.ForRuns(6, 6));
        var model = RunAwareSynthesizer.Fit(seed, profile, new RunAwareOptions { Tvae = new TvaeOptions { Epochs = 1, Seed = 1, Threads = 1 }, CalibrationRows = 400 });
        var act = () => model.Continue(other, totalEpochs: 2);
        act.Should().Throw<ArgumentException>().WithMessage("*not the seed table*");
    }
}
