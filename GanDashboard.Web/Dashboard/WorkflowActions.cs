using GanDashboard.Storage;
using GanDashboard.Web.Api;
using GanDashboard.Web.Audit;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Microsoft.AspNetCore.Components.Authorization;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Every state-changing action of the pages, each recorded in the audit trail with the circuit's user (anonymous until
/// sign-in exists) and its outcome. Workflow steps are started the same way the API does: the step's preconditions are
/// checked first (so the user hears at once what is missing), then the task is queued. Scoped: one per circuit.
/// </summary>
public sealed class WorkflowActions(
    WorkflowRules rules, TaskService tasks, MachineService machines, BatchService batches, ImportService imports,
    AuditTrail audit, IServiceProvider services)
{
    public const string Seed = "seed";
    public const string Train = "train";
    public const string Generate = "generate";
    public const string Validate = "validate";
    public const string Pipeline = "pipeline";

    public async Task<TaskRecord> StartAsync(string kind, string machineId, object request, string? batchId = null, CancellationToken ct = default) =>
        await AuditAsync(AuditActions.Started, "machine", machineId, async () =>
        {
            await rules.EnsureCanStartAsync(kind, machineId, ct);
            return await tasks.EnqueueAsync(kind, machineId, request, batchId, ct);
        }, task => $"dashboard · {kind} · task {task.TaskId}");

    public async Task<BatchResponse> StartBatchAsync<T>(string kind, IReadOnlyList<string> machineIds, T request) where T : notnull =>
        await AuditAsync(AuditActions.Started, "batch", null, async () => (await batches.StartAsync(kind, machineIds, request, default)).Value!,
            batch => $"dashboard · {kind} · batch {batch.BatchId} · {batch.Tasks.Count} task(s), {batch.Rejected.Count} refused");

    public Task<TaskRecord> CancelAsync(string taskId) => AuditAsync(AuditActions.Cancelled, "task", taskId, () => tasks.CancelAsync(taskId), Detail);

    public Task<TaskRecord> PauseAsync(string taskId) => AuditAsync(AuditActions.Paused, "task", taskId, () => tasks.PauseAsync(taskId), Detail);

    public Task<TaskRecord> ResumeAsync(string taskId) => AuditAsync(AuditActions.Resumed, "task", taskId, () => tasks.ResumeAsync(taskId), Detail);

    public Task<TaskRecord> RetryAsync(string taskId) => AuditAsync(AuditActions.Retried, "task", taskId, () => tasks.RetryAsync(taskId), Detail);

    public Task DeleteMachineAsync(string machineId) =>
        AuditAsync(AuditActions.Deleted, "machine", machineId, async () => { await machines.DeleteAsync(machineId); return true; }, _ => "dashboard");

    /// <summary>The file's name is recorded, never its content.</summary>
    public Task<DraftView> UploadProfileAsync(byte[] content, string fileName) =>
        AuditAsync(AuditActions.Uploaded, "profile_draft", null, () => machines.UploadAsync(content, fileName),
            draft => $"dashboard · file {fileName} · {(draft.Valid ? "valid" : $"{draft.Errors.Count} error(s)")}", draft => draft.DraftId.ToString());

    public Task<DraftView> EditDraftAsync(Guid draftId, string profileJson) =>
        AuditAsync(AuditActions.Changed, "profile_draft", draftId.ToString(), () => machines.EditDraftAsync(draftId, profileJson), _ => "dashboard · profile edited");

    public Task<MachineView> CreateMachineAsync(Guid draftId) =>
        AuditAsync(AuditActions.Created, "machine", null, () => machines.CreateFromDraftAsync(draftId), _ => $"dashboard · from draft {draftId}", machine => machine.MachineId);

    /// <summary>An uploaded table of runs (already received on disk) registered as an import.</summary>
    public Task<ImportView> CreateImportAsync(Guid importId, string path, string fileName, long size) =>
        AuditAsync(AuditActions.Uploaded, "import", importId.ToString(), async () => (await imports.CreateAsync(importId, path, fileName, size, null, null, CancellationToken.None)).View,
            _ => $"dashboard · file {fileName} · {size:N0} bytes");

    public Task<ImportView> MapImportAsync(Guid importId, ImportMappingRequest mapping) =>
        AuditAsync(AuditActions.Changed, "import", importId.ToString(), () => imports.AnalyseAsync(importId, mapping, CancellationToken.None), view => $"dashboard · mapping · {view.Status}");

    public Task<ImportConfirmation> ConfirmImportAsync(Guid importId) =>
        AuditAsync(AuditActions.Confirmed, "import", importId.ToString(), () => imports.ConfirmNowAsync(importId, CancellationToken.None),
            done => $"dashboard · machine {done.MachineId} · {done.Runs} run(s), {done.Rows} row(s)");

    private static string Detail(TaskRecord task) => $"dashboard · {task.Kind} of machine {task.MachineId} · now {task.Status}";

    private async Task<T> AuditAsync<T>(string action, string targetKind, string? targetId, Func<Task<T>> work, Func<T, string?> detail, Func<T, string?>? createdId = null) =>
        await audit.AuditAsync(await ActorAsync(), action, targetKind, targetId, work, detail, createdId);

    /// <summary>The circuit's user when sign-in provides one; anonymous otherwise (and outside a circuit, e.g. in tests).</summary>
    private async Task<AuditActor> ActorAsync()
    {
        if (services.GetService(typeof(AuthenticationStateProvider)) is not AuthenticationStateProvider provider) return AuditActor.From(null, null);
        try
        {
            return AuditActor.From((await provider.GetAuthenticationStateAsync()).User, null);
        }
        catch (InvalidOperationException)
        {
            // The server's provider before the circuit set its state (no circuit: a test, a background caller).
            return AuditActor.From(null, null);
        }
    }
}
