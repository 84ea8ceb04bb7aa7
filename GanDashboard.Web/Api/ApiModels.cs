using GanDashboard.Storage;
using GanDashboard.Web.Tasks;

namespace GanDashboard.Web.Api;

/// <summary>A task as the API returns it; long work answers 202 with this.</summary>
public sealed record TaskResponse(
    string TaskId, string MachineId, string Kind, string Status, double Progress, string? Message, string? Error,
    int? QueuePosition, string WebsocketUrl, string? BatchId, DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt,
    System.Text.Json.JsonElement? Result, string? Node)
{
    public static TaskResponse From(TaskRecord t, int? queuePosition) => new(
        t.TaskId, t.MachineId, t.Kind, t.Status, t.Progress, t.Message, t.Error, queuePosition,
        t.Kind == "train" ? $"/ws/gan/training/{t.TaskId}" : $"/ws/gan/tasks/{t.TaskId}", t.BatchId,
        t.CreatedAt, t.StartedAt, t.CompletedAt,
        t.ResultJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(t.ResultJson), t.Node);
}

/// <summary>POST /machines: create from a valid draft, or straight from a profile (the plan's JSON body).</summary>
public sealed record CreateMachineRequest
{
    public Guid? DraftId { get; init; }
    public GanDashboard.Core.Profiles.MachineProfile? Profile { get; init; }
}

/// <summary>POST /batch/*: the machines to work on and the per-machine request.</summary>
public sealed record BatchRequest<T>
{
    public IReadOnlyList<string> MachineIds { get; init; } = [];
    public T? Options { get; init; }
}

public sealed record BatchResponse(string BatchId, IReadOnlyList<TaskResponse> Tasks, IReadOnlyList<BatchRejection> Rejected);

public sealed record BatchRejection(string MachineId, string Reason);

public sealed record HealthResponse(string Status, string Version, string Database, int Machines, int RunningTasks, int PendingTasks, bool TorchAvailable);

/// <summary>Statistics of the manager and the model cache.</summary>
public sealed record StatisticsResponse(
    int Machines, int Models, int Datasets, int RunningTasks, IReadOnlyDictionary<string, GanDashboard.Web.Workflow.OperationStats> Operations,
    CacheStatistics ModelCache);

public sealed record CacheStatistics(int Count, int Capacity, long Hits, long Misses, long Evictions);
