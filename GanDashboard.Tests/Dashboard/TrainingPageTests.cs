using Bunit;
using GanDashboard.Web.Components.Pages.Training;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Tests.Dashboard;

public sealed class TrainingPageTests : DashboardTest
{
    [Fact]
    public void Without_machines_training_explains_what_it_needs()
    {
        var cut = Render<Training>();
        cut.WaitForAssertion(() => cut.Find(".page-empty").TextContent.Should().Contain("seed data"));
    }

    [Fact]
    public async Task Each_training_progress_event_moves_the_epoch_the_ETA_and_the_loss_chart()
    {
        string id = await CreateMachineAsync();
        var task = await AddTaskAsync(id, "train", TaskStatuses.Started);
        var cut = Render<Training>();
        cut.WaitForAssertion(() => cut.Find(".live-epoch").TextContent.Should().Contain("Waiting to start"));
        cut.Markup.Should().Contain("No epochs yet");

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            Notifier.Publish(Event(task, TaskEvent.Types.TrainingProgress, TaskStatuses.Started, epoch * 10) with
            {
                Epoch = epoch, TotalEpochs = 10, Loss = 2.0 / epoch, ValLoss = 2.2 / epoch, TimeElapsedSeconds = epoch * 3, TimeRemainingSeconds = (10 - epoch) * 3,
            });
        }

        cut.WaitForAssertion(() => cut.Find(".live-epoch").TextContent.Should().Contain("Epoch 3/10"));
        cut.Find(".live-eta").TextContent.Should().Contain("21 s left");
        cut.Find(".loss-caption").TextContent.Should().Contain("Epoch 3").And.Contain("0.6667").And.Contain("0.7333");
        cut.FindAll(".chart-box svg").Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_page_opened_mid_training_draws_the_curve_so_far()
    {
        string id = await CreateMachineAsync();
        var task = await AddTaskAsync(id, "train", TaskStatuses.Started);
        Notifier.Publish(Event(task, TaskEvent.Types.TrainingProgress, TaskStatuses.Started, 50) with { Epoch = 5, TotalEpochs = 10, Loss = 0.5 });

        var cut = Render<Training>();
        cut.WaitForAssertion(() => cut.Find(".loss-caption").TextContent.Should().Contain("Epoch 5"));
    }

    [Fact]
    public async Task A_failed_training_says_why_and_what_to_do()
    {
        string id = await CreateMachineAsync();
        var task = await AddTaskAsync(id, "train", TaskStatuses.Started);
        var cut = Render<Training>();
        cut.WaitForAssertion(() => cut.FindAll(".live-epoch").Should().NotBeEmpty());

        Notifier.Publish(Event(task, TaskEvent.Types.Failed, TaskStatuses.Failure) with { Error = "The seed data has no numeric column" });

        cut.WaitForAssertion(() => cut.Find(".mud-alert-message").TextContent.Should().Contain("no numeric column").And.Contain("retry"));
    }
}
