using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanDashboard.Tests.Web;

public sealed class TaskNotifierTests
{
    private static TaskEvent Event(string type, string status) =>
        new() { Type = type, TaskId = "t1", MachineId = "m", Kind = "seed", Status = status };

    [Fact]
    public void Progress_arriving_after_the_end_does_not_replace_the_final_event()
    {
        var notifier = new TaskNotifier(NullLogger<TaskNotifier>.Instance);
        notifier.Publish(Event(TaskEvent.Types.Progress, TaskStatuses.Started));
        notifier.Publish(Event(TaskEvent.Types.Completed, TaskStatuses.Success));
        notifier.Publish(Event(TaskEvent.Types.Progress, TaskStatuses.Started));   // posted by Progress<T> before the end, delivered after

        notifier.Latest("t1")!.Type.Should().Be(TaskEvent.Types.Completed);
    }

    [Fact]
    public void A_resumed_task_moves_on_from_its_pause()
    {
        var notifier = new TaskNotifier(NullLogger<TaskNotifier>.Instance);
        notifier.Publish(Event(TaskEvent.Types.Paused, TaskStatuses.Paused));
        notifier.Publish(Event(TaskEvent.Types.Queued, TaskStatuses.Pending));
        notifier.Publish(Event(TaskEvent.Types.TrainingProgress, TaskStatuses.Started));

        notifier.Latest("t1")!.Type.Should().Be(TaskEvent.Types.TrainingProgress);
    }
}
