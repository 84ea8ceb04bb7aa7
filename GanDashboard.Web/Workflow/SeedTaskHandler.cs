using System.Text.Json;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Web.Workflow;

/// <summary>Runs a <c>seed</c> task: simulate the machine's seed data.</summary>
public sealed class SeedTaskHandler(GanManager manager) : ITaskHandler
{
    public string Kind => "seed";

    public async Task<object?> RunAsync(TaskContext context)
    {
        var request = JsonSerializer.Deserialize<SeedRequest>(context.Task.RequestJson, ApiJson.Options) ?? new SeedRequest();
        var progress = new Progress<double>(p => context.Report(p, "Simulating runs"));
        return await manager.GenerateSeedDataAsync(context.Task.MachineId, request, progress, context.Cancellation);
    }
}
