using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using GanDashboard.Web.Access;
using GanDashboard.Web.Api;
using GanDashboard.Web.Audit;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Every state-changing action of the pages. Each is refused unless the circuit's user has the role it needs (the
/// pages hide the buttons from lower roles, and this refuses anyway), and each is recorded in the audit trail with the
/// user and its outcome, refusals included. Workflow steps are started the same way the API does: the step's
/// preconditions are checked first (so the user hears at once what is missing), then the task is queued. Scoped: one per circuit.
/// </summary>
public sealed class WorkflowActions(
    WorkflowRules rules, TaskService tasks, MachineService machines, BatchService batches, ImportService imports,
    AuditTrail audit, DashboardAccess access)
{
    public const string Seed = "seed";
    public const string Train = "train";
    public const string Generate = "generate";
    public const string Validate = "validate";
    public const string Pipeline = "pipeline";

    public async Task<TaskRecord> StartAsync(string kind, string machineId, object request, string? batchId = null, CancellationToken ct = default) =>
        await AuditAsync(Roles.Operator, $"start a {kind} task", AuditActions.Started, "machine", machineId, async () =>
        {
            await rules.EnsureCanStartAsync(kind, machineId, ct);
            return await tasks.EnqueueAsync(kind, machineId, request, batchId, ct);
        }, task => $"dashboard · {kind} · task {task.TaskId}");

    public async Task<BatchResponse> StartBatchAsync<T>(string kind, IReadOnlyList<string> machineIds, T request) where T : notnull =>
        await AuditAsync(Roles.Operator, "start batches", AuditActions.Started, "batch", null, async () => (await batches.StartAsync(kind, machineIds, request, default)).Value!,
            batch => $"dashboard · {kind} · batch {batch.BatchId} · {batch.Tasks.Count} task(s), {batch.Rejected.Count} refused");

    public Task<TaskRecord> CancelAsync(string taskId) => AuditAsync(Roles.Operator, ControlTasks, AuditActions.Cancelled, "task", taskId, () => tasks.CancelAsync(taskId), Detail);

    public Task<TaskRecord> PauseAsync(string taskId) => AuditAsync(Roles.Operator, ControlTasks, AuditActions.Paused, "task", taskId, () => tasks.PauseAsync(taskId), Detail);

    public Task<TaskRecord> ResumeAsync(string taskId) => AuditAsync(Roles.Operator, ControlTasks, AuditActions.Resumed, "task", taskId, () => tasks.ResumeAsync(taskId), Detail);

    public Task<TaskRecord> RetryAsync(string taskId) => AuditAsync(Roles.Operator, ControlTasks, AuditActions.Retried, "task", taskId, () => tasks.RetryAsync(taskId), Detail);

    public Task DeleteMachineAsync(string machineId) =>
        AuditAsync(Roles.Admin, "delete machines", AuditActions.Deleted, "machine", machineId, async () => { await machines.DeleteAsync(machineId); return true; }, _ => "dashboard");

    /// <summary>The file's name is recorded, never its content.</summary>
    public Task<DraftView> UploadProfileAsync(byte[] content, string fileName) =>
        AuditAsync(Roles.Operator, EditProfiles, AuditActions.Uploaded, "profile_draft", null, () => machines.UploadAsync(content, fileName),
            draft => $"dashboard · file {fileName} · {(draft.Valid ? "valid" : $"{draft.Errors.Count} error(s)")}", draft => draft.DraftId.ToString());

    public Task<DraftView> EditDraftAsync(Guid draftId, string profileJson) =>
        AuditAsync(Roles.Operator, EditProfiles, AuditActions.Changed, "profile_draft", draftId.ToString(), () => machines.EditDraftAsync(draftId, profileJson), _ => "dashboard · profile edited");

    public Task<MachineView> CreateMachineAsync(Guid draftId) =>
        AuditAsync(Roles.Operator, EditProfiles, AuditActions.Created, "machine", null, () => machines.CreateFromDraftAsync(draftId), _ => $"dashboard · from draft {draftId}", machine => machine.MachineId);

    /// <summary>An uploaded table of runs (already received on disk) registered as an import.</summary>
    public Task<ImportView> CreateImportAsync(Guid importId, string path, string fileName, long size) =>
        AuditAsync(Roles.Operator, ImportData, AuditActions.Uploaded, "import", importId.ToString(), async () => (await imports.CreateAsync(importId, path, fileName, size, null, null, CancellationToken.None)).View,
            _ => $"dashboard · file {fileName} · {size:N0} bytes");

    public Task<ImportView> MapImportAsync(Guid importId, ImportMappingRequest mapping) =>
        AuditAsync(Roles.Operator, ImportData, AuditActions.Changed, "import", importId.ToString(), () => imports.AnalyseAsync(importId, mapping, CancellationToken.None), view => $"dashboard · mapping · {view.Status}");

    public Task<ImportConfirmation> ConfirmImportAsync(Guid importId) =>
        AuditAsync(Roles.Operator, ImportData, AuditActions.Confirmed, "import", importId.ToString(), () => imports.ConfirmNowAsync(importId, CancellationToken.None),
            done => $"dashboard · machine {done.MachineId} · {done.Runs} run(s), {done.Rows} row(s)");

    private static string Detail(TaskRecord task) => $"dashboard · {task.Kind} of machine {task.MachineId} · now {task.Status}";

    private const string ControlTasks = "pause, resume, cancel or retry tasks";
    private const string EditProfiles = "upload profiles or create machines";
    private const string ImportData = "import data";

    /// <summary>Checks the role inside the audited work, so a refused attempt is in the trail too.</summary>
    private async Task<T> AuditAsync<T>(
        string role, string what, string action, string targetKind, string? targetId, Func<Task<T>> work, Func<T, string?> detail, Func<T, string?>? createdId = null) =>
        await audit.AuditAsync(await ActorAsync(), action, targetKind, targetId, async () =>
        {
            await access.RequireAsync(role, what);
            return await work();
        }, detail, createdId);

    /// <summary>The circuit's user when sign-in provides one; anonymous otherwise (and outside a circuit, e.g. in tests).</summary>
    private async Task<AuditActor> ActorAsync()
    {
        try
        {
            return AuditActor.From(await access.UserAsync(), null);
        }
        catch (InvalidOperationException)
        {
            // The server's provider before the circuit set its state (no circuit: a test, a background caller).
            return AuditActor.From(null, null);
        }
    }
}
