using GanDashboard.Web.Imports;
using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

using GanDashboard.Web.Access;

namespace GanDashboard.Web.Api;

/// <summary>
/// Imports of users' own run tables:
/// POST /api/gan/imports · GET /api/gan/imports/{importId} · PUT /api/gan/imports/{importId}/mapping ·
/// POST /api/gan/imports/{importId}/confirm · DELETE /api/gan/imports/{importId} · POST /api/gan/machines/{id}/imports (append runs)
/// </summary>
public static class ImportApi
{
    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder api)
    {
        // Reading is the group's viewer rule; changing needs an operator.
        var operate = api.MapGroup("").RequireAuthorization(Policies.Operator);
        operate.MapPost("/imports", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads);
        api.MapGet("/imports/{importId:guid}", GetAsync);
        operate.MapPut("/imports/{importId:guid}/mapping", MapAsync);
        operate.MapPost("/imports/{importId:guid}/confirm", ConfirmAsync);
        operate.MapDelete("/imports/{importId:guid}", DeleteAsync);
        operate.MapPost("/machines/{id}/imports", AppendAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads);
        return api;
    }

    /// <summary>Multipart field <c>file</c> (CSV or Parquet), streamed to disk. 201 with the analysis, or 202 with a task for large files.</summary>
    private static Task<Results<Created<ImportView>, Accepted<TaskResponse>>> UploadAsync(HttpRequest request, ImportService imports, TaskService tasks, CancellationToken ct) =>
        ReceiveAsync(request, imports, tasks, null, ct);

    /// <summary>New runs for an imported machine, read with its saved mapping; confirm as usual.</summary>
    private static Task<Results<Created<ImportView>, Accepted<TaskResponse>>> AppendAsync(string id, HttpRequest request, ImportService imports, TaskService tasks, CancellationToken ct) =>
        ReceiveAsync(request, imports, tasks, ApiIds.Machine(id), ct);

    private static async Task<Results<Created<ImportView>, Accepted<TaskResponse>>> ReceiveAsync(HttpRequest request, ImportService imports, TaskService tasks, string? appendTo, CancellationToken ct)
    {
        long limit = imports.Settings.MaxBytes;
        const long Envelope = 1 << 20;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = limit + Envelope;
        if (request.ContentLength > limit + Envelope)
            throw new ImportTooLargeException($"The upload is {request.ContentLength:N0} bytes; the import limit is {limit:N0} bytes. Fix: split the file, or raise GanDashboard:Import:MaxBytes.");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw new ArgumentException("Send the file as multipart/form-data with a field named 'file'.");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        (Guid Id, string Path, long Size, string Name)? received = null;
        for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (name == "file" && received is null)
            {
                string fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value is { Length: > 0 } f ? Path.GetFileName(f) : "upload.csv";
                var (importId, path, size) = await imports.ReceiveAsync(section.Body, fileName, ct);
                received = (importId, path, size, fileName);
            }
            else if (name.Length > 0)
            {
                using var text = new StreamReader(section.Body);
                fields[name] = await text.ReadToEndAsync(ct);
            }
        }
        if (received is not { } file) throw new ArgumentException("The form has no field 'file'. Fix: send the table as multipart field 'file'.");
        var mapping = new ImportMappingRequest
        {
            RunId = fields.GetValueOrDefault("run_id"), Order = fields.GetValueOrDefault("order"), MachineId = fields.GetValueOrDefault("machine_id"),
            Censored = fields.GetValueOrDefault("censored"), Missing = fields.GetValueOrDefault("missing"),
            Sensors = List(fields, "sensors"), Context = List(fields, "context"), Labels = List(fields, "labels"), Drop = List(fields, "drop"),
            RulCap = fields.GetValueOrDefault("rul_cap") is { } cap ? double.Parse(cap, System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        var (view, task) = await imports.CreateAsync(file.Id, file.Path, file.Name, file.Size, appendTo, mapping, ct);
        if (task is not null)
            return TypedResults.Accepted($"/api/gan/tasks/{task.TaskId}", TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct)));
        return TypedResults.Created($"/api/gan/imports/{view.ImportId}", view);
    }

    private static List<string>? List(Dictionary<string, string> fields, string name) =>
        fields.GetValueOrDefault(name) is { Length: > 0 } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : null;

    private static async Task<Results<Ok<ImportView>, NotFound>> GetAsync(Guid importId, ImportService imports, CancellationToken ct) =>
        await imports.GetAsync(importId, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    /// <summary>The body names the roles to change; the answer is the new analysis (status ready or invalid with problems).</summary>
    private static async Task<Ok<ImportView>> MapAsync(Guid importId, ImportMappingRequest mapping, ImportService imports, CancellationToken ct) =>
        TypedResults.Ok(await imports.AnalyseAsync(importId, mapping, ct));

    private static async Task<Accepted<TaskResponse>> ConfirmAsync(Guid importId, ImportService imports, TaskService tasks, CancellationToken ct)
    {
        var task = await imports.ConfirmAsync(importId, ct);
        return TypedResults.Accepted($"/api/gan/tasks/{task.TaskId}", TaskResponse.From(task, await tasks.QueuePositionAsync(task, ct)));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid importId, ImportService imports, CancellationToken ct) =>
        await imports.DeleteAsync(importId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
