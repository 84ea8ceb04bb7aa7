namespace GanDashboard.Storage;

// The stored state of the product. The product plan's four tables (machine_profiles, tvae_models,
// synthetic_datasets, training_tasks) are kept with their names and widened: the whole profile as
// JSON, several models per machine with history, seed datasets, validation reports and drafts.
// Files live under the data directory; rows store their relative paths, sizes and hashes.

/// <summary>A machine created from a profile without errors (table <c>machine_profiles</c>).</summary>
public sealed class MachineRecord
{
    public Guid Id { get; set; }
    public required string MachineId { get; set; }
    public required string MachineType { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    /// <summary>The whole profile as canonical snake_case JSON.</summary>
    public required string ProfileJson { get; set; }
    public int SensorCount { get; set; }
    /// <summary>The validation warnings the profile was accepted with, as JSON.</summary>
    public string WarningsJson { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An uploaded profile kept with its findings until it is valid and becomes a machine (table <c>profile_drafts</c>).</summary>
public sealed class ProfileDraftRecord
{
    public Guid Id { get; set; }
    public string? MachineId { get; set; }
    public required string FileName { get; set; }
    public required string SourceFormat { get; set; }
    public required string ProfileJson { get; set; }
    public required string FindingsJson { get; set; }
    public bool IsValid { get; set; }
    /// <summary>Set once the draft became a machine.</summary>
    public string? PromotedToMachineId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A trained TVAE model file (table <c>tvae_models</c>); a machine keeps its history, the newest is current.</summary>
public sealed class ModelRecord
{
    public Guid Id { get; set; }
    public required string MachineId { get; set; }
    /// <summary>Path relative to the data directory.</summary>
    public required string ModelPath { get; set; }
    public required string Mode { get; set; }
    public int Epochs { get; set; }
    public double? FinalLoss { get; set; }
    public double? FinalValidationLoss { get; set; }
    public double TrainingTimeSeconds { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public Guid? SeedDatasetId { get; set; }
    /// <summary>Per-epoch losses and timings as JSON, for the training charts.</summary>
    public string HistoryJson { get; set; } = "[]";
    public DateTime TrainedAt { get; set; }
}

/// <summary>A data file: seed data or one split of a synthetic dataset (table <c>synthetic_datasets</c>).</summary>
public sealed class DatasetRecord
{
    public Guid Id { get; set; }
    public required string MachineId { get; set; }
    /// <summary><c>seed</c>, <c>train</c>, <c>val</c> or <c>test</c>.</summary>
    public required string DatasetType { get; set; }
    /// <summary>Synthetic splits generated together share a generation id.</summary>
    public Guid? GenerationId { get; set; }
    public Guid? ModelId { get; set; }
    public required string FilePath { get; set; }
    public int Samples { get; set; }
    public int Runs { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public int? Seed { get; set; }
    public double? QualityScore { get; set; }
    public bool? ValidationPassed { get; set; }
    /// <summary>Checks computed with the data (seed checks), as JSON.</summary>
    public string? ChecksJson { get; set; }
    public double GenerationTimeSeconds { get; set; }
    public DateTime GeneratedAt { get; set; }
}

/// <summary>A quality report judging one synthetic generation against the seed data (table <c>validation_reports</c>).</summary>
public sealed class ValidationReportRecord
{
    public Guid Id { get; set; }
    public required string MachineId { get; set; }
    public Guid? GenerationId { get; set; }
    public double Overall { get; set; }
    public bool Passed { get; set; }
    public required string ReportJson { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An uploaded table of runs until it is confirmed as a machine or expires (table <c>imports</c>).</summary>
public sealed class ImportRecord
{
    public Guid Id { get; set; }
    public required string FileName { get; set; }
    /// <summary>The uploaded file, relative to the data directory.</summary>
    public required string StoredPath { get; set; }
    public long SizeBytes { get; set; }
    /// <summary><c>analysing</c>, <c>ready</c>, <c>invalid</c> or <c>confirmed</c>.</summary>
    public required string Status { get; set; }
    /// <summary>The machine it becomes (from the inferred profile), once analysed.</summary>
    public string? MachineId { get; set; }
    /// <summary>The imported machine the runs are appended to, when this import adds runs.</summary>
    public string? AppendTo { get; set; }
    /// <summary>The user's mapping choices, as JSON.</summary>
    public required string OptionsJson { get; set; }
    public string? MappingJson { get; set; }
    public string? PreviewJson { get; set; }
    public string? ProfileJson { get; set; }
    public string? ProblemsJson { get; set; }
    public string? ConfirmTaskId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
}

/// <summary>One unit of long work and its life (table <c>training_tasks</c>, for every kind of task).</summary>
public sealed class TaskRecord
{
    public Guid Id { get; set; }
    /// <summary>The task id clients see (also the Quartz job key).</summary>
    public required string TaskId { get; set; }
    public required string MachineId { get; set; }
    /// <summary><c>seed</c>, <c>train</c>, <c>generate</c>, <c>validate</c>, <c>pipeline</c>.</summary>
    public required string Kind { get; set; }
    public required string Status { get; set; }
    public double Progress { get; set; }
    public string? Message { get; set; }
    /// <summary>The request that started the task, as JSON (so it can be retried or resumed).</summary>
    public required string RequestJson { get; set; }
    public string? ResultJson { get; set; }
    public string? Error { get; set; }
    public string? BatchId { get; set; }
    /// <summary>Path of the last training checkpoint, relative to the data directory.</summary>
    public string? CheckpointPath { get; set; }
    /// <summary>The node (<c>GanDashboard:Node:Name</c>) that last started running the task; null while it waits.</summary>
    public string? Node { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>
/// Who did what to what, when, from where, and how it ended (table <c>audit_entries</c>). Written by the API's audit
/// filter, the dashboard's actions and the sign-in page; never holds secrets (no key values, passwords or file contents).
/// </summary>
public sealed class AuditEntryRecord
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The user name, or <c>anonymous</c> when no one is signed in.</summary>
    public required string Actor { get; set; }
    public string? Role { get; set; }
    /// <summary>The id of the API key the request came with (never the key itself).</summary>
    public string? ApiKeyId { get; set; }
    /// <summary>See <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    /// <summary><c>machine</c>, <c>profile_draft</c>, <c>task</c>, <c>batch</c>, <c>import</c>, <c>user</c>, ...</summary>
    public string? TargetKind { get; set; }
    public string? TargetId { get; set; }
    public string? Detail { get; set; }
    public string? ClientAddress { get; set; }
    /// <summary><c>succeeded</c>, or <c>failed</c>/<c>refused</c> with the status (e.g. <c>failed 409</c>).</summary>
    public required string Outcome { get; set; }
}

/// <summary>The verbs of the audit trail.</summary>
public static class AuditActions
{
    public const string Uploaded = "uploaded";
    public const string Created = "created";
    public const string Started = "started";
    public const string Cancelled = "cancelled";
    public const string Paused = "paused";
    public const string Resumed = "resumed";
    public const string Retried = "retried";
    public const string Confirmed = "confirmed";
    public const string Deleted = "deleted";
    public const string Changed = "changed";
    public const string SignedIn = "signed_in";
    public const string SignInFailed = "sign_in_failed";
}

/// <summary>One ASP.NET Core Data Protection key as XML (table <c>data_protection_keys</c>).</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

/// <summary>The states a task moves through.</summary>
public static class TaskStatuses
{
    public const string Pending = "PENDING";
    public const string Started = "STARTED";
    public const string Paused = "PAUSED";
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";
    public const string Cancelled = "CANCELLED";
    public const string Interrupted = "INTERRUPTED";

    public static bool IsFinished(string status) => status is Success or Failure or Cancelled or Interrupted;
    public static bool IsActive(string status) => status is Pending or Started or Paused;
}
