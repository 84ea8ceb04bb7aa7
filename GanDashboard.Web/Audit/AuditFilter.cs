using System.Text.RegularExpressions;
using GanDashboard.Storage;
using GanDashboard.Web.Api;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Workflow;
using Microsoft.AspNetCore.Http.Features;

namespace GanDashboard.Web.Audit;

/// <summary>
/// Records every state-changing call of the <c>/api/gan</c> group in the audit trail, with its outcome (problem
/// responses as <c>failed 4xx</c>). The route table below turns method + route into an action and a target; a GET is
/// recorded only when it queued work (202: <c>GET /machines/{id}/validate</c> starts a validation when none exists).
/// Added before <see cref="ApiErrorFilter"/>, so it sees the problem results that filter makes of exceptions.
/// </summary>
public sealed partial class AuditFilter(AuditTrail trail) : IEndpointFilter
{
    /// <summary>(method, route under /api/gan) -> (action, target kind, route value naming the target).</summary>
    private static readonly Dictionary<(string Method, string Route), AuditedRoute> Routes = new()
    {
        [("POST", "/profiles/upload")] = new(AuditActions.Uploaded, "profile_draft", null),
        [("POST", "/profiles/{draftId}/validate")] = new(AuditActions.Changed, "profile_draft", "draftId"),
        [("PUT", "/profiles/{draftId}/edit")] = new(AuditActions.Changed, "profile_draft", "draftId"),
        [("POST", "/machines")] = new(AuditActions.Created, "machine", null),
        [("PUT", "/machines/{id}")] = new(AuditActions.Changed, "machine", "id"),
        [("DELETE", "/machines/{id}")] = new(AuditActions.Deleted, "machine", "id"),
        [("POST", "/machines/{id}/seed")] = new(AuditActions.Started, "machine", "id"),
        [("POST", "/machines/{id}/train")] = new(AuditActions.Started, "machine", "id"),
        [("POST", "/machines/{id}/generate")] = new(AuditActions.Started, "machine", "id"),
        [("POST", "/machines/{id}/validate")] = new(AuditActions.Started, "machine", "id"),
        [("GET", "/machines/{id}/validate")] = new(AuditActions.Started, "machine", "id"),
        [("POST", "/machines/{id}/pipeline")] = new(AuditActions.Started, "machine", "id"),
        [("POST", "/tasks/{taskId}/cancel")] = new(AuditActions.Cancelled, "task", "taskId"),
        [("POST", "/tasks/{taskId}/pause")] = new(AuditActions.Paused, "task", "taskId"),
        [("POST", "/tasks/{taskId}/resume")] = new(AuditActions.Resumed, "task", "taskId"),
        [("POST", "/tasks/{taskId}/retry")] = new(AuditActions.Retried, "task", "taskId"),
        [("POST", "/batch/seed")] = new(AuditActions.Started, "batch", null),
        [("POST", "/batch/train")] = new(AuditActions.Started, "batch", null),
        [("POST", "/batch/generate")] = new(AuditActions.Started, "batch", null),
        [("POST", "/imports")] = new(AuditActions.Uploaded, "import", null),
        [("POST", "/machines/{id}/imports")] = new(AuditActions.Uploaded, "import", null),
        [("PUT", "/imports/{importId}/mapping")] = new(AuditActions.Changed, "import", "importId"),
        [("POST", "/imports/{importId}/confirm")] = new(AuditActions.Confirmed, "import", "importId"),
        [("DELETE", "/imports/{importId}")] = new(AuditActions.Deleted, "import", "importId"),
    };

    private sealed record AuditedRoute(string Action, string TargetKind, string? RouteValue);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string method = http.Request.Method;
        string route = Route(http);
        if (!Routes.TryGetValue((method, route), out var audited))
        {
            // A write the table does not know yet still leaves a trace (reads are not audited).
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) return await next(context);
            audited = new(AuditActions.Changed, "api", null);
        }
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordAsync(http, audited, route, null, e.Message, "failed 500");
            throw;
        }
        var (status, value) = Inspect(result);
        if (HttpMethods.IsGet(method) && status != StatusCodes.Status202Accepted) return result;
        string? problem = (result as Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)?.ProblemDetails.Detail;
        await RecordAsync(http, audited, route, value, problem, AuditOutcomes.FromStatus(status));
        return result;
    }

    private async Task RecordAsync(HttpContext http, AuditedRoute audited, string route, object? value, string? problem, string outcome)
    {
        string? targetId = audited.RouteValue is { } key ? http.Request.RouteValues[key]?.ToString() : null;
        // What the response names: the new draft, machine, import or batch; the task a start queued.
        string? created = value switch
        {
            DraftView d => d.DraftId.ToString(),
            MachineView m => m.MachineId,
            ImportView i => i.ImportId.ToString(),
            BatchResponse b => b.BatchId,
            _ => null,
        };
        string? task = value switch { TaskResponse t => t.TaskId, TrainingResponse t => t.TaskId, _ => null };
        targetId ??= created;
        var detail = new List<string> { $"{http.Request.Method} {route}" };
        if (audited.Action == AuditActions.Started && route.LastIndexOf('/') is var slash and >= 0) detail.Add(route[(slash + 1)..]);
        if (task is not null) detail.Add($"task {task}");
        if (value is BatchResponse batch) detail.Add($"{batch.Tasks.Count} task(s), {batch.Rejected.Count} refused");
        if (http.Request.RouteValues["id"] is string machine && audited.TargetKind != "machine") detail.Add($"machine {machine}");
        // The uploaded file's name, when the form was read or the import names it (never its content).
        if (http.Features.Get<IFormFeature>()?.Form?.Files is { Count: > 0 } files) detail.Add($"file {files[0].FileName}");
        else if (value is ImportView import && audited.Action == AuditActions.Uploaded) detail.Add($"file {import.FileName}");
        if (problem is not null) detail.Add(problem);
        var actor = AuditActor.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        await trail.RecordAsync(actor, audited.Action, audited.TargetKind, targetId, string.Join(" · ", detail), outcome);
    }

    private static (int Status, object? Value) Inspect(object? result)
    {
        if (result is INestedHttpResult nested) result = nested.Result;
        int status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        return (status, (result as IValueHttpResult)?.Value);
    }

    /// <summary>The endpoint's route under /api/gan with constraints dropped: <c>/profiles/{draftId:guid}</c> -> <c>/profiles/{draftId}</c>.</summary>
    private static string Route(HttpContext http)
    {
        string raw = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        raw = Constraint().Replace(raw, "{$1}");
        return raw.StartsWith("/api/gan", StringComparison.Ordinal) ? raw["/api/gan".Length..] : raw;
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
