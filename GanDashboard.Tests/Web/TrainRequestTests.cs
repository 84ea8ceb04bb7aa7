using GanDashboard.Web.Workflow;

namespace GanDashboard.Tests.Web;

/// <summary>The default epochs: the plan's 300 on small seed data, the same number of steps on large seed data.</summary>
public sealed class TrainRequestTests
{
    [Theory]
    [InlineData(10_000, 300)]     // 18 steps an epoch: well inside the budget
    [InlineData(45_126, 300)]     // the pump sample's 100 runs: 82 steps an epoch, 24,600 steps
    [InlineData(84_305, 164)]     // the motor sample's 100 runs: 152 steps an epoch
    [InlineData(5_000_000, 30)]   // never fewer than 30 epochs
    public void Default_epochs_keep_training_within_the_step_budget(long rows, int expected)
    {
        var request = new TrainRequest();
        int epochs = request.EpochsFor(rows);

        epochs.Should().Be(expected);
        if (epochs > 30) (epochs * Math.Ceiling(rows * 0.9 / 500)).Should().BeLessThanOrEqualTo(GanDashboard.Tvae.Training.TrainingBudget.DefaultStepBudget);
    }

    [Fact]
    public void Epochs_the_user_asks_for_are_kept_whatever_the_size()
    {
        new TrainRequest { Epochs = 300 }.EpochsFor(5_000_000).Should().Be(300);
        new TrainRequest { Epochs = 7 }.EpochsFor(100).Should().Be(7);
    }
}
