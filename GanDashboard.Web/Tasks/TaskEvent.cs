using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// One thing that happened to a task, as pushed to Blazor circuits and WebSocket clients.
/// <c>type</c> is one of task_queued, task_started, task_progress, training_progress, task_paused,
/// task_completed, task_failed, task_cancelled. Training fields are set only on training_progress.
/// </summary>
public sealed record TaskEvent
{
    public required string Type { get; init; }
    public required string TaskId { get; init; }
    public required string MachineId { get; init; }
    public required string Kind { get; init; }
    public required string Status { get; init; }
    public double ProgressPercent { get; init; }
    public string? Message { get; init; }
    public string? Error { get; init; }
    public string? BatchId { get; init; }
    public int? QueuePosition { get; init; }
    public int? Epoch { get; init; }
    public int? TotalEpochs { get; init; }
    public double? Loss { get; init; }
    public double? ValLoss { get; init; }
    public double? TimeElapsedSeconds { get; init; }
    public double? TimeRemainingSeconds { get; init; }
    public JsonElement? Result { get; init; }
    public DateTime At { get; init; } = DateTime.UtcNow;

    public static class Types
    {
        public const string Queued = "task_queued";
        public const string Started = "task_started";
        public const string Progress = "task_progress";
        public const string TrainingProgress = "training_progress";
        public const string Paused = "task_paused";
        public const string Completed = "task_completed";
        public const string Failed = "task_failed";
        public const string Cancelled = "task_cancelled";
    }
}

/// <summary>JSON settings of the API and the WebSocket: snake_case as in the product plan.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
